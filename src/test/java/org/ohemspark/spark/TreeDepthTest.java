package org.ohemspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ohemspark.testing.SparkTestSession;

/**
 * The depth rule of the engine's {@code treeAggregate}s: the driver receives at most
 * {@link TreeDepth#MAX_AT_DRIVER} partial results at any partition count, and the replay of
 * Spark's loop ({@link TreeDepth#resultsAtDriver}) matches what Spark does, counted by the
 * merges that run on the driver.
 */
class TreeDepthTest {
  private static SparkSession spark;
  /** combOp calls outside any task: the driver's merges (local mode: one JVM). */
  private static final AtomicInteger DRIVER_MERGES = new AtomicInteger();

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("tree-depth");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void depthTwoSendsTheSquareRootToTheDriver() {
    // issue 17: ~sqrt(partitions) dense histograms per aggregation at the fixed depth 2
    assertEquals(200, TreeDepth.resultsAtDriver(40_000, 2));
    assertEquals(1000, TreeDepth.resultsAtDriver(1_000_000, 2));
    assertEquals(8, TreeDepth.resultsAtDriver(8, 1));
    assertEquals(2, TreeDepth.resultsAtDriver(8, 2)); // 8 > 3 + 3: one level of 8 / 3
  }

  @Test
  void theRuleKeepsTheDriversShareBounded() {
    assertEquals(1, TreeDepth.forPartitions(0));
    assertEquals(1, TreeDepth.forPartitions(16)); // a plain aggregate: no shuffle level
    assertEquals(2, TreeDepth.forPartitions(17));
    assertEquals(4, TreeDepth.forPartitions(40_000));
    assertEquals(11, TreeDepth.resultsAtDriver(40_000, 4));
    assertEquals(5, TreeDepth.forPartitions(1_000_000));
    for (int n = 0; n <= 300_000; n++) {
      int d = TreeDepth.forPartitions(n);
      assertTrue(TreeDepth.resultsAtDriver(n, d) <= TreeDepth.MAX_AT_DRIVER, "n=" + n);
      assertTrue(d == 1 || TreeDepth.resultsAtDriver(n, d - 1) > TreeDepth.MAX_AT_DRIVER,
          "the smallest such depth, n=" + n);
    }
  }

  @Test
  void theReplayMatchesSpark() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    for (int n : List.of(17, 300)) {
      JavaRDD<Long> rdd = jsc.parallelize(LongStream.range(0, 3L * n).boxed().toList(), n);
      for (int depth : List.of(1, 2, 3, TreeDepth.of(rdd))) {
        DRIVER_MERGES.set(0);
        long sum = rdd.treeAggregate(0L, Long::sum, (a, b) -> {
          if (TaskContext.get() == null) {
            DRIVER_MERGES.incrementAndGet();
          }
          return a + b;
        }, depth);
        assertEquals(3L * n * (3L * n - 1) / 2, sum);
        assertEquals(TreeDepth.resultsAtDriver(n, depth), DRIVER_MERGES.get(),
            n + " partitions, depth " + depth);
      }
    }
  }
}
