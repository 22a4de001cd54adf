package org.ohemspark.source;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.model.LabelledImage;
import org.ohemspark.spark.HadoopConf;

/**
 * Where images and labels come from when a model gives the logits ({@code --model}): as
 * {@link ImageSource}, but a row decodes into {@link LabelledImage}s (encoded image, decoded
 * label) instead of logits. {@link InferredLogits} runs the model on them and is the
 * {@link ImageSource} the miner reads.
 */
public interface LabelledImageSource extends Serializable {

  /** As {@link ImageSource#records(SparkSession, int)}. */
  Dataset<Row> records(SparkSession spark, int partitions);

  /**
   * As {@link ImageSource#records(SparkSession, Partitioning)}, where {@code partitioning}'s
   * target bounds what a task holds decoded: the sources of this package pack encoded images
   * and labels at {@link Partitioning#forEncodedImages}. By default the number of partitions,
   * or the source's default when cutting by bytes.
   */
  default Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    return records(spark, partitioning.partitions());
  }

  /**
   * The images of one row, lazily, in a fixed order, on an executor.
   *
   * @throws BadRecordException as {@link ImageSource#readAll}: from {@code next()} for one bad
   *     image (the iterator goes on), from {@code hasNext()} when the rest of the row cannot be
   *     read
   */
  Iterator<LabelledImage> readAll(Row record, HadoopConf conf);

  /** As {@link ImageSource#describe}. */
  String describe();

  /** As {@link ImageSource#warnings}. */
  default List<String> warnings() {
    return List.of();
  }

  /** As {@link ImageSource#batches}: by default none. */
  default Dataset<Row> batches(SparkSession spark) {
    return null;
  }

  /** As {@link ImageSource#unreadRecords}. */
  default List<BadRecordException> unreadRecords(Supplier<Map<String, Long>> recordsPerSource) {
    return List.of();
  }
}
