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
    try {
      Path p = new Path(file);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new BadRecordException(file, null, "the batch assignment file does not exist");
      }
    } catch (IOException e) {
      throw new BadRecordException(file, null, "cannot read: " + e.getMessage(), e);
    }
    return spark.read().option("header", "true").option("mode", "FAILFAST")
        .schema("image_id STRING, batch LONG").csv(file);
  }

  /** {@code <dir>/batches.csv} if it exists, else null. */
  static Dataset<Row> beside(SparkSession spark, String dir) {
    Path p = new Path(dir, NAME);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)
          ? read(spark, p.toString()) : null;
    } catch (IOException e) {
      throw new BadRecordException(p.toString(), null, "cannot read: " + e.getMessage(), e);
    }
  }
}
