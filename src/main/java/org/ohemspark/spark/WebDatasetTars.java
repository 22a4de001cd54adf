package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.io.WebDatasetTar;

/**
 * WebDataset tar shards ({@code *.tar} in a folder, or one tar) on any Hadoop FileSystem; the
 * member names are those of {@link WebDatasetTar}. Tars are read on the executors through the
 * Hadoop FileSystem API, streamed, never untarred to local disk.
 *
 * <p>{@link #records} gives one row per tar ({@code path}, {@code length}), one tar per
 * partition by default (or {@code partitions} contiguous runs of tars). {@link #readAll} then
 * streams a tar once, reading only the logits and label members, one sample in memory at a
 * time.
 *
 * <p>Bad samples and tars, by {@link BadRecordMode} (given at construction):
 *
 * <ul>
 *   <li>{@code FAILFAST}: before the loss pass, an index pass reads only the tars' headers
 *       (member data is seeked over) to check every sample (logits and one label present, no
 *       key repeated) and that no key appears in two tars; the first problem is a
 *       {@link BadRecordException} naming the tar, the key and the problem.</li>
 *   <li>{@code PERMISSIVE}, {@code DROPMALFORMED}: no index pass. {@link #readAll} throws a
 *       {@link BadRecordException} from {@code next()} in place of each malformed sample (the
 *       tar goes on), and from {@code hasNext()} for an unreadable rest of a tar (truncated,
 *       corrupt header) after every sample before it; the loss pass makes each an error row.
 *       A whole sample whose key is repeated, in its tar or in another, is read like any other,
 *       and the shared duplicate-id rule ({@link BadRecords}) sets every copy aside.</li>
 * </ul>
 */
public final class WebDatasetTars implements ImageSource {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER = 256 * 1024;

  /** A row of {@link #records}. */
  public static final StructType TAR_SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("length", DataTypes.LongType, false);

  private static final StructType KEY_SCHEMA = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("tar", DataTypes.StringType, false);

  private final String input;
  private final BadRecordMode mode;

  /** The tars in the folder {@code input}, or the single tar {@code input} (any URI), FAILFAST. */
  public WebDatasetTars(String input) {
    this(input, BadRecordMode.FAILFAST);
  }

  /**
   * The tars of {@code input}, bad samples and tars handled as {@code mode} says (see the class
   * comment); use the mode the miner runs in.
   */
  public WebDatasetTars(String input, BadRecordMode mode) {
    this.input = input;
    this.mode = mode;
  }

  @Override
  public String describe() {
    return "WebDataset tars " + input;
  }

  /**
   * The tars, by path, with their lengths in bytes: one listing of {@code input} through the
   * Hadoop FileSystem API (metadata only, no byte read).
   *
   * @throws BadRecordException if {@code input} does not exist or holds no {@code *.tar}
   */
  public List<Row> tars(SparkSession spark) {
    List<Row> tars = new ArrayList<>();
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new BadRecordException(input, null, "does not exist");
      }
      FileStatus[] found = fs.getFileStatus(p).isFile() ? new FileStatus[] {fs.getFileStatus(p)}
          : fs.listStatus(p, f -> f.getName().endsWith(".tar"));
      for (FileStatus f : found) {
        if (f.isFile()) {
          tars.add(RowFactory.create(f.getPath().toString(), f.getLen()));
        }
      }
    } catch (IOException e) {
      throw new BadRecordException(input, null, "cannot list: " + e.getMessage(), e);
    }
    if (tars.isEmpty()) {
      throw new BadRecordException(input, null, "no WebDataset tar (*.tar) found");
    }
    tars.sort(java.util.Comparator.comparing(r -> r.getString(0)));
    return tars;
  }

  /**
   * One row per tar ({@link #TAR_SCHEMA}), in FAILFAST after the index pass.
   *
   * @param partitions 0: one tar per partition; else at most that many partitions of
   *     consecutive tars
   * @throws BadRecordException (or a Spark exception caused by one), FAILFAST only, for a
   *     malformed sample, an unreadable tar or a key found in two tars, naming the tars and the
   *     key
   */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    List<Row> tars = tars(spark);
    if (mode == BadRecordMode.FAILFAST) {
      checkKeys(spark, tars);
    }
    int slices = partitions > 0 ? Math.min(partitions, tars.size()) : tars.size();
    JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(tars, slices);
    return spark.createDataFrame(rdd, TAR_SCHEMA);
  }

  /** The index pass: every sample checked from the headers, and keys unique across tars. */
  private void checkKeys(SparkSession spark, List<Row> tars) {
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    List<String> paths = new ArrayList<>();
    for (Row r : tars) {
      paths.add(r.getString(0));
    }
    JavaRDD<Row> keys = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(paths, paths.size())
        .flatMap(tar -> {
          List<Row> out = new ArrayList<>();
          try (HadoopChannel ch = HadoopChannel.open(tar, conf)) {
            for (WebDatasetTar.Sample s : WebDatasetTar.index(tar, ch)) {
              out.add(RowFactory.create(s.key(), tar));
            }
          } catch (IOException e) {
            throw new BadRecordException(tar, null, "cannot read: " + e.getMessage(), e);
          }
          return out.iterator();
        });
    List<Row> dup = spark.createDataFrame(keys, KEY_SCHEMA).groupBy("key")
        .agg(count("*").as("n"), min("tar").as("first"), max("tar").as("last"))
        .filter(col("n").gt(1)).orderBy("key").limit(1).collectAsList();
    if (!dup.isEmpty()) {
      Row d = dup.get(0);
      throw new BadRecordException(d.getString(2), d.getString(0), "duplicate key: sample '"
          + d.getString(0) + "' is in " + d.getLong(1) + " tars, e.g. " + d.getString(2)
          + " and " + d.getString(3) + "; keys (image ids) must be unique across tars");
    }
  }

  /** A tar holds many images: use {@link #readAll}. */
  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    throw new UnsupportedOperationException("a WebDataset tar holds many images: readAll");
  }

  /**
   * Streams the tar of one row through the Hadoop FileSystem API and decodes its samples in
   * archive order. The stream is closed at its end, or when the task ends.
   *
   * @throws BadRecordException naming the tar (and member) and key: from {@code next()} for a
   *     malformed sample (the iterator goes on), from {@code hasNext()} (or here, for a tar that
   *     cannot be opened) when the rest of the tar cannot be read
   */
  @Override
  public Iterator<ImageRecord> readAll(Row record, HadoopConf conf) {
    String tar = record.getString(0);
    WebDatasetTar.SampleStream samples;
    try {
      samples = WebDatasetTar.stream(tar, new BufferedInputStream(conf.stream(tar), BUFFER),
          mode != BadRecordMode.FAILFAST);
    } catch (IOException e) {
      throw new BadRecordException(tar, null, "cannot read: " + e.getMessage(), e);
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) ctx -> closeQuietly(samples));
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = samples.hasNext();
        if (!more) {
          closeQuietly(samples);
        }
        return more;
      }

      @Override
      public ImageRecord next() {
        return samples.next().decode();
      }
    };
  }

  private static void closeQuietly(WebDatasetTar.SampleStream s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // a read-only stream: nothing is lost; the read itself succeeded or already failed
    }
  }
}
