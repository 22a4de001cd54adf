package org.ohemspark.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.spark.HadoopConf;

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
   * short file is read once more, whole, for the error (rare: only files found short), in one
   * small Spark job whose tasks catch it ({@link #readError}): a corrupt file fails no task, so
   * Spark logs nothing for it.
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
    List<ParquetFooters.Footer> shortFiles = new ArrayList<>();
    for (ParquetFooters.Footer f : footers) {
      if (f.readable() && seen.getOrDefault(f.file(), 0L) < f.rows()) {
        shortFiles.add(f);
      }
    }
    if (shortFiles.isEmpty()) {
      return List.of();
    }
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    List<String> files = shortFiles.stream().map(ParquetFooters.Footer::file).toList();
    List<String> errors = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(files, Math.min(files.size(), spark.sparkContext().defaultParallelism()))
        .map(f -> readError(f, conf)).collect();
    List<BadRecordException> out = new ArrayList<>();
    for (int i = 0; i < shortFiles.size(); i++) {
      ParquetFooters.Footer f = shortFiles.get(i);
      String why = errors.get(i) != null ? errors.get(i)
          : "the file reads whole now (changed during the run?)";
      out.add(new BadRecordException(f.file(), null, "read " + seen.getOrDefault(f.file(), 0L)
          + " of " + f.rows() + " rows; the rest of the file is unreadable: " + why));
    }
    return out;
  }

  /**
   * Why {@code file} cannot be read whole, or null if it can: every value of every row is
   * decoded with Parquet's own record reader, page checksums verified (as the loss pass reads
   * it). The reader's error, with its deepest cause; a stale Hadoop checksum file explained
   * ({@link HadoopConf#checksumMismatch}). Any failure is returned, never thrown.
   */
  static String readError(String file, HadoopConf conf) {
    Configuration c = new Configuration(conf.get());
    c.setBoolean(ParquetShards.VERIFY_PAGE_CHECKSUMS, true);
    try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), new Path(file))
        .withConf(c).build()) {
      while (r.read() != null) {
        // decoding is the check
      }
      return null;
    } catch (Exception e) { // IOException, or whatever a decoder throws on damaged bytes
      // the record reader wraps a page's error in "Can not read value at N in block M in
      // file F": the error itself says more
      Throwable error = e instanceof ParquetDecodingException && e.getCause() != null
          && String.valueOf(e.getMessage()).startsWith("Can not read value") ? e.getCause() : e;
      return HadoopConf.readFailure(file, error);
    }
  }
}
