package org.ohemspark.source;

import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;

/**
 * A batch assignment file for {@code --group-by batch}: CSV with a header line
 * {@code image_id,batch}, then one line per image ({@code batch} an integer), read by Spark's
 * CSV reader on the executors (never collected). Given by {@code --batches FILE} or found as
 * {@code batches.csv} beside a dataset directory's {@code dataset.json}.
 */
public final class BatchFile {
  private BatchFile() {}

  /** The name looked for in a dataset directory. */
  public static final String NAME = "batches.csv";

  /**
   * The file's rows, lazily ({@code image_id} string, {@code batch} long); a line that is not
   * {@code id,integer} fails the job that reads it, naming the line (Spark's FAILFAST mode).
   *
   * @throws BadRecordException naming the file when it does not exist
   */
  public static Dataset<Row> read(SparkSession spark, String file) {
    if (!exists(spark, new Path(file))) {
      throw new BadRecordException(file, null, "the batch assignment file does not exist");
    }
    return csv(spark, file);
  }

  /** The CSV's rows through Spark's reader, lazily, in its FAILFAST mode. */
  private static Dataset<Row> csv(SparkSession spark, String file) {
    return spark.read().option("header", "true").option("mode", "FAILFAST")
        .schema("image_id STRING, batch LONG").csv(file);
  }

  /** Whether {@code p} exists, one metadata call; an I/O failure names the path. */
  private static boolean exists(SparkSession spark, Path p) {
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw new BadRecordException(p.toString(), null, "cannot read: " + e.getMessage(), e);
    }
  }

  /** {@code <dir>/batches.csv} if it exists, else null. */
  static Dataset<Row> beside(SparkSession spark, String dir) {
    Path p = new Path(dir, NAME);
    return exists(spark, p) ? csv(spark, p.toString()) : null;
  }
}
