package org.ohemspark.source;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;
import org.ohemspark.spark.HadoopConf;

/**
 * Writes the images of any {@link ImageSource} as Parquet shards ({@link ShardSchema}) with
 * Spark's Parquet writer: the ingest.
 *
 * <p>Each image goes through {@link ImageLossComputer} on its executor, exactly as in the main
 * job: the label convention is applied, the class count, label range, shapes and finite logits
 * are checked (the losses are computed and dropped), so a dataset that ingests cleanly mines
 * cleanly, and the shards hold labels after the convention.
 *
 * <p>File size: the input is read in {@code ceil(inputBytes / targetFileBytes)} tasks (each
 * writing its own files; no shuffle of the big rows), and a file is closed after
 * {@code max(1, targetFileBytes / rowBytes)} rows ({@code maxRecordsPerFile}), where
 * {@code rowBytes} is the logits plus labels bytes of the first image. Files land near the
 * target when images are of similar size; logits barely compress, label masks do.
 *
 * <p>Row groups: at most half of {@link RowGroupLimit#KEY} (the largest row group the mining
 * job reads; {@code parquet.block.size}, checked after every row: parquet-mr otherwise first
 * checks after 100 rows, so 20 MB images made row groups of up to 2 GB), so the shards it
 * writes are always read back; an image whose row alone is over the limit is a bad record.
 */
public final class ShardWriter {
  private ShardWriter() {}

  /**
   * What was written.
   *
   * @param images rows written
   * @param files Parquet files written
   * @param bytes their total size
   * @param rowsPerFile the {@code maxRecordsPerFile} used
   */
  public record Result(long images, int files, long bytes, long rowsPerFile) {}

  /**
   * @param output a folder that does not exist yet or may be replaced (written with
   *     {@link SaveMode#Overwrite})
   * @param targetFileBytes wanted size of one Parquet file, bytes
   * @param inputBytes size of the input's data, bytes (an estimate is fine)
   * @throws BadRecordException (or a Spark exception caused by one) for the first bad record,
   *     or for an empty dataset
   */
  public static Result write(SparkSession spark, ImageSource source, OhemParams params,
      LabelConvention convention, Integer classes, String output, long targetFileBytes,
      long inputBytes) {
    if (targetFileBytes < 1) {
      throw new IllegalArgumentException("target file size must be >= 1 byte");
    }
    int tasks = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        (inputBytes + targetFileBytes - 1) / targetFileBytes));
    Broadcast<HadoopConf> conf = spark.sparkContext().broadcast(
        new HadoopConf(spark.sparkContext().hadoopConfiguration()),
        scala.reflect.ClassTag$.MODULE$.apply(HadoopConf.class));
    RowGroupLimit limit = RowGroupLimit.of(spark);
    Dataset<Row> shards = rows(source.records(spark, tasks), source, conf, params, convention,
        classes, limit);
    List<Row> first = shards.limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new BadRecordException(source.describe(), null, "empty dataset: no image found");
    }
    long rowBytes = first.get(0).<byte[]>getAs("logits").length
        + first.get(0).<byte[]>getAs("labels").length;
    long rowsPerFile = Math.max(1, targetFileBytes / Math.max(1, rowBytes));
    shards.write().mode(SaveMode.Overwrite).option("maxRecordsPerFile", rowsPerFile)
        .option("parquet.block.size", limit.writeRowGroupBytes())
        .option("parquet.page.size.row.check.min", 1) // row group (and page) size: every row
        .parquet(output);
    try {
      Path out = new Path(output);
      FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      List<String> written = new ArrayList<>();
      for (FileStatus f : fs.listStatus(out, p -> p.getName().endsWith(".parquet"))) {
        written.add(f.getPath().toString());
      }
      // rows per file from the footers (by name: the staging folder is hidden, .name)
      Map<String, Long> rows = new HashMap<>();
      for (Row r : spark.read().parquet(written.toArray(new String[0]))
          .groupBy(col("_metadata.file_path")).count().collectAsList()) {
        rows.put(new Path(r.getString(0)).getName(), r.getLong(1));
      }
      long images = 0;
      int files = 0;
      long bytes = 0;
      for (FileStatus f : fs.listStatus(out, p -> p.getName().endsWith(".parquet"))) {
        Long n = rows.get(f.getPath().getName());
        if (n == null) { // Spark writes an empty file for an empty first task
          fs.delete(f.getPath(), false);
          continue;
        }
        images += n;
        files++;
        bytes += f.getLen();
      }
      return new Result(images, files, bytes, rowsPerFile);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + output, e);
    }
  }

  /**
   * The shard rows of a source, decoded and checked on the executors.
   *
   * @param limit a row over it (logits plus labels bytes) is a bad record
   */
  static Dataset<Row> rows(Dataset<Row> records, ImageSource source,
      Broadcast<HadoopConf> conf, OhemParams params, LabelConvention convention,
      Integer classes, RowGroupLimit limit) {
    int logits = ShardSchema.SCHEMA.fieldIndex("logits");
    int labels = ShardSchema.SCHEMA.fieldIndex("labels");
    MapPartitionsFunction<Row, Row> fn = in -> {
      ImageLossComputer computer = new ImageLossComputer(params, convention, classes);
      return ImageRecords.map(in, source, conf.value(), r -> {
        ImageLosses checked = computer.compute(r);
        Row row = ShardSchema.toRow(r.imageId(), r.logits(), r.height(), r.width(),
            checked.labels());
        String tooLarge = limit.rowTooLarge((long) row.<byte[]>getAs(logits).length
            + row.<byte[]>getAs(labels).length);
        if (tooLarge != null) {
          throw new BadRecordException(r.source(), r.imageId(), tooLarge);
        }
        return row;
      });
    };
    return records.mapPartitions(fn, Encoders.row(ShardSchema.SCHEMA));
  }
}
