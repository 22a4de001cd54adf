package org.ohemspark.source;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.spark.HadoopConf;

/**
 * Where images come from: a dataset directory ({@link DatasetDirectory}), Parquet shards or
 * WebDataset tars. A source gives rows partitioned for the executors, usually one per image
 * (with at least {@code image_id}), and decodes such a row into an {@link ImageRecord} on an
 * executor. A source whose row holds many images (a WebDataset tar) overrides
 * {@link #readAll}. Sources are serializable: {@link #read} and {@link #readAll} run inside
 * Spark tasks.
 */
public interface ImageSource extends Serializable {

  /**
   * One row per image (or per group of images, see {@link #readAll}), partitioned as the loss
   * pass should run.
   *
   * @param partitions wanted partitions, or 0 for the source's default (the sources of this
   *     package: by bytes at {@link Partitioning#DEFAULT_TARGET_BYTES})
   */
  Dataset<Row> records(SparkSession spark, int partitions);

  /**
   * The rows of {@link #records(SparkSession, int)}, partitioned as {@code partitioning} says:
   * by bytes ({@link Partitioning}) or into a number of partitions. By default a source that
   * does not know bytes takes the number, or its default when cutting by bytes; the sources of
   * this package cut by bytes.
   */
  default Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    return records(spark, partitioning.partitions());
  }
  /**
   * The records of {@link #records} as an RDD for the loss pass, which is where Spark plans
   * their read: {@code records.javaRDD()}. A source whose read takes session settings at that
   * moment sets them here ({@link FrameShards}: the Parquet reader's batch size).
   */
  default JavaRDD<Row> rdd(Dataset<Row> records) {
    return records.javaRDD();
  }


  /**
   * Decodes one row of {@link #records} on an executor.
   *
   * @throws org.ohemspark.core.BadRecordException naming the source and image id when the row
   *     is malformed
   */
  ImageRecord read(Row record, HadoopConf conf);

  /**
   * Decodes every image of one row of {@link #records} on an executor, lazily, in a fixed
   * order. By default a row is one image: {@link #read}, called by {@code next()} (so a record
   * whose logits hold their file open exists only while it is consumed). The loss pass
   * consumes this iterator and closes each record's logits when done with it.
   *
   * @throws org.ohemspark.core.BadRecordException as {@link #read}, from {@code next()} or
   *     {@code hasNext()}
   */
  default Iterator<ImageRecord> readAll(Row record, HadoopConf conf) {
    return SingleRead.of(() -> read(record, conf));
  }

  /**
   * Bad records that only the whole loss pass can show, each as the exception naming its
   * source, image id (or null) and reason; {@link org.ohemspark.mining.UnreadRecords} adds them to
   * the loss pass's records before the bad records are split off. Called once on the driver after
   * the loss pass over {@link #records}, with how many records (good and bad) came from each
   * source, as the records' {@code source} spells it (counted only if asked: one small aggregation
   * over the cached records). By default none ({@link ParquetShards} reports files that gave fewer
   * rows than their footers declare).
   */
  default List<org.ohemspark.core.BadRecordException> unreadRecords(
      java.util.function.Supplier<java.util.Map<String, Long>> recordsPerSource) {
    return List.of();
  }

  /** Where the images come from, for messages. */
  String describe();

  /**
   * Warnings about the input that the last {@link #records} call found on the driver (entries
   * of a dataset directory that are not read, shard columns outside the shard schema), for the
   * job to print on its own channel ({@code ohem-mine: warning: ...}) rather than through
   * Spark's log. By default none.
   */
  default List<String> warnings() {
    return List.of();
  }

  /**
   * Each image's training batch, for {@code --group-by batch}: rows of {@code image_id}
   * (string) and {@code batch} (an integer), read on the executors; null where the source holds
   * none (then {@code --batches FILE} must give them). By default none. A directory's
   * {@code batches.csv}, the shards' {@code batch} column, the tars' {@code <key>.json}.
   */
  default Dataset<Row> batches(SparkSession spark) {
    return null;
  }
}
