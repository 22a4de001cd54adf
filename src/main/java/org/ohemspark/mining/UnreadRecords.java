package org.ohemspark.mining;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.ImageSource;

/**
 * Adds to the persisted loss records the bad records only the whole loss pass can show
 * ({@link ImageSource#unreadRecords}: e.g. Parquet rows a corrupt page kept from being read), so
 * that the shared bad-record split ({@link BadRecords}) quarantines and counts them like any
 * other bad record.
 */
public final class UnreadRecords {
  private UnreadRecords() {}

  /**
   * Gives {@link ImageSource#unreadRecords} the records per source, counted only if it asks (one
   * small count over the cached records, one entry per source to the driver). Returns
   * {@code persisted} itself when the source reports nothing (the usual case); else
   * {@code persisted} plus the bad records (a union that reads the cached partitions; the
   * caller keeps unpersisting {@code persisted}).
   *
   * @param persisted the loss records of {@code source}, persisted
   * @throws BadRecordException in {@link BadRecordMode#FAILFAST}, naming the first unread record
   */
  public static JavaRDD<LossRecord> append(ImageSource source, JavaRDD<LossRecord> persisted,
      BadRecordMode mode) {
    List<BadRecordException> unread = source.unreadRecords(() -> {
      Map<String, Long> perSource = new HashMap<>();
      persisted.map(r -> r.source() == null ? "" : r.source()).countByValue()
          .forEach(perSource::put);
      return perSource;
    });
    if (unread.isEmpty()) {
      return persisted;
    }
    if (mode == BadRecordMode.FAILFAST) {
      throw unread.get(0);
    }
    List<LossRecord> rows = new ArrayList<>();
    for (BadRecordException b : unread) {
      rows.add(LossRecord.bad(b.imageId(), b.source(), b.reason()));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(persisted.context());
    return persisted.union(jsc.parallelize(rows, 1));
  }
}
