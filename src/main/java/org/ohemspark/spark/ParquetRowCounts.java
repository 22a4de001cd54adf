package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rows read per Parquet file against the rows its footer declares. Spark's reader with
 * {@code ignoreCorruptFiles} skips the rest of a file after a corrupt page without a word; this
 * turns every such file into a bad record, so no row is lost silently.
 */
final class ParquetRowCounts {
  private ParquetRowCounts() {}

  /**
   * One error row ({@link LossFrame#errorRow}: image_id null, source the file, reason
   * {@code read N of M rows; the rest of the file is unreadable: <the reader's error>}) per file of
   * {@code footers} that gave fewer rows to {@code lossFrame} than its footer declares. Rows are
   * counted by the frame's {@code source} (good and error rows alike): one small aggregation,
   * one row per file to the driver. Each short file is read once more, alone and without
   * {@code ignoreCorruptFiles}, for the error (rare: only files found short).
   *
   * @param footers the readable footers of the files read
   */
  static List<Row> unread(Dataset<Row> lossFrame, List<ParquetFooters.Footer> footers) {
    Map<String, Long> seen = new HashMap<>();
    for (Row r : lossFrame.groupBy(col("source")).count().collectAsList()) {
      if (!r.isNullAt(0)) {
        seen.merge(ParquetFooters.normalize(r.getString(0)), r.getLong(1), Long::sum);
      }
    }
    List<Row> out = new ArrayList<>();
    for (ParquetFooters.Footer f : footers) {
      long n = seen.getOrDefault(f.file(), 0L);
      if (f.readable() && n < f.rows()) {
        out.add(LossFrame.errorRow(null, f.file(), "read " + n + " of " + f.rows()
            + " rows; the rest of the file is unreadable: " + why(lossFrame.sparkSession(),
                f.file())));
      }
    }
    return out;
  }

  /** Spark's own error reading {@code file} whole, or a note that the read now succeeds. */
  static String why(SparkSession spark, String file) {
    try {
      spark.read().option("ignoreCorruptFiles", "false").parquet(file).write().format("noop")
          .mode("overwrite").save();
      return "the file reads whole now (changed during the run?)";
    } catch (Exception e) { // SparkException, thrown from Scala undeclared
      // Spark wraps the reader's error twice (job aborted, FAILED_READ_FILE): the first
      // error in the chain that is not Spark's says what is wrong with the file
      for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
        if (!(t instanceof org.apache.spark.SparkException)) {
          return t.toString();
        }
      }
      return e.toString();
    }
  }
}
