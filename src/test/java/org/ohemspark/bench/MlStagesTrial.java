package org.ohemspark.bench;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.ml.OhemEvaluator;
import org.ohemspark.ml.PixelCrossEntropy;

/**
 * The ML stages on shards larger than the driver's heap, not a test: what a user's own Spark
 * program does with {@code spark.read().parquet(shards)}. Runs, in one session:
 * {@link OhemEvaluator} with {@code metricName} {@code ohem} (exact), {@code ohem} with
 * {@code topk approx}, {@code miou} and {@code kept_fraction}, then {@link PixelCrossEntropy}
 * with its output aggregated on the executors ({@code sum(n_valid)}, {@code avg(mean_loss)}).
 *
 * <p>Usage (through {@code ohem_submit}, as the job is submitted):
 * {@code MlStagesTrial SHARDS_DIR [--transformer]} (the transformer's scan is planned in the
 * caller's session, so reading 20 MB rows it needs {@code spark.sql.parquet.columnarReaderBatchSize}
 * set small: docs/ml-api.md). Prints one line per stage:
 * {@code ml-trial: STAGE value V seconds S driver_heap_peak_mib M} (the peak is the driver JVM's
 * heap pools' peak usage since start, so it only grows from line to line).
 */
public final class MlStagesTrial {
  private MlStagesTrial() {}

  public static void main(String[] args) {
    SparkSession.Builder b = SparkSession.builder().appName("ml-trial");
    if (!new SparkConf().contains("spark.master")) {
      b.master("local[*]");
    }
    SparkSession spark = b.getOrCreate();
    try {
      Dataset<Row> shards = spark.read().parquet(args[0]);
      for (String[] run : new String[][] {{"ohem", "exact"}, {"ohem", "approx"},
          {"miou", "exact"}, {"kept_fraction", "exact"}}) {
        long t0 = System.nanoTime();
        double v = new OhemEvaluator().setMetricName(run[0]).setTopk(run[1]).evaluate(shards);
        print("evaluator " + run[0] + " " + run[1], v, t0);
        System.out.println("ml-trial: persisted RDDs left " + spark.sparkContext()
            .getPersistentRDDs().size());
      }
      if (args.length < 2 || !args[1].equals("--transformer")) {
        return;
      }
      long t0 = System.nanoTime();
      Row r = new PixelCrossEntropy().transform(shards)
          .agg(sum(col("n_valid")), avg(col("mean_loss"))).first();
      print("pixel-cross-entropy n_valid " + r.getLong(0) + " avg(mean_loss)", r.getDouble(1),
          t0);
    } finally {
      spark.stop();
    }
    System.exit(0);
  }

  private static void print(String stage, double value, long t0) {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    System.out.printf(Locale.ROOT, "ml-trial: %s value %.9f seconds %.1f driver_heap_peak_mib "
        + "%d%n", stage, value, (System.nanoTime() - t0) / 1e9, peak >> 20);
  }
}
