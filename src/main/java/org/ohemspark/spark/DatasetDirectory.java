package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.io.IOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.io.LabelDecoder;
import org.ohemspark.io.NpyArray;

/**
 * A dataset directory as inference dumps lay it out: {@code logits/<id>.npy} ({@code [C,h,w]})
 * and {@code labels/<id>.png} or {@code labels/<id>.npy} ({@code [H,W]}), on any Hadoop
 * FileSystem. Files of other extensions in those folders are not read.
 *
 * <p>Listing uses Spark's {@code binaryFile} source with the {@code content} column pruned (so
 * listing reads no bytes, in parallel for large folders); logits and labels are paired by image
 * id in a Spark join, and each executor reads its images' files through the Hadoop FileSystem
 * API. A logits file without a label, a label without logits, or two label files for one id are
 * bad records, raised when the image is read.
 */
public final class DatasetDirectory implements ImageSource {
  private static final long serialVersionUID = 1L;
  private final String input;

  /** The dataset directory at {@code input} (any Hadoop FileSystem URI). */
  public DatasetDirectory(String input) {
    this.input = input;
  }

  @Override
  public String describe() {
    return "dataset directory " + input;
  }

  /**
   * The image pairs, hash-partitioned by image id and sorted within partitions (so iteration
   * order is the same on every run); the default partition count is
   * {@code min(images, 4 * defaultParallelism)}.
   */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    Dataset<Row> pairs = pairs(spark, input);
    int parts = partitions;
    if (parts <= 0) {
      long n = pairs.count();
      parts = (int) Math.max(1, Math.min(n, 4L * spark.sparkContext().defaultParallelism()));
    }
    return pairs.repartition(parts, col("image_id")).sortWithinPartitions("image_id");
  }

  /** Columns: image_id, logits_path, labels_path, n_label_files, labels_path_2. */
  public static Dataset<Row> pairs(SparkSession spark, String input) {
    UserDefinedFunction idOf = functions.udf(
        (String p) -> stripExtension(new Path(p).getName()), DataTypes.StringType);
    Dataset<Row> logits = list(spark, input + "/logits", "*.npy")
        .select(idOf.apply(col("path")).as("image_id"), col("path").as("logits_path"));
    Dataset<Row> labels = list(spark, input + "/labels", "*.{png,PNG,npy}")
        .select(idOf.apply(col("path")).as("image_id"), col("path"))
        .groupBy("image_id")
        .agg(min("path").as("labels_path"), max("path").as("labels_path_2"),
            count("*").as("n_label_files"));
    return logits.join(labels, logits.col("image_id").equalTo(labels.col("image_id")), "full_outer")
        .select(functions.coalesce(logits.col("image_id"), labels.col("image_id")).as("image_id"),
            col("logits_path"), col("labels_path"), col("n_label_files"), col("labels_path_2"));
  }

  private static Dataset<Row> list(SparkSession spark, String dir, String glob) {
    try {
      Path p = new Path(dir);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new BadRecordException(dir, null, "folder does not exist: a dataset directory "
            + "holds logits/<id>.npy and labels/<id>.png|npy");
      }
    } catch (IOException e) {
      throw new BadRecordException(dir, null, "cannot list: " + e.getMessage(), e);
    }
    return spark.read().format("binaryFile").option("pathGlobFilter", glob).load(dir)
        .select("path");
  }

  static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Reads and decodes the files of one row of {@link #pairs} on an executor. */
  @Override
  public ImageRecord read(Row pair, HadoopConf conf) {
    String id = pair.getAs("image_id");
    String logitsPath = pair.getAs("logits_path");
    String labelsPath = pair.getAs("labels_path");
    if (labelsPath == null) {
      throw new BadRecordException(logitsPath, id, "logits file has no label file "
          + "labels/" + id + ".png or labels/" + id + ".npy");
    }
    if (logitsPath == null) {
      throw new BadRecordException(labelsPath, id, "label file has no logits file logits/"
          + id + ".npy");
    }
    long nLabelFiles = pair.getAs("n_label_files");
    if (nLabelFiles > 1) {
      throw new BadRecordException(labelsPath, id, "duplicate image id: " + nLabelFiles
          + " label files, e.g. " + labelsPath + " and " + pair.getAs("labels_path_2"));
    }
    try {
      var logits = NpyArray.parse(logitsPath, conf.readAll(logitsPath)).asLogits(id);
      var mask = LabelDecoder.decode(labelsPath, id, conf.readAll(labelsPath));
      return new ImageRecord(id, logitsPath, logits, mask.height(), mask.width(), mask.values());
    } catch (IOException e) {
      throw new BadRecordException(logitsPath, id, "cannot read: " + e.getMessage(), e);
    } catch (BadRecordException e) {
      throw e.withContext(logitsPath, id);
    }
  }
}
