package org.ohemspark.bench;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.io.DatasetDescriptor;
import org.ohemspark.mining.MiningSummary;
import org.ohemspark.mining.OhemMiner;

/**
 * The library call in a warm session (issue 13, "Start-up": users who hold a SparkSession pay
 * no start-up), not a test: {@link OhemMiner} on one dataset directory, {@code RUNS} times in
 * one JVM and one session, each run mining and writing {@code images/} and
 * {@code hard_pixels/} as {@code OhemMineJob} does (same Parquet options). The first run
 * carries class loading and JIT warm-up; the later ones are what a notebook or a scheduled
 * driver pays per dataset.
 *
 * <p>Usage (through {@code ohem_submit}, as the job is submitted):
 * {@code WarmMinerBench DATASET_DIR OUTPUT_DIR [RUNS (2)]}. The class count is the dataset's
 * ({@code dataset.json}), every other option the library's default (the job's defaults too).
 * Prints per run one line
 * {@code warm-miner: run R mine S s write S s total S s mean M n_valid N n_hard N n_kept N}
 * (mine: {@code OhemMiner.mine} until the summary is known, which includes the pass over the
 * logits and the top-k passes; write: both outputs).
 */
public final class WarmMinerBench {
  private WarmMinerBench() {}

  public static void main(String[] args) throws Exception {
    String input = args[0];
    String output = args[1];
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    SparkSession.Builder b = SparkSession.builder().appName("warm-miner");
    if (!new SparkConf().contains("spark.master")) {
      b.master("local[*]");
    }
    SparkSession spark = b.getOrCreate();
    Integer classes = null;
    java.nio.file.Path desc = Paths.get(input, "dataset.json");
    if (Files.isRegularFile(desc)) {
      classes = DatasetDescriptor.parse(desc.toString(), Files.readAllBytes(desc)).classes();
    }
    try {
      for (int run = 1; run <= runs; run++) {
        long t0 = System.nanoTime();
        try (OhemMiner.Result r = OhemMiner.on(spark).classes(classes).mineDirectory(input)) {
          MiningSummary s = r.summary();
          long t1 = System.nanoTime();
          String out = output + "/run-" + run;
          r.images().write().mode("overwrite").parquet(out + "/images");
          r.hardPixels().write().mode("overwrite")
              .option("parquet.enable.dictionary#pixel_index", "false")
              .option("parquet.enable.dictionary#loss", "false").parquet(out + "/hard_pixels");
          long t2 = System.nanoTime();
          System.out.printf(Locale.ROOT, "warm-miner: run %d mine %.3f s write %.3f s total "
                  + "%.3f s mean %.7f n_valid %d n_hard %d n_kept %d%n", run, (t1 - t0) / 1e9,
              (t2 - t1) / 1e9, (t2 - t0) / 1e9, s.mean(), s.nValid(), s.nHard(), s.nKept());
        }
      }
    } finally {
      spark.stop();
    }
    System.exit(0);
  }
}
