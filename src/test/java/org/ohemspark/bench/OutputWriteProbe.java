package org.ohemspark.bench;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.mining.OhemMiner;

/**
 * What writing the outputs costs, and what cheaper encodings of {@code hard_pixels/} would save
 * (issue 13, profile), not a test: one dataset mined once in one session (its loss records
 * cached), then each output written several times, variants in turn, and the executors' CPU
 * time of each write summed from Spark's task metrics (a listener): CPU time, not wall time,
 * so other work on the machine disturbs it less.
 *
 * <p>Variants of {@code hard_pixels/} (the job's is {@code job}); the others change what the
 * user gets and are here to size the choice:
 * <ul>
 *   <li>{@code job}: as {@code OhemMineJob} writes it (six columns, no dictionary for
 *       {@code pixel_index} and {@code loss}, snappy);</li>
 *   <li>{@code v2}: the same through Parquet's v2 writer (delta encodings);</li>
 *   <li>{@code no-yx}: without {@code y} and {@code x} ({@code pixel_index = y * W + x} holds
 *       them);</li>
 *   <li>{@code narrow}: without {@code y} and {@code x}, {@code pixel_index} as int, {@code loss}
 *       as float;</li>
 *   <li>{@code uncompressed}: the job's columns, no compression;</li>
 *   <li>{@code count}: the rows built and counted, nothing written (the cost of the rows
 *       alone).</li>
 * </ul>
 * and {@code images/} as the job writes it.
 *
 * <p>Usage (through {@code ohem_submit}, as the job is submitted, with {@code --jars} the bench
 * classes): {@code OutputWriteProbe DATASET_DIR OUTPUT_DIR [ROUNDS (3)]}. Prints per variant the
 * executor CPU time of each round, in s and in ns per label pixel, and the median.
 */
public final class OutputWriteProbe {
  private OutputWriteProbe() {}

  public static void main(String[] args) throws Exception {
    String input = args[0];
    String output = args[1];
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    SparkSession.Builder b = SparkSession.builder().appName("output-write-probe");
    if (!new SparkConf().contains("spark.master")) {
      b.master("local[*]");
    }
    SparkSession spark = b.getOrCreate();
    AtomicLong cpu = new AtomicLong();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.taskMetrics() != null) {
          cpu.addAndGet(e.taskMetrics().executorCpuTime());
        }
      }
    });
    try (OhemMiner.Result r = OhemMiner.on(spark).mineDirectory(input)) {
      long pixels = 0;
      for (Row row : r.images().select("height", "width").collectAsList()) {
        pixels += (long) row.getInt(0) * row.getInt(1);
      }
      Dataset<Row> hp = r.hardPixels();
      Map<String, Function<Integer, Runnable>> variants = new LinkedHashMap<>();
      variants.put("images/ (job)", i -> () -> r.images().write().mode("overwrite")
          .parquet(output + "/images-" + i));
      variants.put("hard_pixels/ job", i -> () -> job(hp.write()).parquet(output + "/job-" + i));
      variants.put("hard_pixels/ v2", i -> () -> job(hp.write())
          .option("parquet.writer.version", "PARQUET_2_0").parquet(output + "/v2-" + i));
      variants.put("hard_pixels/ no-yx", i -> () -> job(hp.drop("y", "x").write())
          .parquet(output + "/noyx-" + i));
      variants.put("hard_pixels/ narrow", i -> () -> job(hp.drop("y", "x")
          .withColumn("pixel_index", col("pixel_index").cast("int"))
          .withColumn("loss", col("loss").cast("float")).write())
          .parquet(output + "/narrow-" + i));
      variants.put("hard_pixels/ uncompressed", i -> () -> job(hp.write())
          .option("compression", "none").parquet(output + "/none-" + i));
      variants.put("hard_pixels/ count", i -> () -> hp.count());
      Map<String, List<Long>> cpuOf = new LinkedHashMap<>();
      for (int i = 0; i < rounds; i++) {
        for (Map.Entry<String, Function<Integer, Runnable>> v : variants.entrySet()) {
          spark.sparkContext().listenerBus().waitUntilEmpty();
          long before = cpu.get();
          v.getValue().apply(i).run();
          spark.sparkContext().listenerBus().waitUntilEmpty();
          cpuOf.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(cpu.get() - before);
        }
      }
      System.out.printf(Locale.ROOT, "write-probe: %d label pixels, %d hard_pixels rows; "
          + "executor CPU per write (rounds), median in ns per label pixel and per row:%n",
          pixels, hp.count());
      long rows = hp.count();
      for (Map.Entry<String, List<Long>> e : cpuOf.entrySet()) {
        List<Long> v = new ArrayList<>(e.getValue());
        v.sort(null);
        long med = v.get(v.size() / 2);
        System.out.printf(Locale.ROOT, "write-probe: %-26s %s s; median %7.1f ns/px, %7.0f ns/row%n",
            e.getKey(), e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.2f", x / 1e9))
                .toList(), (double) med / pixels, (double) med / rows);
      }
    } finally {
      spark.stop();
    }
    System.exit(0);
  }

  /** The options of the job's hard_pixels/ write. */
  private static DataFrameWriter<Row> job(DataFrameWriter<Row> w) {
    return w.mode("overwrite").option("parquet.enable.dictionary#pixel_index", "false")
        .option("parquet.enable.dictionary#loss", "false");
  }
}
