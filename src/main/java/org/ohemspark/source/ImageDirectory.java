package org.ohemspark.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.ohemspark.io.LabelDecoder;
import org.ohemspark.model.LabelledImage;
import org.ohemspark.spark.HadoopConf;

/**
 * A dataset directory of images for a model: {@code images/<id>.png|jpg|jpeg} (any case) and
 * {@code labels/<id>.png|npy}, on any Hadoop FileSystem, listed and paired on the driver as
 * {@link DatasetDirectory} does with {@code logits/} (one small row of paths per image, in id
 * order; hidden entries skipped, other entries named in a warning). Any {@code logits/} folder
 * beside them is not read. An image without a label, a label without an image, or two files
 * for one id in either folder are bad records, raised when the image is read.
 */
public final class ImageDirectory implements LabelledImageSource {
  private static final long serialVersionUID = 1L;
  private static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg");
  private static final List<String> LABEL_EXTENSIONS = List.of(".png", ".PNG", ".npy");
  private final String input;
  private transient volatile List<String> warnings;

  /** Columns of {@link #records}. */
  public static final StructType PAIRS = new StructType()
      .add("image_id", DataTypes.StringType, false)
      .add("image_path", DataTypes.StringType, true)
      .add("n_image_files", DataTypes.LongType, true)
      .add("image_path_2", DataTypes.StringType, true)
      .add("labels_path", DataTypes.StringType, true)
      .add("n_label_files", DataTypes.LongType, true)
      .add("labels_path_2", DataTypes.StringType, true);

  /** The directory at {@code input} (any Hadoop FileSystem URI). */
  public ImageDirectory(String input) {
    this.input = input;
  }

  @Override
  public String describe() {
    return "image directory " + input;
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
   * The pairs in image id order, in contiguous runs per partition: by bytes, each image costing
   * its image and label files' bytes (from the listing; no file opened) plus
   * {@link Partitioning#OPEN_COST_BYTES}, packed next-fit at the split size of
   * {@link Partitioning#forEncodedImages} ({@code partition_bytes / 16}); by count, runs of
   * equal count.
   *
   * @throws BadRecordException if {@code images/} or {@code labels/} is missing or unlistable
   */
  @Override
  public Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<String> notRead = new ArrayList<>();
    Map<String, Long> sizes = new HashMap<>();
    TreeMap<String, TreeSet<String>> images = byId(list(conf, "images", IMAGE_EXTENSIONS,
        notRead, sizes));
    TreeMap<String, TreeSet<String>> labels = byId(list(conf, "labels", LABEL_EXTENSIONS,
        notRead, sizes));
    warnings = notRead.isEmpty() ? List.of() : List.of(notRead.size() + " entries of " + input
        + " are not read (neither <id>.png|jpg|jpeg in images/ nor <id>.png|npy in labels/, "
        + "nor hidden; folders are not searched): " + notRead.subList(0, Math.min(10,
        notRead.size())) + (notRead.size() > 10 ? " ..." : ""));
    TreeSet<String> ids = new TreeSet<>(images.keySet());
    ids.addAll(labels.keySet());
    List<Row> rows = new ArrayList<>(ids.size());
    long[] bytes = new long[ids.size()];
    for (String id : ids) {
      TreeSet<String> i = images.get(id);
      TreeSet<String> l = labels.get(id);
      bytes[rows.size()] = (i == null ? 0 : sizes.get(i.first()))
          + (l == null ? 0 : sizes.get(l.first()));
      rows.add(RowFactory.create(id, i == null ? null : i.first(),
          i == null ? null : (long) i.size(), i == null ? null : i.last(),
          l == null ? null : l.first(), l == null ? null : (long) l.size(),
          l == null ? null : l.last()));
    }
    int[] starts = partitioning.forEncodedImages().cut(bytes,
        spark.sparkContext().defaultParallelism());
    List<List<Row>> parts = new ArrayList<>(starts.length);
    for (int k = 0; k < starts.length; k++) {
      parts.add(new ArrayList<>(rows.subList(starts[k], k + 1 < starts.length ? starts[k + 1]
          : rows.size())));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // one list per partition: parallelize cuts a list of n into n slices of one element
    return spark.createDataFrame(jsc.parallelize(parts, parts.size())
        .flatMap(List::iterator), PAIRS);
  }

  @Override
  public List<String> warnings() {
    List<String> w = warnings;
    return w == null ? List.of() : w;
  }

  private static TreeMap<String, TreeSet<String>> byId(List<Path> files) {
    TreeMap<String, TreeSet<String>> out = new TreeMap<>();
    for (Path p : files) {
      out.computeIfAbsent(DirectoryListing.stripExtension(p.getName()), k -> new TreeSet<>())
          .add(p.toString());
    }
    return out;
  }

  /** The files of {@code folder} to read; their sizes by path into {@code sizes}. */
  private List<Path> list(Configuration conf, String folder, List<String> extensions,
      List<String> notRead, Map<String, Long> sizes) {
    String dir = input + "/" + folder;
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new BadRecordException(dir, null, "folder does not exist: an image directory "
            + "holds images/<id>.png|jpg and labels/<id>.png|npy");
      }
      List<Path> out = new ArrayList<>();
      for (FileStatus st : fs.listStatus(p)) {
        String name = st.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        String lower = folder.equals("images") ? name.toLowerCase(Locale.ROOT) : name;
        if (st.isFile() && extensions.stream().anyMatch(lower::endsWith)) {
          Path q = fs.makeQualified(st.getPath());
          out.add(q);
          sizes.put(q.toString(), st.getLen());
        } else {
          notRead.add(fs.makeQualified(st.getPath()) + (st.isDirectory() ? "/" : ""));
        }
      }
      return out;
    } catch (IOException e) {
      throw new BadRecordException(dir, null, "cannot list: " + e.getMessage(), e);
    }
  }

  /**
   * Reads one row's image bytes and decodes its label on an executor.
   *
   * @throws BadRecordException (from {@code next()}) naming the file and id for a missing or
   *     duplicate file, or a label that cannot be read or decoded
   */
  @Override
  public Iterator<LabelledImage> readAll(Row pair, HadoopConf conf) {
    return SingleRead.of(() -> read(pair, conf));
  }

  private LabelledImage read(Row pair, HadoopConf conf) {
    String id = pair.getAs("image_id");
    String image = pair.getAs("image_path");
    String labels = pair.getAs("labels_path");
    if (labels == null) {
      throw new BadRecordException(image, id, "image file has no label file labels/" + id
          + ".png or labels/" + id + ".npy");
    }
    if (image == null) {
      throw new BadRecordException(labels, id, "label file has no image file images/" + id
          + ".png|jpg|jpeg");
    }
    long nImages = pair.getAs("n_image_files");
    if (nImages > 1) {
      throw new BadRecordException(image, id, "duplicate image id: " + nImages + " image "
          + "files, e.g. " + image + " and " + pair.getAs("image_path_2"));
    }
    long nLabels = pair.getAs("n_label_files");
    if (nLabels > 1) {
      throw new BadRecordException(labels, id, "duplicate image id: " + nLabels + " label "
          + "files, e.g. " + labels + " and " + pair.getAs("labels_path_2"));
    }
    byte[] bytes = readFile(conf, image, id);
    LabelDecoder.Mask mask = LabelDecoder.decode(labels, id, readFile(conf, labels, id));
    return new LabelledImage(id, image + ", " + labels, image, bytes, mask.height(),
        mask.width(), mask.values());
  }

  private static byte[] readFile(HadoopConf conf, String path, String id) {
    try {
      return conf.readAll(path);
    } catch (IOException e) {
      throw new BadRecordException(path, id, "cannot read: " + e.getMessage(), e);
    }
  }

  /** {@code batches.csv} beside the images ({@link BatchFile}), or null. */
  @Override
  public Dataset<Row> batches(SparkSession spark) {
    return BatchFile.beside(spark, input);
  }
}
