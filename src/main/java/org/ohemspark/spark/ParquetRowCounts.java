package org.ohemspark.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;

/**
 * Rows read per Parquet file against the rows its footer declares. Spark's reader with
 * {@code ignoreCorruptFiles} skips the rest of a file after a corrupt page without a word; this
 * turns every such file into a bad record, so no row is lost silently.
 */
final class ParquetRowCounts {
  private ParquetRowCounts() {}

  /**
   * One bad record (image_id null, source the file, reason
   * {@code read N of M rows; the rest of the file is unreadable: <the reader's error>}) per file
   * of {@code footers} that gave fewer records to the loss pass than its footer declares. Each
   * short file is read once more, alone and without {@code ignoreCorruptFiles}, for the error
   * (rare: only files found short).
   *
   * @param recordsPerSource records (good and bad) of the loss pass per source, as Spark's
   *     {@code _metadata.file_path} spells the file
   * @param footers the readable footers of the files read
   */
  static List<BadRecordException> unread(SparkSession spark, Map<String, Long> recordsPerSource,
      List<ParquetFooters.Footer> footers) {
    Map<String, Long> seen = new HashMap<>();
    recordsPerSource.forEach((source, n) -> {
      if (source != null) {
        seen.merge(ParquetFooters.normalize(source), n, Long::sum);
      }
    });
    List<BadRecordException> out = new ArrayList<>();
    for (ParquetFooters.Footer f : footers) {
      long n = seen.getOrDefault(f.file(), 0L);
      if (f.readable() && n < f.rows()) {
        out.add(new BadRecordException(f.file(), null, "read " + n + " of " + f.rows()
            + " rows; the rest of the file is unreadable: " + why(spark, f.file())));
      }
    }
    return out;
  }

  /** Spark's own error reading {@code file} whole, or a note that the read now succeeds. */
  static String why(SparkSession spark, String file) {
    try {
      spark.read().option("ignoreCorruptFiles", "false")
          .option(ParquetShards.VERIFY_PAGE_CHECKSUMS, "true").parquet(file).write().format("noop")
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
