package org.ohemspark.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.Logits;
import org.ohemspark.source.ParquetShards;
import org.ohemspark.source.ShardSchema;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.testing.ArrayShards;

/**
 * Read throughput of Parquet shards (not a test): synthetic Cityscapes-like images (logits
 * {@code [19, 128, 256]}, labels {@code [512, 1024]}) written as float16 and float32 logits, in
 * the canonical binary column and as an array column; each read back through
 * {@link ParquetShards} on {@code local[2]}, every row decoded and every logit touched (as the
 * loss pass reads them, without the loss kernel). Prints on-disk MB/s, label pixels/s and logit
 * values/s, best of the repeats.
 *
 * <p>Run: {@code jobs/bench-shard-read.sh [WORK_DIR] [IMAGES] [REPEATS]} (defaults
 * {@code target/bench-shards}, 40, 3).
 */
public final class ShardReadBenchmark {
  private ShardReadBenchmark() {}

  static final int C = 19;
  static final int LH = 128;
  static final int LW = 256;
  static final int H = 512;
  static final int W = 1024;

  public static void main(String[] args) throws IOException {
    Path work = Paths.get(args.length > 0 ? args[0] : "target/bench-shards");
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    SparkSession spark = SparkSession.builder().master("local[2]").appName("shard-read-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    try {
      System.out.printf(Locale.ROOT, "images: %d x logits [%d,%d,%d], labels [%d,%d]; "
          + "local[2], %d cores, best of %d%n", images, C, LH, LW, H, W,
          Runtime.getRuntime().availableProcessors(), repeats);
      System.out.printf(Locale.ROOT, "%-8s %-7s %9s %8s %9s %9s %12s%n", "logits", "column",
          "disk MB", "read s", "MB/s", "Mpx/s", "Mlogits/s");
      for (DenseLogits.DType dtype : List.of(DenseLogits.DType.FLOAT16,
          DenseLogits.DType.FLOAT32)) {
        for (boolean binary : new boolean[] {true, false}) {
          Path dir = work.resolve(dtype.name().toLowerCase(Locale.ROOT) + "-"
              + (binary ? "binary" : "array"));
          if (!Files.isDirectory(dir)) {
            write(spark, dir, dtype, binary, images);
          }
          long bytes = diskBytes(dir);
          double best = Double.MAX_VALUE;
          for (int r = 0; r < repeats; r++) {
            best = Math.min(best, readSeconds(spark, dir.toString(), images));
          }
          double mb = bytes / 1e6;
          System.out.printf(Locale.ROOT, "%-8s %-7s %9.1f %8.2f %9.1f %9.2f %12.1f%n",
              dtype.name().toLowerCase(Locale.ROOT), binary ? "binary" : "array", mb, best,
              mb / best, (double) images * H * W / best / 1e6,
              (double) images * C * LH * LW / best / 1e6);
        }
      }
    } finally {
      spark.stop();
    }
  }

  /** Writes {@code images} synthetic rows (four files) in the given layout. */
  static void write(SparkSession spark, Path dir, DenseLogits.DType dtype, boolean binary,
      int images) {
    StructType schema = binary ? ShardSchema.SCHEMA : ArrayShards.schema(dtype);
    MapPartitionsFunction<Long, Row> fn = ids -> new Iterator<Row>() {
      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public Row next() {
        ImageRecord r = synthetic(ids.next(), dtype);
        return binary ? ShardSchema.toRow(r.imageId(), r.logits(), H, W, r.storedLabels())
            : ArrayShards.toRow(r, dtype);
      }
    };
    spark.range(0, images, 1, 4).as(Encoders.LONG()).mapPartitions(fn, Encoders.row(schema))
        .write().parquet(dir.toString());
  }

  /** Image {@code id}: logits ~ N(0, 3) (as float16 or float32), labels in [0, 19) or 255. */
  static ImageRecord synthetic(long id, DenseLogits.DType dtype) {
    Random rnd = new Random(id);
    int n = C * LH * LW;
    ByteBuffer b = ByteBuffer.allocate(n * dtype.size).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      float v = (float) (3 * rnd.nextGaussian());
      if (dtype == DenseLogits.DType.FLOAT16) {
        b.putShort(toHalf(v));
      } else {
        b.putFloat(v);
      }
    }
    b.flip();
    int[] labels = new int[H * W];
    for (int i = 0; i < labels.length; i++) {
      int y = i / W;
      int x = i % W;
      labels[i] = (x / 64 + y / 64 + (int) id) % 20 == 19 ? 255 : (x / 64 + y / 64) % C;
    }
    Logits l = new DenseLogits(b, ByteOrder.LITTLE_ENDIAN, dtype, C, LH, LW, false);
    return new ImageRecord(String.format("img%05d", id), "bench", l, H, W, labels);
  }

  /** Float to binary16, rounding toward zero (enough for synthetic logits of magnitude < 2^15). */
  static short toHalf(float f) {
    int bits = Float.floatToIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = ((bits >>> 23) & 0xff) - 127 + 15;
    if (exp <= 0) {
      return (short) sign;
    }
    return (short) (sign | Math.min(exp, 30) << 10 | (bits >>> 13) & 0x3ff);
  }

  /** Seconds to read, decode and touch every logit of every row through ParquetShards. */
  static double readSeconds(SparkSession spark, String dir, int images) {
    ParquetShards src = new ParquetShards(dir);
    Dataset<Row> records = src.records(spark, 0);
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    MapPartitionsFunction<Row, Double> fn = rows -> {
      double sum = 0;
      double[] row = new double[LW];
      while (rows.hasNext()) {
        Logits l = src.read(rows.next(), conf).logits();
        for (int c = 0; c < l.channels(); c++) {
          for (int y = 0; y < l.height(); y++) {
            l.readRow(c, y, row, 0);
            sum += row[y % LW];
          }
        }
      }
      return Collections.singletonList(sum).iterator();
    };
    long t0 = System.nanoTime();
    List<Double> sums = records.mapPartitions(fn, Encoders.DOUBLE()).collectAsList();
    double s = (System.nanoTime() - t0) / 1e9;
    if (sums.isEmpty()) {
      throw new IllegalStateException("nothing read from " + dir + " (" + images + " images)");
    }
    return s;
  }

  static long diskBytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      long n = 0;
      for (Path p : s.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        n += Files.size(p);
      }
      return n;
    }
  }
}
