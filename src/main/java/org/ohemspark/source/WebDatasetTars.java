package org.ohemspark.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
import org.apache.spark.storage.StorageLevel;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.io.WebDatasetTar;
import org.ohemspark.spark.HadoopChannel;
import org.ohemspark.spark.HadoopConf;

/**
 * WebDataset tar shards ({@code *.tar} in a folder, or one tar) on any Hadoop FileSystem; the
 * member names are those of {@link WebDatasetTar}. Tars are read on the executors through the
 * Hadoop FileSystem API, streamed, never untarred to local disk.
 *
 * <p>{@link #records} gives one row per piece of a tar ({@link #TAR_SCHEMA}): by bytes (the
 * default, {@link Partitioning}) a tar larger than the split size is cut between samples into
 * pieces of at most that size, from its headers alone ({@link TarPieces}), and the tars and
 * pieces are packed in order into partitions of at most that size; by count, one piece per tar
 * in {@code partitions} contiguous runs of tars. {@link #readAll} then streams a piece once,
 * reading its headers and label members in order and each logits member by position, a slab of
 * rows at a time, as the kernel needs it: one sample, a few rows of its logits, in memory at a
 * time.
 *
 * <p>Bad samples and tars, by {@link BadRecordMode} (given at construction):
 *
 * <ul>
 *   <li>{@code FAILFAST}: before the loss pass, an index pass reads only the tars' headers
 *       (member data is seeked over) to check every sample (logits and one label present, no
 *       key repeated) and that no key appears in two tars; the first problem is a
 *       {@link BadRecordException} naming the tar, the key and the problem.</li>
 *   <li>{@code PERMISSIVE}, {@code DROPMALFORMED}: no index pass, but for the tars to cut,
 *       whose headers are read for where their samples lie (not checked; a tar whose headers
 *       cannot be read is not cut). {@link #readAll} throws a
 *       {@link BadRecordException} from {@code next()} in place of each malformed sample (the
 *       tar goes on), and from {@code hasNext()} for an unreadable rest of a tar (truncated,
 *       corrupt header) after every sample before it; the loss pass makes each an error row.
 *       A whole sample whose key is repeated, in its tar or in another, is read like any other,
 *       and the shared duplicate-id rule ({@link org.ohemspark.mining.BadRecords}) sets every copy
 *       aside.</li>
 * </ul>
 *
 * <p>A tar cut into pieces gives the same records as the tar streamed whole: a piece starts at
 * a sample's first header and ends before the next piece's, and carries the keys of earlier
 * pieces that appear again in it, so a repeated key is found as when streaming the whole tar.
 * One difference, only for a tar whose headers all read but whose member data does not (an I/O
 * error, a checksum failure inside data): the unreadable rest is that of its piece, and the
 * next piece is read on its own.
 *
 * <p>Tars of images for a model ({@link ImageTars}) are read by this same code, with an image
 * member in place of the logits member ({@link WebDatasetTar.Payload#IMAGE}): the same index
 * pass, pieces, checks and bad records.
 */
public final class WebDatasetTars implements ImageSource {
  private static final long serialVersionUID = 1L;

  /**
   * A row of {@link #records}: a piece of a tar ({@link TarPieces.Piece}): the tar, its length,
   * where the piece starts and ends ({@code -1}: at the tar's end), and the keys before it in
   * the tar that appear again in it.
   */
  public static final StructType TAR_SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("length", DataTypes.LongType, false)
      .add("start", DataTypes.LongType, false)
      .add("end", DataTypes.LongType, false)
      .add("seen_before", DataTypes.createArrayType(DataTypes.StringType, false), false);

  private static final StructType KEY_SCHEMA = new StructType()
      .add("key", DataTypes.StringType, false)
      .add("tar", DataTypes.StringType, false);

  private final String input;
  private final BadRecordMode mode;
  /** What a sample holds besides its label: logits, or an image ({@link ImageTars}). */
  private final WebDatasetTar.Payload payload;

  /** The tars in the folder {@code input}, or the single tar {@code input} (any URI), FAILFAST. */
  public WebDatasetTars(String input) {
    this(input, BadRecordMode.FAILFAST);
  }

  /**
   * The tars of {@code input}, bad samples and tars handled as {@code mode} says (see the class
   * comment); use the mode the miner runs in.
   */
  public WebDatasetTars(String input, BadRecordMode mode) {
    this(input, mode, WebDatasetTar.Payload.LOGITS);
  }

  /**
   * The tars of {@code input} whose samples hold {@code payload} (and a label), read as the
   * class comment says; for {@link WebDatasetTar.Payload#IMAGE} only {@link #records} and
   * {@link #samples} apply ({@link ImageTars}).
   */
  WebDatasetTars(String input, BadRecordMode mode, WebDatasetTar.Payload payload) {
    this.input = input;
    this.mode = mode;
    this.payload = payload;
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
   * {@link #records(SparkSession, Partitioning)}: {@code partitions} partitions, or by bytes at
   * the default target when 0.
   */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    return records(spark, Partitioning.of(partitions, Partitioning.DEFAULT_TARGET_BYTES));
  }

  /**
   * One row per piece of a tar ({@link #TAR_SCHEMA}), in FAILFAST after the index pass.
   *
   * @param partitioning by bytes: tars larger than the split size
   *     ({@link Partitioning#splitBytes} of the tars' lengths) cut into pieces, and tars and
   *     pieces packed next-fit in tar name order; by count: whole tars, at most that many
   *     partitions of consecutive tars
   * @throws BadRecordException (or a Spark exception caused by one), FAILFAST only, for a
   *     malformed sample, an unreadable tar or a key found in two tars, naming the tars and the
   *     key
   */
  @Override
  public Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    List<Row> tars = tars(spark);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (partitioning.byCount()) {
      if (mode == BadRecordMode.FAILFAST) {
        index(spark, tars, Long.MAX_VALUE);
      }
      List<Row> rows = new ArrayList<>();
      for (Row t : tars) {
        rows.add(row(TarPieces.Piece.whole(t.getString(0), t.getLong(1))));
      }
      return spark.createDataFrame(jsc.parallelize(rows, Math.min(partitioning.partitions(),
          rows.size())), TAR_SCHEMA);
    }
    long[] lengths = new long[tars.size()];
    long total = 0;
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = tars.get(i).getLong(1);
      total += Partitioning.cost(lengths[i]);
    }
    long split = partitioning.splitBytes(total, spark.sparkContext().defaultParallelism());
    List<TarPieces.Piece> pieces = index(spark, tars, split);
    long[] costs = new long[pieces.size()];
    for (int i = 0; i < costs.length; i++) {
      costs[i] = pieces.get(i).cost();
    }
    int[] starts = Partitioning.nextFit(costs, split);
    List<List<Row>> partitions = new ArrayList<>(starts.length);
    for (int p = 0; p < starts.length; p++) {
      List<Row> rows = new ArrayList<>();
      for (int i = starts[p]; i < (p + 1 < starts.length ? starts[p + 1] : pieces.size()); i++) {
        rows.add(row(pieces.get(i)));
      }
      partitions.add(rows);
    }
    // one list per partition: parallelize cuts a list of n into n slices of one element
    return spark.createDataFrame(jsc.parallelize(partitions, partitions.size())
        .flatMap(List::iterator), TAR_SCHEMA);
  }

  private static Row row(TarPieces.Piece p) {
    return RowFactory.create(p.tar(), p.length(), p.start(), p.end(),
        scala.jdk.javaapi.CollectionConverters.asScala(p.seenBefore()).toSeq());
  }

  /** A piece of a row of {@link #records}. */
  private static TarPieces.Piece piece(Row r) {
    return new TarPieces.Piece(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), 0,
        r.getList(4));
  }

  /**
   * The pieces of every tar, in order, from one pass over headers on the executors (one task
   * per tar read). In FAILFAST every tar's headers are read and checked (the index pass: every
   * sample, and keys unique across tars); else only the tars larger than {@code split} are
   * read, for where to cut them, unchecked. A tar is cut when it is larger than {@code split},
   * its headers read and it holds no global PAX header.
   */
  private List<TarPieces.Piece> index(SparkSession spark, List<Row> tars, long split) {
    boolean check = mode == BadRecordMode.FAILFAST;
    List<Row> toRead = new ArrayList<>();
    for (Row r : tars) {
      if (check || r.getLong(1) > split) {
        toRead.add(r);
      }
    }
    Map<String, List<TarPieces.Piece>> cut = new HashMap<>();
    if (!toRead.isEmpty()) {
      HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
      JavaRDD<TarIndex> index = JavaSparkContext.fromSparkContext(spark.sparkContext())
          .parallelize(toRead, toRead.size())
          .map(r -> TarIndex.of(r.getString(0), r.getLong(1), split, check, payload, conf));
      if (check) {
        index = index.persist(StorageLevel.MEMORY_AND_DISK());
      }
      try {
        if (check) {
          checkKeys(spark, index);
        }
        for (TarIndex t : index.collect()) {
          cut.put(t.tar(), t.pieces());
        }
      } finally {
        index.unpersist(false);
      }
    }
    List<TarPieces.Piece> pieces = new ArrayList<>();
    for (Row r : tars) {
      List<TarPieces.Piece> p = cut.get(r.getString(0));
      pieces.addAll(p != null ? p : List.of(TarPieces.Piece.whole(r.getString(0),
          r.getLong(1))));
    }
    return pieces;
  }

  /**
   * What one tar's headers say: its pieces, and in a checked index its keys (for the check
   * across tars).
   */
  @DefaultSerializer(JavaSerializer.class) // a task result, persisted: Kryo cannot build records
  public record TarIndex(String tar, List<TarPieces.Piece> pieces, List<String> keys)
      implements java.io.Serializable {

    /**
     * Reads the headers of {@code tar} ({@link WebDatasetTar#layout}).
     *
     * @throws BadRecordException when checking, for an unreadable tar or a malformed sample
     */
    static TarIndex of(String tar, long length, long split, boolean check,
        WebDatasetTar.Payload payload, HadoopConf conf) {
      WebDatasetTar.Layout layout;
      try (HadoopChannel ch = HadoopChannel.open(tar, conf)) {
        layout = WebDatasetTar.layout(tar, ch, payload, check);
      } catch (IOException e) {
        if (!check) {
          return new TarIndex(tar, List.of(TarPieces.Piece.whole(tar, length)), List.of());
        }
        throw new BadRecordException(tar, null, "cannot read: " + e.getMessage(), e);
      }
      List<String> keys = new ArrayList<>();
      if (layout != null) {
        for (WebDatasetTar.Sample s : layout.samples()) {
          keys.add(s.key());
        }
      }
      boolean cut = layout != null && layout.splittable() && length > split;
      return new TarIndex(tar, cut ? TarPieces.cut(tar, length, layout.spans(), split)
          : List.of(TarPieces.Piece.whole(tar, length)), keys);
    }
  }

  /** No key in two tars (every sample already checked by the index). */
  private void checkKeys(SparkSession spark, JavaRDD<TarIndex> index) {
    JavaRDD<Row> keys = index.flatMap(t -> {
      List<Row> out = new ArrayList<>(t.keys().size());
      for (String k : t.keys()) {
        out.add(RowFactory.create(k, t.tar()));
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

  /**
   * The {@code batch} field of each sample's {@code <key>.json} ({@link TarBatches}), lazily:
   * never null, since whether any sample has one is known only by reading the tars; an image
   * without one fails the batch scope naming it.
   */
  @Override
  public Dataset<Row> batches(SparkSession spark) {
    return TarBatches.of(spark, tars(spark));
  }

  /** A tar holds many images: use {@link #readAll}. */
  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    throw new UnsupportedOperationException("a WebDataset tar holds many images: readAll");
  }

  /**
   * Streams the piece of a tar of one row through the Hadoop FileSystem API and decodes its
   * samples in archive order: headers and labels read in order, each logits member read by
   * position a slab of rows at a time while its sample is mined ({@link WebDatasetTar}). The
   * tar is closed once the piece's last sample is consumed, or when the task ends.
   *
   * @throws BadRecordException naming the tar (and member) and key: from {@code next()} for a
   *     malformed sample (the iterator goes on), from {@code hasNext()} (or here, for a tar that
   *     cannot be opened) when the rest of the tar cannot be read
   */
  @Override
  public Iterator<ImageRecord> readAll(Row record, HadoopConf conf) {
    Iterator<WebDatasetTar.Sample> samples = samples(record, conf);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return samples.hasNext();
      }

      @Override
      public ImageRecord next() {
        return samples.next().decode();
      }
    };
  }

  /**
   * Streams the piece of a tar of one row and gives its samples in archive order, undecoded
   * (label bytes, and the logits member's byte range or the image's bytes): what
   * {@link #readAll} decodes, and {@link ImageTars} too. The tar is closed once the piece's
   * last sample is consumed, or when the task ends.
   *
   * @throws BadRecordException as {@link #readAll}
   */
  Iterator<WebDatasetTar.Sample> samples(Row record, HadoopConf conf) {
    TarPieces.Piece piece = piece(record);
    String tar = piece.tar();
    WebDatasetTar.SampleStream samples;
    try {
      samples = WebDatasetTar.stream(tar, TarPieces.open(piece, conf), payload,
          mode != BadRecordMode.FAILFAST, piece.start(), piece.seenBefore());
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
      public WebDatasetTar.Sample next() {
        return samples.next();
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
