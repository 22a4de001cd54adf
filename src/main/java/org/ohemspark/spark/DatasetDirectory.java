package org.ohemspark.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.io.LabelDecoder;
import org.ohemspark.io.NpyArray;

/**
 * A dataset directory as inference dumps lay it out: {@code logits/<id>.npy} ({@code [C,h,w]})
 * and {@code labels/<id>.png} or {@code labels/<id>.npy} ({@code [H,W]}), on any Hadoop
 * FileSystem. Hidden files ({@code .x}, {@code _x}) in those folders are not read; any other
 * entry that is not such a file (another extension, a sub-folder) is not read either, and is
 * named in a {@link #warnings warning} the job prints.
 *
 * <p>The two folders are listed on the driver through the Hadoop FileSystem API (as Spark's own
 * file sources do for a couple of root folders) and paired by image id there: one small row of
 * paths per image, never pixels. The rows are spread over the tasks in image id order, and each
 * executor reads its images' files through the Hadoop FileSystem API. A logits file without a
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
   * The image pairs in image id order, in contiguous ranges per partition (so iteration order
   * is the same on every run); the default partition count is
   * {@code min(images, 4 * defaultParallelism)}.
   *
   * @throws BadRecordException if {@code logits/} or {@code labels/} is missing or unlistable
   */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    Listing listing = listing(spark.sparkContext().hadoopConfiguration(), input);
    List<String> notRead = listing.notRead();
    warnings = notRead.isEmpty() ? List.of() : List.of(notRead.size() + " entries of " + input
        + " are not read (neither <id>.npy in logits/ nor <id>.png or <id>.npy in labels/, nor "
        + "hidden; folders are not searched): " + notRead.subList(0, Math.min(10,
        notRead.size())) + (notRead.size() > 10 ? " ..." : ""));
    List<Row> rows = listing.pairs();
    int parts = partitions;
    if (parts <= 0) {
      parts = (int) Math.max(1, Math.min(rows.size(),
          4L * spark.sparkContext().defaultParallelism()));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return spark.createDataFrame(jsc.parallelize(rows, parts), PAIRS);
  }

  @Override
  public List<String> warnings() {
    List<String> w = warnings;
    return w == null ? List.of() : w;
  }

  /**
   * What the driver's listing finds.
   *
   * @param pairs one row of {@link #PAIRS} per image id of either folder, sorted by id; label
   *     paths min / max by name
   * @param notRead the entries of {@code logits/} and {@code labels/} that are not read: not
   *     hidden, and not a file of the folder's extensions (sub-folders end in {@code /})
   */
  record Listing(List<Row> pairs, List<String> notRead) {}

  /**
   * Lists {@code logits/} and {@code labels/} under {@code input}.
   *
   * @throws BadRecordException if either folder is missing or cannot be listed
   */
  static Listing listing(Configuration conf, String input) {
    List<String> notRead = new ArrayList<>();
    TreeMap<String, String> logits = new TreeMap<>();
    for (Path p : list(conf, input + "/logits", notRead, ".npy")) {
      logits.put(stripExtension(p.getName()), p.toString());
    }
    TreeMap<String, TreeSet<String>> labels = new TreeMap<>();
    for (Path p : list(conf, input + "/labels", notRead, ".png", ".PNG", ".npy")) {
      labels.computeIfAbsent(stripExtension(p.getName()), k -> new TreeSet<>()).add(p.toString());
    }
    TreeSet<String> ids = new TreeSet<>(logits.keySet());
    ids.addAll(labels.keySet());
    List<Row> rows = new ArrayList<>(ids.size());
    for (String id : ids) {
      TreeSet<String> l = labels.get(id);
      rows.add(RowFactory.create(id, logits.get(id), l == null ? null : l.first(),
          l == null ? null : (long) l.size(), l == null ? null : l.last()));
    }
    return new Listing(rows, notRead);
  }

  private static List<Path> list(Configuration conf, String dir, List<String> notRead,
      String... extensions) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new BadRecordException(dir, null, "folder does not exist: a dataset directory "
            + "holds logits/<id>.npy and labels/<id>.png|npy");
      }
      List<Path> out = new ArrayList<>();
      for (FileStatus st : fs.listStatus(p)) {
        String name = st.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        boolean read = false;
        for (String ext : extensions) {
          if (st.isFile() && name.endsWith(ext)) {
            out.add(fs.makeQualified(st.getPath()));
            read = true;
            break;
          }
        }
        if (!read) {
          notRead.add(fs.makeQualified(st.getPath()) + (st.isDirectory() ? "/" : ""));
        }
      }
      return out;
    } catch (IOException e) {
      throw new BadRecordException(dir, null, "cannot list: " + e.getMessage(), e);
    }
  }

  static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Reads and decodes the files of one row of {@link #records} on an executor. */
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
      var logits = NpyArray.parse(logitsPath, readAll(conf, logitsPath, id)).asLogits(id);
      var mask = LabelDecoder.decode(labelsPath, id, readAll(conf, labelsPath, id));
      return new ImageRecord(id, logitsPath + ", " + labelsPath, logits, mask.height(),
          mask.width(), mask.values());
    } catch (BadRecordException e) {
      throw e.withContext(logitsPath, id);
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
}
