package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;

/**
 * Parquet shards ({@link ShardSchema}): the {@code *.parquet} files of a folder (or one file) on
 * any Hadoop FileSystem, read with Spark's own Parquet reader. Files of other names beside them
 * ({@code dataset.json}, {@code _SUCCESS}) are not read as data.
 *
 * <p>{@link #records} keeps Spark's file partitioning (no shuffle of the big rows; at most a
 * {@code coalesce} when fewer partitions are asked for), and selects only the columns the
 * loss pass needs plus the file name ({@code _shard}, for messages). Before that it checks the
 * schema; an {@code image_id} found twice is caught with every source's, after the loss pass,
 * in every bad-record mode ({@link BadRecords}).
 * The labels in shards are already after the label convention: mine them with
 * {@code train_ids} (the {@code dataset.json} the ingest writes says so).
 *
 * <p>Corrupt files, by {@link BadRecordMode} (given at construction). First, in every mode, the
 * footer of every file is read ({@link ParquetFooters}: one small job, no data page read).
 *
 * <ul>
 *   <li>{@code FAILFAST}: a file whose footer cannot be read is a {@link BadRecordException}
 *       naming it; a corrupt page fails Spark's read (its {@code FAILED_READ_FILE} error names
 *       the file).</li>
 *   <li>{@code PERMISSIVE}, {@code DROPMALFORMED}: a file whose footer cannot be read is one bad
 *       record (image_id null, source the file, reason the footer error), raised by
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
   * One row per image: the columns {@link ShardSchema#check} names plus {@code _shard} (and, in
   * {@code PERMISSIVE}/{@code DROPMALFORMED}, {@code _error}: one extra row per file whose
   * footer cannot be read, its other columns null).
   *
   * @param partitions 0 keeps Spark's file partitioning; fewer than that coalesces
   * @throws BadRecordException for a schema that is not a shard's, no readable file, and in
   *     {@code FAILFAST} the first file whose footer cannot be read
   */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    requireInput(spark);
    List<ParquetFooters.Footer> all = ParquetFooters.read(spark, files(spark));
    List<ParquetFooters.Footer> good = all.stream().filter(ParquetFooters.Footer::readable)
        .toList();
    List<ParquetFooters.Footer> bad = all.stream().filter(f -> !f.readable()).toList();
    if (!bad.isEmpty() && (!lenient() || good.isEmpty())) {
      ParquetFooters.Footer f = bad.get(0);
      throw new BadRecordException(f.file(), null, f.error() + (bad.size() == 1 ? ""
          : " (and " + (bad.size() - 1) + " more unreadable files)"));
    }
    footers = good;
    DataFrameReader reader = spark.read().option(VERIFY_PAGE_CHECKSUMS, "true");
    Dataset<Row> data;
    if (!lenient()) {
      data = parquet(spark, reader, input);
    } else {
      reader = reader.option("ignoreCorruptFiles", "true");
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
    }
    List<String> needed = ShardSchema.check(data.schema(), input);
    List<Column> cols = new ArrayList<>();
    for (String c : needed) {
      cols.add(col(c));
    }
    cols.add(col("_metadata.file_path").as("_shard"));
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
      rows = rows.unionByName(spark.createDataFrame(errors, schema), true);
    }
    if (partitions > 0 && partitions < rows.rdd().getNumPartitions()) {
      rows = rows.coalesce(partitions);
    }
    return rows;
  }

  /**
   * Decodes one row on an executor ({@link ShardSchema#toRecord}).
   *
   * @throws BadRecordException for a malformed row, or the extra row of a file whose footer
   *     cannot be read (image_id null, source the file)
   */
  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    if (lenient() && !record.isNullAt(record.fieldIndex("_error"))) {
      throw new BadRecordException(record.getAs("_shard"), null, record.getAs("_error"));
    }
    return ShardSchema.toRecord(record, record.getAs("_shard"));
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
}
