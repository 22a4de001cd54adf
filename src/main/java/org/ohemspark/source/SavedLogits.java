package org.ohemspark.source;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.Float16;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.Logits;
import org.ohemspark.core.OhemParams;
import org.ohemspark.spark.HadoopConf;

/**
 * {@code --save-logits DIR}: the logits a model infers ({@link InferredLogits}), written once
 * as Parquet shards ({@link ShardSchema}: float32 or float16 logits, labels after the label
 * convention, checked by {@link ImageLossComputer} as the ingest does), then mined from those
 * shards ({@link ParquetShards}), so the model runs once and a rerun on {@code DIR} gives the
 * same figures. Mine it with the {@code train_ids} convention: the shards' labels are already
 * converted ({@code DIR/_dataset.json} says so).
 *
 * <p>The write happens on the first {@link #records} call (inside the miner's run, so its
 * failures are the run's). Bad records, by mode: in {@code FAILFAST} the first one fails the
 * write; in the other modes each is left out of the shards and reported, with its id, source
 * and reason, through {@link #unreadRecords}, so the miner quarantines or counts it as any
 * other (their descriptions travel to the driver: one small entry per bad record).
 */
public final class SavedLogits implements ImageSource {
  private static final long serialVersionUID = 1L;
  private final InferredLogits inferred;
  private final String dir;
  private final boolean float16;
  private final BadRecordMode mode;
  private final OhemParams params;
  private final LabelConvention convention;
  private final Integer classes;
  private final String datasetJson;
  private final ParquetShards shards;
  /** Driver only: the save's bad records, once written. */
  private transient CollectionAccumulator<List<String>> bad;

  /**
   * @param convention the dataset's label convention (applied before the labels are written)
   * @param classes the declared class count, or null
   * @param datasetJson the text of {@code DIR/_dataset.json}
   */
  public SavedLogits(InferredLogits inferred, String dir, boolean float16, BadRecordMode mode,
      OhemParams params, LabelConvention convention, Integer classes, String datasetJson) {
    this.inferred = inferred;
    this.dir = dir;
    this.float16 = float16;
    this.mode = mode;
    this.params = params;
    this.convention = convention;
    this.classes = classes;
    this.datasetJson = datasetJson;
    this.shards = new ParquetShards(dir, mode);
  }

  @Override
  public String describe() {
    return inferred.describe() + ", saved to " + dir;
  }

  /** {@link #records(SparkSession, Partitioning)} at the default target, or by count. */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    return records(spark, Partitioning.of(partitions, Partitioning.DEFAULT_TARGET_BYTES));
  }

  /**
   * Writes the shards (first call only; the images read as {@link InferredLogits#records}
   * partitions them), then gives {@link ParquetShards#records} of them, both at
   * {@code partitioning}.
   *
   * @throws BadRecordException (or a Spark exception caused by one) in {@code FAILFAST}, for
   *     the first bad record
   */
  @Override
  public Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    if (bad == null) {
      save(spark, partitioning);
    }
    return shards.records(spark, partitioning);
  }

  private void save(SparkSession spark, Partitioning partitions) {
    CollectionAccumulator<List<String>> acc = spark.sparkContext()
        .collectionAccumulator("ohem.save_logits.bad_records");
    Broadcast<HadoopConf> conf = spark.sparkContext().broadcast(
        new HadoopConf(spark.sparkContext().hadoopConfiguration()),
        scala.reflect.ClassTag$.MODULE$.apply(HadoopConf.class));
    InferredLogits source = inferred;
    boolean half = float16;
    boolean failFast = mode == BadRecordMode.FAILFAST;
    OhemParams p = params;
    LabelConvention lc = convention;
    Integer c = classes;
    MapPartitionsFunction<Row, Row> fn = in -> {
      ImageLossComputer computer = new ImageLossComputer(p, lc, c);
      Iterator<Row> rows = ImageRecords.map(in, source, conf.value(), r -> {
        int[] labels = computer.compute(r).labels();
        return ShardSchema.toRow(r.imageId(), half ? toFloat16(r.logits()) : r.logits(),
            r.height(), r.width(), labels);
      }, (b, input) -> {
        if (failFast) {
          throw b;
        }
        acc.add(java.util.Arrays.asList(b.imageId(), b.source(), b.reason()));
        return null;
      });
      return withoutNulls(rows);
    };
    inferred.records(spark, partitions).mapPartitions(fn, Encoders.row(ShardSchema.SCHEMA))
        .write().mode(SaveMode.Overwrite).parquet(dir);
    try {
      Path p2 = new Path(dir, "_dataset.json");
      FileSystem fs = p2.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(p2, true)) {
        out.write(datasetJson.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + dir + "/_dataset.json", e);
    }
    bad = acc;
  }

  /** Float32 logits {@code [C, h, w]} rounded to float16 (round to nearest even). */
  static DenseLogits toFloat16(Logits l) {
    int w = l.width();
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(l.channels() * l.height(), w) * 2)
        .order(ByteOrder.LITTLE_ENDIAN);
    float[] row = new float[w];
    for (int ch = 0; ch < l.channels(); ch++) {
      for (int y = 0; y < l.height(); y++) {
        l.readRow(ch, y, row, 0);
        for (float v : row) {
          b.putShort(Float16.fromFloat(v));
        }
      }
    }
    b.flip();
    return new DenseLogits(b, ByteOrder.LITTLE_ENDIAN, DenseLogits.DType.FLOAT16, l.channels(),
        l.height(), w, false);
  }

  private static Iterator<Row> withoutNulls(Iterator<Row> rows) {
    return new Iterator<>() {
      private Row next;

      @Override
      public boolean hasNext() {
        while (next == null && rows.hasNext()) {
          next = rows.next();
        }
        return next != null;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row r = next;
        next = null;
        return r;
      }
    };
  }

  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    return shards.read(record, conf);
  }

  @Override
  public List<String> warnings() {
    List<String> w = new ArrayList<>(inferred.warnings());
    w.addAll(shards.warnings());
    return w;
  }

  /** The save's bad records, then those {@link ParquetShards#unreadRecords} reports. */
  @Override
  public List<BadRecordException> unreadRecords(Supplier<Map<String, Long>> recordsPerSource) {
    List<BadRecordException> out = new ArrayList<>();
    if (bad != null) {
      for (List<String> b : bad.value()) {
        out.add(new BadRecordException(b.get(1), b.get(0), b.get(2)));
      }
    }
    out.addAll(shards.unreadRecords(recordsPerSource));
    return out;
  }
}
