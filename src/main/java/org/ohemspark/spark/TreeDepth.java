package org.ohemspark.spark;

import org.apache.spark.api.java.JavaRDDLike;

/**
 * The {@code depth} the engine gives {@code treeAggregate}, picked from the partition count so
 * that the driver receives at most {@value #MAX_AT_DRIVER} partial results, whatever the
 * dataset's size.
 *
 * <p>Spark's {@code RDD.treeAggregate(zero, seqOp, combOp, depth)} (Spark 4.2, unchanged since
 * 1.x) builds one partial result per partition, then with {@code scale = max(ceil(n^(1/depth)),
 * 2)} merges levels on the executors (each level divides the count by {@code scale}, integer
 * division) while {@code n > scale + ceil(n / scale)}, and the driver merges what remains. So
 * at a fixed depth the driver receives about {@code n^(1/depth)} results: with the first-level
 * top-k histograms ({@link org.ohemspark.core.LossHistogram}, about 2 MB each in memory) and
 * depth 2, that is 200 histograms (some 460 MB) at 40,000 partitions, near
 * {@code spark.driver.maxResultSize}. {@link #of} takes the smallest depth whose last level
 * leaves at most {@value #MAX_AT_DRIVER} results ({@link #resultsAtDriver} replays Spark's
 * loop; integer division makes the steps ragged): depth 1 (a plain aggregate, no shuffle) up
 * to 16 partitions, 2 up to about 300, 3 up to about 5,000, 4 up to about 100,000, 5 up to
 * about 1.8 million. Each added level is one more small shuffle of partial results. The driver
 * then merges at most those 16 (about 32 MB of first-level histograms; 11 at 40,000
 * partitions).
 */
public final class TreeDepth {
  private TreeDepth() {}

  /** Most partial results the driver receives from one {@code treeAggregate}. */
  public static final int MAX_AT_DRIVER = 16;

  /** The depth for an aggregation over {@code rdd} ({@link #forPartitions}). */
  public static int of(JavaRDDLike<?, ?> rdd) {
    return forPartitions(rdd.getNumPartitions());
  }

  /**
   * The smallest depth {@code >= 1} with {@code resultsAtDriver(partitions, depth) <=}
   * {@value #MAX_AT_DRIVER}.
   *
   * @param partitions partitions of the aggregated RDD, {@code >= 0}
   */
  public static int forPartitions(int partitions) {
    int depth = 1;
    while (resultsAtDriver(partitions, depth) > MAX_AT_DRIVER) {
      depth++;
    }
    return depth;
  }

  /**
   * How many partial results reach the driver when {@code treeAggregate} runs over
   * {@code partitions} partitions at {@code depth}: Spark's own loop, replayed.
   */
  public static int resultsAtDriver(int partitions, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
    int n = partitions;
    int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
    while (n > scale + Math.ceil((double) n / scale)) {
      n /= scale;
    }
    return n;
  }
}
