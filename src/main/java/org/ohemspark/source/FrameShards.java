package org.ohemspark.source;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.spark.HadoopConf;

/**
 * Images from a caller's DataFrame in the shard schema ({@link ShardSchema}): what
 * {@code spark.read().parquet(shardsDir)} returns for the shards {@code jobs/ohem-ingest.sh}
 * writes, or any frame with those columns (the ML stages' input, {@code org.ohemspark.ml}).
 * One row is one image; the frame keeps its own partitioning unless a count is asked for.
 *
 * <p>The frame itself stays on the driver (a transient field): tasks only decode rows
 * ({@link #read}).
 */
public final class FrameShards implements ImageSource {
  private static final long serialVersionUID = 1L;
  /** The {@code source} of the frame's records in messages and {@code quarantine/}. */
  public static final String SOURCE = "<DataFrame>";

  private final transient Dataset<Row> frame;
  /** {@code image_id} and {@code batch} where the frame has a batch column, else null. */
  private final transient Dataset<Row> batches;

  /**
   * @param frame one row per image with the shard schema's columns (others are not read)
   * @throws IllegalArgumentException naming the missing or mistyped columns
   */
  public FrameShards(Dataset<?> frame) {
    List<String> needed;
    try {
      needed = ShardSchema.check(frame.schema(), SOURCE);
    } catch (BadRecordException e) {
      throw new IllegalArgumentException("the DataFrame is not in the shard schema: "
          + e.getMessage(), e);
    }
    List<Column> cols = new ArrayList<>();
    for (String c : needed) {
      cols.add(col(c));
    }
    this.frame = frame.toDF().select(cols.toArray(Column[]::new));
    this.batches = java.util.List.of(frame.columns()).contains("batch")
        ? frame.toDF().select(col("image_id"), col("batch").cast("long").as("batch")) : null;
  }

  /** The frame's {@code batch} column with the image ids, or null without one. */
  @Override
  public Dataset<Row> batches(SparkSession spark) {
    return batches;
  }

  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    return partitions > 0 && partitions != frame.rdd().getNumPartitions()
        ? frame.repartition(partitions) : frame;
  }

  /**
   * The frame's rows, with Spark's vectorized Parquet reader (where the frame reads Parquet
   * files) filling batches of at most {@link RowGroupLimit#READER_BATCH_BYTES} of decoded rows
   * ({@link RowGroupLimit#readerBatchRows}, from the files' footers), as the job reads shards:
   * at Spark's default of 4096 rows a batch, a task reading 20 MB rows of logits runs out of
   * heap. Spark reads that setting from the session that read the files when the RDD is made,
   * so it is set in the frame's session for that moment only and restored at once (another
   * query planned in that session at the same moment would see it too).
   */
  @Override
  public JavaRDD<Row> rdd(Dataset<Row> records) {
    String[] files = records.inputFiles();
    if (files.length == 0) {
      return records.javaRDD();
    }
    SparkSession spark = records.sparkSession();
    long rowBytes = 0;
    for (ParquetFooters.Footer f : ParquetFooters.read(spark, List.of(files))) {
      rowBytes = Math.max(rowBytes, f.rowBytes());
    }
    RuntimeConfig conf = spark.conf();
    String key = RowGroupLimit.BATCH_ROWS_KEY;
    scala.Option<String> before = conf.getOption(key);
    int current = Integer.parseInt(before.getOrElse(() -> "4096").trim());
    int rows = RowGroupLimit.readerBatchRows(rowBytes, current);
    if (rows == current) {
      return records.javaRDD();
    }
    conf.set(key, Integer.toString(rows));
    try {
      return records.javaRDD();
    } finally {
      if (before.isDefined()) {
        conf.set(key, before.get());
      } else {
        conf.unset(key);
      }
    }
  }

  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    return ShardSchema.toRecord(record, SOURCE);
  }

  @Override
  public String describe() {
    return "a DataFrame in the shard schema";
  }
}
