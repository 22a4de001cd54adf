package org.ohemspark.spark;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The footers of Parquet files, read on the executors (a small Spark job, one footer read per
 * file: O(files), no data page read): each file's row count, or why its footer cannot be read
 * (truncated file, garbage in place of the footer, not a Parquet file).
 */
final class ParquetFooters {
  private ParquetFooters() {}

  /**
   * One file's footer.
   *
   * @param file the file, as {@link #normalize} writes it
   * @param rows the rows the footer declares (0 when unreadable)
   * @param error why the footer cannot be read, or null
   */
  record Footer(String file, long rows, String error) implements Serializable {
    boolean readable() {
      return error == null;
    }
  }

  /**
   * The footers of {@code files} (URIs), sorted by file.
   *
   * @throws org.apache.spark.SparkException (unchecked from Scala) only if the job itself fails;
   *     an unreadable footer is a {@link Footer#error}, not an exception
   */
  static List<Footer> read(SparkSession spark, List<String> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    int slices = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism()));
    List<Footer> out = new ArrayList<>(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(files, slices)
        .map(f -> footer(normalize(f), conf))
        .collect());
    out.sort(Comparator.comparing(Footer::file));
    return out;
  }

  /** Reads one footer; any failure becomes the footer's error. */
  static Footer footer(String file, HadoopConf conf) {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file),
        conf.get()))) {
      return new Footer(file, r.getRecordCount(), null);
    } catch (Exception e) { // IOException, RuntimeException: whatever the footer parser threw
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return new Footer(file, 0, "unreadable Parquet footer: " + e
          + (root == e ? "" : " (" + root + ")"));
    }
  }

  /**
   * One spelling of a file URI ({@code file:///a/b} and {@code file:/a/b} are the same file),
   * as Hadoop's {@link Path} prints it: Spark's file listing and its {@code _metadata.file_path}
   * spell files differently.
   */
  static String normalize(String uri) {
    try {
      return new Path(new URI(uri)).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return new Path(uri).toString();
    }
  }
}
