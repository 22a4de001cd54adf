package org.ohemspark.spark;

import java.util.List;
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
   * {@code persisted} itself when the source reports nothing (the usual case: no extra pass is
   * made unless the source needs one); else a new persisted frame, {@code persisted} plus the
   * error rows, and {@code persisted} is unpersisted once the new one is cached.
   *
   * @param persisted the loss frame of {@code source}, persisted ({@link LossFrame#SCHEMA})
   * @throws BadRecordException in {@link BadRecordMode#FAILFAST}, naming the first unread record
   */
  public static Dataset<Row> append(ImageSource source, Dataset<Row> persisted,
      BadRecordMode mode) {
    List<Row> unread = source.unreadRecords(persisted);
    if (unread.isEmpty()) {
      return persisted;
    }
    if (mode == BadRecordMode.FAILFAST) {
      Row r = unread.get(0);
      throw new BadRecordException(r.getAs("source"), r.getAs("image_id"), r.getAs("error"));
    }
    Dataset<Row> all = persisted.union(persisted.sparkSession().createDataFrame(unread,
        LossFrame.SCHEMA)).persist(persisted.storageLevel());
    all.count(); // cache it before the frame it reads goes
    persisted.unpersist();
    return all;
  }
}
