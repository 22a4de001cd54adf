package org.ohemspark.spark;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.ImageRecord;

/**
 * Where images come from: a dataset directory ({@link DatasetDirectory}), Parquet shards or
 * WebDataset tars. A source gives one row per image (with at least {@code image_id}),
 * partitioned for the executors, and decodes such a row into an {@link ImageRecord} on an
 * executor. Sources are serializable: {@link #read} runs inside Spark tasks.
 */
public interface ImageSource extends Serializable {

  /**
   * One row per image, partitioned as the loss pass should run.
   *
   * @param partitions wanted partitions, or 0 for the source's default
   */
  Dataset<Row> records(SparkSession spark, int partitions);

  /**
   * Decodes one row of {@link #records} on an executor.
   *
   * @throws org.ohemspark.core.BadRecordException naming the source and image id when the row
   *     is malformed
   */
  ImageRecord read(Row record, HadoopConf conf);

  /** Where the images come from, for messages. */
  String describe();
}
