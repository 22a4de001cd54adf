package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ohemspark.core.BadRecordException;

/**
 * Adds to a persisted loss frame the bad records only the whole loss pass can show
 * ({@link ImageSource#unreadRecords}: e.g. Parquet rows a corrupt page kept from being read), so
 * that the shared bad-record split ({@link BadRecords}) quarantines and counts them like any
 * other error row.
 */
public final class UnreadRecords {
  private UnreadRecords() {}

  /**
   * Gives {@link ImageSource#unreadRecords} the frame's records per source, counted only if it
   * asks (one small aggregation over the cached frame, one row per source to the driver). {@code persisted}
   * itself when the source reports nothing (the usual case); else a new persisted frame, {@code persisted} plus the
   * error rows, and {@code persisted} is unpersisted once the new one is cached.
   *
   * @param persisted the loss frame of {@code source}, persisted ({@link LossFrame#SCHEMA})
   * @throws BadRecordException in {@link BadRecordMode#FAILFAST}, naming the first unread record
   */
  public static Dataset<Row> append(ImageSource source, Dataset<Row> persisted,
      BadRecordMode mode) {
    List<BadRecordException> unread = source.unreadRecords(() -> {
      Map<String, Long> perSource = new HashMap<>();
      for (Row r : persisted.groupBy(col("source")).count().collectAsList()) {
        perSource.put(r.getString(0), r.getLong(1));
      }
      return perSource;
    });
    if (unread.isEmpty()) {
      return persisted;
    }
    if (mode == BadRecordMode.FAILFAST) {
      throw unread.get(0);
    }
    List<Row> rows = new ArrayList<>();
    for (BadRecordException b : unread) {
      rows.add(LossFrame.errorRow(b.imageId(), b.source(), b.reason()));
    }
    Dataset<Row> all = persisted.union(persisted.sparkSession().createDataFrame(rows,
        LossFrame.SCHEMA)).persist(persisted.storageLevel());
    all.count(); // cache it before the frame it reads goes
    persisted.unpersist();
    return all;
  }
}
