package org.ohemspark.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.spark.HadoopConf;

/**
 * Parquet shards ({@link ShardSchema}): the {@code *.parquet} files of a folder (or one file) on
 * any Hadoop FileSystem, read with Spark's own Parquet reader. Files of other names beside them
 * ({@code dataset.json}, {@code _SUCCESS}) are not read as data.
 *
 * <p>{@link #records} keeps Spark's file partitioning, cut at the partition target
 * ({@link Partitioning}; no shuffle of the big rows; at most a {@code coalesce} when fewer
 * partitions are asked for), and selects only the columns the
 * loss pass needs plus the file name and the row's index in it ({@code _shard}, {@code _row},
 * for messages). Before that it checks each file's own schema, from its footer
 * ({@link #split}): never one file's schema for all, as Spark's schema inference would take it
 * (which file depends on the name order). An
 * {@code image_id} found twice is caught with every source's, after the loss pass, in every
 * bad-record mode ({@link org.ohemspark.mining.BadRecords}).
 * The labels in shards are already after the label convention: mine them with
 * {@code train_ids} (the {@code dataset.json} the ingest writes says so).
 *
 * <p>Memory: a file whose largest row group holds more than
 * {@code spark.ohem.parquet.maxRowGroupBytes} of the columns read is a bad file, and shards are
 * read in batches of a few rows ({@link RowGroupLimit}), so reading a shard takes memory of a
 * row group within that limit and a few images, never of a whole file.
 *
 * <p>Corrupt files and files that are not shards, by {@link BadRecordMode} (given at
 * construction). First, in every mode, the footer of every file is read ({@link ParquetFooters}:
 * one small job, no data page read), and each file's schema and row group sizes checked
 * ({@link #split}).
 *
 * <ul>
 *   <li>{@code FAILFAST}: a file whose footer cannot be read, whose schema is not a shard's or
 *       whose row group is over the limit is a {@link BadRecordException} naming it (the first
 *       by name) and the column or row group; a corrupt
 *       page fails Spark's read (its {@code FAILED_READ_FILE} error names the file).</li>
 *   <li>{@code PERMISSIVE}, {@code DROPMALFORMED}: a file whose footer cannot be read, whose
 *       schema is not a shard's or whose row group is over the limit is one bad record
 *       (image_id null, source the file, reason the footer, schema or size error and the rows
 *       not read), raised by
 *       {@link #read} from an extra row ({@code _error}) so the loss pass makes its error row;
 *       Spark reads the other files with {@code ignoreCorruptFiles}, and after the loss pass
 *       {@link #unreadRecords} reports each file that gave fewer rows than its footer declares
 *       as one bad record ({@link ParquetRowCounts}). The rows read before a corrupt page are
 *       mined.</li>
 * </ul>
 */
public final class ParquetShards implements ImageSource {
  private static final long serialVersionUID = 1L;
  private final String input;
  private final BadRecordMode mode;
  /** The footers of the files {@link #records} read last (driver only). */
  private transient volatile List<ParquetFooters.Footer> footers;
  /** What the last {@link #records} found to warn about (driver only). */
  private transient volatile List<String> warnings;

  /** The shards in the folder {@code input}, or the single file {@code input} (any URI). */
  public ParquetShards(String input) {
    this(input, BadRecordMode.FAILFAST);
  }

  /**
   * The shards of {@code input}, corrupt files handled as {@code mode} says (see the class
   * comment); use the mode the miner runs in.
   */
  public ParquetShards(String input, BadRecordMode mode) {
    this.input = input;
    this.mode = mode;
  }

  private boolean lenient() {
    return mode != BadRecordMode.FAILFAST;
  }

  @Override
  public String describe() {
    return "Parquet shards " + input;
  }

  /**
   * All columns of the shards ({@code *.parquet} under {@code input}), as Spark reads them.
   *
   * @throws BadRecordException if {@code input} does not exist or holds no Parquet file
   */
  public Dataset<Row> frame(SparkSession spark) {
    requireInput(spark);
    return parquet(spark, spark.read(), input);
  }

  private void requireInput(SparkSession spark) {
    try {
      Path p = new Path(input);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new BadRecordException(input, null, "does not exist");
      }
    } catch (IOException e) {
      throw new BadRecordException(input, null, "cannot list: " + e.getMessage(), e);
    }
  }

  /**
   * Parquet's own per-page CRC32 (written by default since parquet-mr 1.12, Spark 3.2): without
   * this read option a page whose data bytes are damaged decodes to other numbers silently.
   */
  static final String VERIFY_PAGE_CHECKSUMS = "parquet.page.verify-checksum.enabled";

  private Dataset<Row> parquet(SparkSession spark, DataFrameReader reader, String... paths) {
    try {
      return reader.option("pathGlobFilter", "*.parquet").parquet(paths);
    } catch (Exception e) { // AnalysisException (checked, thrown from Scala): no schema
      if (e instanceof AnalysisException) {
        throw new BadRecordException(input, null, "no Parquet shard (*.parquet) readable: "
            + e.getMessage(), e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /**
   * The {@code *.parquet} files Spark would read (its own listing, no file opened), as URIs.
   */
  private List<String> files(SparkSession spark) {
    try {
      return Arrays.asList(spark.read().schema("image_id string")
          .option("pathGlobFilter", "*.parquet").parquet(input).inputFiles());
    } catch (Exception e) {
      throw new BadRecordException(input, null, "cannot list: " + e.getMessage(), e);
    }
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
   * One row per image: the columns {@link ShardSchema#check} names plus {@code _shard} (the
   * file), {@code _row} (the row's 0-based index in that file, from Spark's
   * {@code _metadata.row_index}: for messages about a row without an image id) and, in
   * {@code PERMISSIVE}/{@code DROPMALFORMED}, {@code _error}: one extra row per file that is
   * not read, its other columns null.
   *
   * <p>Each file's own schema (from its footer, read anyway) is checked, so the outcome does
   * not depend on which file sorts first: a file whose footer cannot be read, a file whose
   * columns are not a shard's ({@link ShardSchema#check}: a column missing or of another type)
   * and a file that stores {@code logits} or {@code labels} otherwise than most files
   * ({@link #split}) are not read. The other files are read with one explicit schema (the
   * checked columns only, each integer column of the widest type the files have; columns not
   * in the shard schema are not read, and a warning names them).
   *
   * <p>Partitions: Spark's own file splitting (files cut into ranges, a row group read by the
   * range holding its middle, ranges packed with {@code spark.sql.files.openCostInBytes} per
   * file), with {@code spark.sql.files.maxPartitionBytes} set to the target of
   * {@code partitioning} ({@link Partitioning#fileSplitBytes}) in a session of its own (the caller's session keeps its settings).
   * A partition thus holds about the target's bytes of whole row groups; a row group larger
   * than the target is a partition alone. By count: that file partitioning at the default
   * target, coalesced to the count when it is smaller (never a shuffle of the big rows).
   *
   * @throws BadRecordException for no Parquet file, in {@code FAILFAST} the first file (by
   *     name) that is not read, naming it and why, and in the other modes the same when no
   *     file can be read
   */
  @Override
  public Dataset<Row> records(SparkSession caller, Partitioning partitioning) {
    SparkSession spark = splitting(caller, partitioning.byCount()
        ? Partitioning.DEFAULT.fileSplitBytes() : partitioning.fileSplitBytes());
    int partitions = partitioning.partitions();
    requireInput(spark);
    Split split = split(ParquetFooters.read(spark, files(spark)), RowGroupLimit.of(spark));
    List<ParquetFooters.Footer> good = split.good();
    List<ParquetFooters.Footer> bad = split.bad();
    if (!bad.isEmpty() && (!lenient() || good.isEmpty())) {
      ParquetFooters.Footer f = bad.get(0);
      throw new BadRecordException(f.file(), null, f.error() + (bad.size() == 1 ? ""
          : " (and " + (bad.size() - 1) + " more files not read)"));
    }
    if (good.isEmpty()) {
      throw new BadRecordException(input, null, "no Parquet shard (*.parquet) in it");
    }
    warnings = unknownColumnsWarning(good);
    footers = good;
    SparkSession reading = RowGroupLimit.readingSession(spark, good); // batches of a few rows
    DataFrameReader reader = reading.read().option(VERIFY_PAGE_CHECKSUMS, "true")
        .schema(split.schema());
    if (lenient()) {
      reader = reader.option("ignoreCorruptFiles", "true");
    } else {
      // never skip a file, whatever spark.sql.files.ignore*Files the session sets: FAILFAST
      // reports no short file (unreadRecords), so a skipped one would be lost silently
      reader = reader.option("ignoreCorruptFiles", "false").option("ignoreMissingFiles", "false");
    }
    Dataset<Row> data;
    if (bad.isEmpty()) {
      data = parquet(spark, reader, input);
    } else {
      try {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (fs.getFileStatus(p).isDirectory()) {
          reader = reader.option("basePath", input);
        }
      } catch (IOException e) {
        throw new BadRecordException(input, null, "cannot list: " + e.getMessage(), e);
      }
      data = parquet(spark, reader, good.stream().map(ParquetFooters.Footer::file)
          .toArray(String[]::new));
    }
    List<Column> cols = new ArrayList<>();
    for (String c : split.schema().fieldNames()) {
      cols.add(col(c));
    }
    cols.add(col("_metadata.file_path").as("_shard"));
    cols.add(col("_metadata.row_index").as("_row")); // the row's index in its file, exact
    if (lenient()) {
      cols.add(lit(null).cast(DataTypes.StringType).as("_error"));
    }
    Dataset<Row> rows = data.select(cols.toArray(new Column[0]));
    if (!bad.isEmpty()) {
      List<Row> errors = new ArrayList<>();
      for (ParquetFooters.Footer f : bad) {
        errors.add(RowFactory.create(f.file(), f.error()));
      }
      StructType schema = new StructType().add("_shard", DataTypes.StringType)
          .add("_error", DataTypes.StringType);
      rows = rows.unionByName(reading.createDataFrame(errors, schema), true);
    }
    if (partitions > 0 && partitions < rows.rdd().getNumPartitions()) {
      rows = rows.coalesce(partitions);
    }
    return rows;
  }

  /**
   * A new session over the same Spark context with the caller's SQL settings (and its
   * {@code spark.ohem.*} keys, which Spark does not list as modifiable), whose file
   * scans are cut at {@code maxPartitionBytes} ({@code spark.sql.files.maxPartitionBytes}):
   * Spark reads that setting when a scan is planned, which happens where the records are
   * consumed, so it must stay set for the records' Dataset, without changing the caller's
   * session.
   */
  static SparkSession splitting(SparkSession caller, long maxPartitionBytes) {
    SparkSession s = caller.newSession();
    scala.jdk.javaapi.CollectionConverters.asJava(caller.conf().getAll()).forEach((k, v) -> {
      if (caller.conf().isModifiable(k) || k.startsWith("spark.ohem.")) { // and our own keys
        s.conf().set(k, v);
      }
    });
    s.conf().set(MAX_PARTITION_BYTES, Long.toString(maxPartitionBytes));
    return s;
  }

  /** Spark's largest file split, in bytes, read when a file scan is planned. */
  static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";

  /**
   * The files to read and the files not to read, from their footers.
   *
   * @param good files to read, all of {@code schema}'s columns, of its types or of narrower
   *     integer types
   * @param schema the read schema ({@link ShardSchema#readSchema}, each integer column of the
   *     widest type among {@code good}: {@link ShardSchema#wider}); null when {@code good} is
   *     empty
   * @param bad files not read, by name, each with its reason as its {@code error}: the footer's
   *     error, or the schema's (with {@code N rows not read})
   */
  record Split(List<ParquetFooters.Footer> good, StructType schema,
      List<ParquetFooters.Footer> bad) {}

  /**
   * Checks each readable file's own schema ({@link ShardSchema#check}). The files that pass may
   * still store {@code logits} or {@code labels} differently (binary in one, an array in
   * another); Spark reads a column with one type, so the files read are those of the layout
   * ({@link ShardSchema#layout}) most files have (a tie goes to the one with more binary
   * columns, the canonical choice, then to the smaller schema string: never to a file name) and
   * the others are bad files naming the column and how the other files store it. Integer
   * widths do not split files: the read schema has each integer column of the widest type the
   * files read have ({@link ShardSchema#wider}), which Spark's reader widens the others to.
   */
  static Split split(List<ParquetFooters.Footer> footers) {
    return split(footers, new RowGroupLimit(Long.MAX_VALUE));
  }

  /**
   * {@link #split(List)}, where a file whose largest row group is over {@code limit}
   * ({@link RowGroupLimit#tooLarge}) is a file not read too, whatever its schema's layout.
   */
  static Split split(List<ParquetFooters.Footer> footers, RowGroupLimit limit) {
    List<ParquetFooters.Footer> bad = new ArrayList<>();
    Map<StructType, List<ParquetFooters.Footer>> byLayout = new LinkedHashMap<>();
    Map<StructType, StructType> readSchemas = new LinkedHashMap<>();
    for (ParquetFooters.Footer f : footers) {
      if (!f.readable()) {
        bad.add(f);
        continue;
      }
      try {
        StructType s = ShardSchema.readSchema(f.schema(), ShardSchema.check(f.schema(),
            f.file()));
        String tooLarge = limit.tooLarge(f.largest());
        if (tooLarge != null) {
          bad.add(notRead(f, tooLarge));
          continue;
        }
        StructType layout = ShardSchema.layout(s);
        byLayout.computeIfAbsent(layout, k -> new ArrayList<>()).add(f);
        readSchemas.merge(layout, s, ShardSchema::wider);
      } catch (BadRecordException e) {
        bad.add(notRead(f, e.reason()));
      }
    }
    StructType layout = byLayout.keySet().stream().min(Comparator
        .<StructType>comparingInt(s -> -byLayout.get(s).size())
        .thenComparingInt(s -> -binaryColumns(s))
        .thenComparing(Comparator.comparing(StructType::simpleString)))
        .orElse(null);
    List<ParquetFooters.Footer> good = layout == null ? List.of() : byLayout.get(layout);
    byLayout.forEach((s, files) -> {
      if (!s.equals(layout)) {
        String column = s.apply("logits").dataType().equals(layout.apply("logits").dataType())
            ? "labels" : "logits";
        for (ParquetFooters.Footer f : files) {
          bad.add(notRead(f, "column " + column + " is " + f.schema().apply(column).dataType()
              .simpleString() + ", but " + good.get(0).schema().apply(column).dataType()
              .simpleString() + " in the other shards (e.g. " + good.get(0).file() + ", "
              + good.size() + " file(s)): the shards of a folder must store each column alike"));
        }
      }
    });
    bad.sort(Comparator.comparing(ParquetFooters.Footer::file));
    return new Split(good, layout == null ? null : readSchemas.get(layout), bad);
  }

  private static int binaryColumns(StructType s) {
    int n = 0;
    for (StructField f : s.fields()) {
      n += f.dataType().equals(DataTypes.BinaryType) ? 1 : 0;
    }
    return n;
  }

  /** {@code f} as a file not read for {@code reason}, with the rows that are lost. */
  private static ParquetFooters.Footer notRead(ParquetFooters.Footer f, String reason) {
    return new ParquetFooters.Footer(f.file(), f.rows(), f.schema(), reason + "; "
        + (f.rows() == 1 ? "1 row" : f.rows() + " rows") + " not read");
  }

  @Override
  public List<String> warnings() {
    List<String> w = warnings;
    return w == null ? List.of() : w;
  }

  /** The warning naming columns outside the shard schema, which are not read; or none. */
  private List<String> unknownColumnsWarning(List<ParquetFooters.Footer> good) {
    List<ParquetFooters.Footer> extra = good.stream()
        .filter(f -> !ShardSchema.unknownColumns(f.schema()).isEmpty()).toList();
    return extra.isEmpty() ? List.of() : List.of(extra.size() + " of " + good.size()
        + " Parquet shards of " + input + " have columns the shard schema does not define; "
        + "they are not read: e.g. " + extra.get(0).file() + ": "
        + ShardSchema.unknownColumns(extra.get(0).schema()));
  }

  /**
   * Decodes one row on an executor ({@link ShardSchema#toRecord(Row, String, long)}, with the
   * row's index in its file).
   *
   * @throws BadRecordException for a malformed row, or the extra row of a file whose footer
   *     cannot be read (image_id null, source the file)
   */
  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    if (lenient() && !record.isNullAt(record.fieldIndex("_error"))) {
      throw new BadRecordException(record.getAs("_shard"), null, record.getAs("_error"));
    }
    Long row = record.getAs("_row");
    return ShardSchema.toRecord(record, record.getAs("_shard"), row == null ? -1 : row);
  }

  /**
   * In {@code PERMISSIVE}/{@code DROPMALFORMED}: one bad record per file that gave the loss
   * pass fewer rows than its footer declares ({@link ParquetRowCounts#unread}). In
   * {@code FAILFAST} none (Spark's reader fails on such a file instead).
   */
  @Override
  public List<BadRecordException> unreadRecords(Supplier<Map<String, Long>> recordsPerSource) {
    List<ParquetFooters.Footer> f = footers;
    if (!lenient() || f == null) {
      return List.of();
    }
    return ParquetRowCounts.unread(SparkSession.active(), recordsPerSource.get(), f);
  }

  /** The shards' {@code batch} column with their image ids, or null without one. */
  @Override
  public Dataset<Row> batches(SparkSession spark) {
    Dataset<Row> f = frame(spark);
    if (!java.util.List.of(f.columns()).contains("batch")) {
      return null;
    }
    return f.select(col("image_id"), col("batch").cast("long").as("batch"));
  }
}
