package org.ohemspark.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.Logits;
import org.ohemspark.io.LabelDecoder;
import org.ohemspark.io.NpyArray;
import org.ohemspark.spark.HadoopChannel;
import org.ohemspark.spark.HadoopConf;

/**
 * A dataset directory as inference dumps lay it out: {@code logits/<id>.npy} ({@code [C,h,w]})
 * and {@code labels/<id>.png} or {@code labels/<id>.npy} ({@code [H,W]}), on any Hadoop
 * FileSystem. Hidden files ({@code .x}, {@code _x}) in those folders are not read; any other
 * entry that is not such a file (another extension, a sub-folder) is not read either, and is
 * named in a {@link #warnings warning} the job prints.
 *
 * <p>The two folders are listed on the driver through the Hadoop FileSystem API (as Spark's own
 * file sources do for a couple of root folders), with the files' sizes, and paired by image id
 * there, compactly ({@link DirectoryListing}: a few bytes per image, never a path or row per
 * file). The images are cut into partitions by bytes ({@link Partitioning}) in image id order;
 * each executor makes its rows of paths and reads its images' files through the Hadoop
 * FileSystem API. A logits file without a
 * label, a label without logits, or two label files for one id are bad records, raised when the
 * image is read. (An earlier version listed and joined with Spark's {@code binaryFile} source;
 * profiling showed those planning-heavy jobs costing seconds before any logits were read.)
 */
public final class DatasetDirectory implements ImageSource {
  private static final long serialVersionUID = 1L;
  private final String input;
  /** What the last {@link #records} found to warn about (driver only). */
  private transient volatile List<String> warnings;

  /** Columns of {@link #records}. */
  public static final StructType PAIRS = new StructType()
      .add("image_id", DataTypes.StringType, false)
      .add("logits_path", DataTypes.StringType, true)
      .add("labels_path", DataTypes.StringType, true)
      .add("n_label_files", DataTypes.LongType, true)
      .add("labels_path_2", DataTypes.StringType, true);

  /** The dataset directory at {@code input} (any Hadoop FileSystem URI). */
  public DatasetDirectory(String input) {
    this.input = input;
  }

  @Override
  public String describe() {
    return "dataset directory " + input;
  }

  /**
   * {@link #records(SparkSession, Partitioning)}: {@code partitions} partitions, or by bytes at
   * the default target when 0.
   */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    return records(spark, Partitioning.of(partitions, Partitioning.DEFAULT_TARGET_BYTES));
  }

  /**
   * The image pairs in image id order, in contiguous runs per partition (so iteration order is
   * the same on every run): by bytes, each image costing its logits and label files' bytes
   * (from the listing) and runs packed up to {@link Partitioning#splitBytes}; by count, runs of
   * equal count. The driver keeps the listing compact ({@link DirectoryListing}: ids and flags,
   * no path or row per file) and ships each partition its run; the executors make the rows.
   *
   * @throws BadRecordException if {@code logits/} or {@code labels/} is missing or unlistable
   */
  @Override
  public Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    DirectoryListing listing = DirectoryListing.of(spark.sparkContext().hadoopConfiguration(),
        input);
    List<String> notRead = listing.notRead();
    long n = listing.notReadCount();
    warnings = n == 0 ? List.of() : List.of(n + " entries of " + input + " are not read "
        + "(neither <id>.npy in logits/ nor <id>.png or <id>.npy in labels/, nor hidden; "
        + "folders are not searched): " + notRead + (n > notRead.size() ? " ..." : ""));
    int[] starts = partitioning.cut(listing.bytes(), spark.sparkContext().defaultParallelism());
    List<DirectoryListing.Slice> slices = new ArrayList<>(starts.length);
    for (int k = 0; k < starts.length; k++) {
      slices.add(listing.slice(starts[k], k + 1 < starts.length ? starts[k + 1]
          : listing.size()));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // one slice per partition: parallelize cuts a list of n into n slices of one element
    return spark.createDataFrame(jsc.parallelize(slices, slices.size())
        .flatMap(DirectoryListing.Slice::rows), PAIRS);
  }

  @Override
  public List<String> warnings() {
    List<String> w = warnings;
    return w == null ? List.of() : w;
  }

  /**
   * Reads and decodes the files of one row of {@link #records} on an executor. The logits stay
   * in their file, open, and are read a slab of rows at a time as the kernel needs them
   * ({@link org.ohemspark.io.SlabLogits}: any size, memory of a few rows); close the record's
   * logits when done. The label file is read whole (it is small beside its logits), once.
   */
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
    HadoopChannel file;
    try {
      file = HadoopChannel.open(logitsPath, conf);
    } catch (IOException e) {
      throw new BadRecordException(logitsPath, id, "cannot read: " + e.getMessage(), e);
    }
    try {
      Logits logits = NpyArray.open(logitsPath, file).asLogits(id);
      var mask = LabelDecoder.decode(labelsPath, id, readAll(conf, labelsPath, id));
      return new ImageRecord(id, logitsPath + ", " + labelsPath, logits, mask.height(),
          mask.width(), mask.values());
    } catch (RuntimeException e) {
      closeQuietly(file);
      throw e instanceof BadRecordException b ? b.withContext(logitsPath, id) : e;
    }
  }

  private static void closeQuietly(HadoopChannel file) {
    try {
      file.close();
    } catch (IOException ignored) {
      // read-only: nothing is lost
    }
  }

  /** The file's bytes; a read error names that file. */
  private static byte[] readAll(HadoopConf conf, String path, String id) {
    try {
      return conf.readAll(path);
    } catch (IOException e) {
      throw new BadRecordException(path, id, "cannot read: " + e.getMessage(), e);
    }
  }

  /** {@code batches.csv} beside {@code dataset.json} ({@link BatchFile}), or null. */
  @Override
  public Dataset<Row> batches(SparkSession spark) {
    return BatchFile.beside(spark, input);
  }
}
