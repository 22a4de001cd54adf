package org.ohemspark.source;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.model.LabelledImage;
import org.ohemspark.spark.HadoopConf;

/**
 * Parquet shards of images for a model: the shard schema ({@link ShardSchema}) with an
 * {@code image} binary column (the encoded PNG or JPEG bytes) in place of {@code classes},
 * {@code logits_*} and {@code logits}:
 *
 * <pre>
 *   image_id       string  not null, not empty
 *   height, width  any integer type: the label mask's H, W
 *   image          binary  the encoded image
 *   labels         binary [H, W] of labels_dtype (uint8 | uint16 | int32), or an integer array
 *   labels_dtype   string  where labels is binary
 * </pre>
 *
 * Labels are after the label convention (mine with {@code train_ids}), as in every shard. Read
 * with Spark's Parquet reader ({@code *.parquet} of a folder, or one file), its file
 * partitioning kept, only those columns plus the file ({@code _shard}) selected. Unlike
 * {@link ParquetShards}, each file's footer is not checked apart: a file Spark cannot read
 * fails the run, in every mode; a malformed row is a bad record naming the file and id.
 */
public final class ImageShards implements LabelledImageSource {
  private static final long serialVersionUID = 1L;
  private final String input;

  public ImageShards(String input) {
    this.input = input;
  }

  @Override
  public String describe() {
    return "Parquet image shards " + input;
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
   * One row per image: the columns above and {@code _shard}. Partitions: Spark's own file
   * splitting, as for logits shards ({@link ParquetShards#records(SparkSession,
   * Partitioning)}), with {@code spark.sql.files.maxPartitionBytes} at the
   * {@link Partitioning#fileSplitBytes} of {@link Partitioning#forEncodedImages}
   * ({@code partition_bytes / 16}, at least 64 KiB) in a session of its own; by count, that
   * splitting at the default target, coalesced to the count when it is smaller.
   *
   * @throws BadRecordException naming the shards and the column when one is missing or of
   *     another type, or no Parquet file is found
   */
  @Override
  public Dataset<Row> records(SparkSession caller, Partitioning partitioning) {
    Partitioning encoded = (partitioning.byCount() ? Partitioning.DEFAULT : partitioning)
        .forEncodedImages();
    SparkSession spark = ParquetShards.splitting(caller, encoded.fileSplitBytes());
    int partitions = partitioning.partitions();
    Dataset<Row> all = frame(spark);
    StructType s = all.schema();
    List<Column> cols = new ArrayList<>();
    for (String c : List.of("image_id", "height", "width", "image", "labels")) {
      if (!s.getFieldIndex(c).isDefined()) {
        throw new BadRecordException(input, null, "not an image shard: no column '" + c
            + "' (an image shard holds image_id, height, width, image (binary, PNG or JPEG "
            + "bytes), labels and labels_dtype)");
      }
      cols.add(col(c));
    }
    DataType image = s.apply("image").dataType();
    if (!image.equals(DataTypes.BinaryType)) {
      throw new BadRecordException(input, null, "column image is " + image.simpleString()
          + ", expected binary (the encoded PNG or JPEG)");
    }
    DataType labels = s.apply("labels").dataType();
    if (labels.equals(DataTypes.BinaryType)) {
      if (!s.getFieldIndex("labels_dtype").isDefined()) {
        throw new BadRecordException(input, null, "not an image shard: no column "
            + "'labels_dtype' (binary labels need it)");
      }
      cols.add(col("labels_dtype"));
    } else if (!(labels instanceof ArrayType)) {
      throw new BadRecordException(input, null, "column labels is " + labels.simpleString()
          + ", expected binary (with labels_dtype) or an integer array");
    }
    for (StructField f : s.fields()) {
      if ((f.name().equals("height") || f.name().equals("width"))
          && !(f.dataType().equals(DataTypes.IntegerType) || f.dataType().equals(
          DataTypes.LongType) || f.dataType().equals(DataTypes.ShortType)
          || f.dataType().equals(DataTypes.ByteType))) {
        throw new BadRecordException(input, null, "column " + f.name() + " is "
            + f.dataType().simpleString() + ", expected an integer type");
      }
    }
    cols.add(col("_metadata.file_path").as("_shard"));
    Dataset<Row> rows = all.select(cols.toArray(new Column[0]));
    if (partitions > 0 && partitions < rows.rdd().getNumPartitions()) {
      rows = rows.coalesce(partitions);
    }
    return rows;
  }

  /**
   * One row's image bytes and decoded labels.
   *
   * @throws BadRecordException (from {@code next()}) naming the shard and id for a null or
   *     malformed value
   */
  @Override
  public Iterator<LabelledImage> readAll(Row row, HadoopConf conf) {
    return SingleRead.of(() -> read(row));
  }

  private static LabelledImage read(Row row) {
    String shard = row.getAs("_shard");
    String id = row.getAs("image_id");
    try {
      if (id == null || id.isEmpty()) {
        throw new BadRecordException(null, null, "column image_id is "
            + (id == null ? "null" : "an empty string") + ": every image needs an id");
      }
      int h = ShardSchema.size(row, "height");
      int w = ShardSchema.size(row, "width");
      byte[] image = row.getAs("image");
      if (image == null) {
        throw new BadRecordException(null, null, "column image is null");
      }
      int[] labels = ShardSchema.labels(row, Math.multiplyExact(h, w));
      return new LabelledImage(id, shard, shard + " (column image)", image, h, w, labels);
    } catch (BadRecordException e) {
      throw e.withContext(shard, id);
    }
  }

  /** The shards' {@code batch} column with their image ids, or null without one. */
  @Override
  public Dataset<Row> batches(SparkSession spark) {
    Dataset<Row> f = frame(spark);
    if (!f.schema().getFieldIndex("batch").isDefined()) {
      return null;
    }
    return f.select(org.apache.spark.sql.functions.col("image_id"),
        org.apache.spark.sql.functions.col("batch").cast("long").as("batch"));
  }

  /**
   * The shards, as Spark's Parquet reader gives them (page checksums verified).
   *
   * @throws BadRecordException naming {@code input} when it does not exist or holds no
   *     readable shard
   */
  private Dataset<Row> frame(SparkSession spark) {
    try {
      Path p = new Path(input);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new BadRecordException(input, null, "does not exist");
      }
      return spark.read().option("pathGlobFilter", "*.parquet")
          .option(ParquetShards.VERIFY_PAGE_CHECKSUMS, "true").parquet(input);
    } catch (IOException e) {
      throw new BadRecordException(input, null, "cannot list: " + e.getMessage(), e);
    } catch (Exception e) { // AnalysisException (checked in Scala terms): nothing readable
      if (e instanceof BadRecordException b) {
        throw b;
      }
      throw new BadRecordException(input, null, "no Parquet shard (*.parquet) readable: "
          + e.getMessage(), e);
    }
  }
}
