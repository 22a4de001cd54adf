package org.ohemspark.bench;

import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The start-up floor of a Spark job on this machine (issue 13, "Start-up"), not a test: a bare
 * session that counts 1000 rows and writes them as one Parquet file, then stops, submitted the
 * way {@code jobs/ohem-mine.sh} is ({@code jobs/lib/submit.sh}, same JVM flags, same class-data
 * archive), so that {@code jobs/ohem-bench.sh} can compare the job's start-up with Spark's own.
 * The session is made as {@code JobLauncher} makes the job's: master from spark-submit, else
 * {@code local[*]}; the process ends with {@code System.exit} as the job's does.
 *
 * <p>Usage (through {@code ohem_submit}): {@code BareSparkSession OUTPUT_DIR}. Prints one line,
 * {@code bare-spark: count 1000, wrote OUTPUT_DIR, in-process S s} (session creation to stop).
 */
public final class BareSparkSession {
  private BareSparkSession() {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    SparkSession.Builder b = SparkSession.builder().appName("bare-spark");
    if (!new SparkConf().contains("spark.master")) {
      b.master("local[*]");
    }
    SparkSession spark = b.getOrCreate();
    long n;
    try {
      n = spark.range(1000).count();
      spark.range(1000).coalesce(1).write().mode("overwrite").parquet(args[0]);
    } finally {
      spark.stop();
    }
    System.out.printf(Locale.ROOT, "bare-spark: count %d, wrote %s, in-process %.2f s%n", n,
        args[0], (System.nanoTime() - t0) / 1e9);
    System.exit(0);
  }
}
