package org.ohemspark.spark;

import org.apache.spark.api.java.JavaRDD;

/**
 * The partitions the aggregation passes over the cached loss records run in: the loss pass's
 * partitions coalesced, without a shuffle, to {@value #TASKS_PER_CORE} tasks per core of the
 * application ({@code spark.default.parallelism}), each reading at most
 * {@value #MAX_BLOCKS_PER_TASK} cached blocks (so that a cluster whose executors are not all
 * up yet, or a huge dataset, still gets tasks enough to spread).
 *
 * <p>The loss pass cuts its input small ({@link org.ohemspark.source.Partitioning}: a few images'
 * logits per task), because a task unrolls its partition's records before Spark can cache or spill
 * them. A pass over the cached records (the totals, each top-k histogram level, the top-k tail, the
 * tie counts) only reads them, block after block, and builds one small state (counts, a histogram):
 * its task's memory does not grow with the blocks it reads. Run in the loss pass's partitions, such
 * a pass costs one task per few images, each with its own scheduling, result and, past
 * {@link TreeDepth#MAX_AT_DRIVER} partitions, another level of {@code treeAggregate} shuffle; that
 * fixed cost per task was most of each pass (on a 2-core machine, 64 images of 512x1024 in 22
 * partitions: 13 ns per pixel for a histogram pass whose own arithmetic costs 3.6; BENCHMARKS.md).
 * Spark's coalescing keeps each cached block's locality (a task's parents are grouped by the
 * executors holding them), so no block moves that would not have moved anyway.
 *
 * <p>The outputs are not written from these partitions: their files follow the loss pass's
 * partitions ({@link org.ohemspark.output.OutputFiles}).
 */
public final class ScanPartitions {
  private ScanPartitions() {}

  /** Tasks per core of a pass over the cached records: some slack for uneven blocks. */
  public static final int TASKS_PER_CORE = 2;

  /** Cached blocks one task of a pass reads at most. */
  public static final int MAX_BLOCKS_PER_TASK = 32;

  /**
   * {@code cached} coalesced (no shuffle) to {@link #partitions}; {@code cached} itself when it
   * has no more.
   */
  public static <T> JavaRDD<T> of(JavaRDD<T> cached) {
    int target = partitions(cached.getNumPartitions(),
        cached.context().defaultParallelism());
    return target < cached.getNumPartitions() ? cached.coalesce(target, false) : cached;
  }

  /**
   * The scan's partition count for {@code partitions} loss-pass partitions on
   * {@code parallelism} cores: {@code min(partitions, max(TASKS_PER_CORE * parallelism,
   * ceil(partitions / MAX_BLOCKS_PER_TASK)))}.
   */
  public static int partitions(int partitions, int parallelism) {
    long perCore = (long) TASKS_PER_CORE * Math.max(1, parallelism);
    long perBlocks = (partitions + (long) MAX_BLOCKS_PER_TASK - 1) / MAX_BLOCKS_PER_TASK;
    return (int) Math.min(partitions, Math.max(perCore, perBlocks));
  }
}
