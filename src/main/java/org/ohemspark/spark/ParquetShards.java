package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
 */
public final class ParquetShards implements ImageSource {
  private static final long serialVersionUID = 1L;
  private final String input;

  /** The shards in the folder {@code input}, or the single file {@code input} (any URI). */
  public ParquetShards(String input) {
    this.input = input;
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
    try {
      Path p = new Path(input);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new BadRecordException(input, null, "does not exist");
      }
    } catch (IOException e) {
      throw new BadRecordException(input, null, "cannot list: " + e.getMessage(), e);
    }
    try {
      return spark.read().option("pathGlobFilter", "*.parquet").parquet(input);
    } catch (Exception e) { // AnalysisException (checked, thrown from Scala): no schema
      if (e instanceof AnalysisException) {
        throw new BadRecordException(input, null, "no Parquet shard (*.parquet) readable: "
            + e.getMessage(), e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  /**
   * One row per image: the columns {@link ShardSchema#check} names plus {@code _shard}.
   *
   * @param partitions 0 keeps Spark's file partitioning; fewer than that coalesces
   * @throws BadRecordException for a schema that is not a shard's
   */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    Dataset<Row> all = frame(spark);
    List<String> needed = ShardSchema.check(all.schema(), input);
    Column file = col("_metadata.file_path");
    List<Column> cols = new ArrayList<>();
    for (String c : needed) {
      cols.add(col(c));
    }
    cols.add(file.as("_shard"));
    Dataset<Row> rows = all.select(cols.toArray(new Column[0]));
    if (partitions > 0 && partitions < rows.rdd().getNumPartitions()) {
      rows = rows.coalesce(partitions);
    }
    return rows;
  }

  /** Decodes one row on an executor ({@link ShardSchema#toRecord}). */
  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    return ShardSchema.toRecord(record, record.getAs("_shard"));
  }
}
