package org.ohemspark.source;

import java.io.Serializable;

/**
 * How the loss pass's input is cut into partitions (Spark tasks): by bytes, the default, or
 * into a given number of partitions ({@code --partitions N}, an override).
 *
 * <p>By bytes, so that a task's memory follows the size of an image, never the number of
 * images: every item (an image of a dataset directory, a generated image, a tar or a run of a
 * tar's samples) costs its bytes on storage plus {@link #OPEN_COST_BYTES}, and items are packed
 * in order, next-fit, into partitions of at most {@link #splitBytes} (an item larger than that
 * is a partition of its own). The split size is Spark's rule for files
 * ({@code FilePartition.maxSplitBytes}, with {@code spark.sql.files.maxPartitionBytes} and
 * {@code openCostInBytes}): {@code max(OPEN_COST_BYTES, min(targetBytes, ceil(total cost /
 * parallelism)))}, so a small dataset still gets about one partition per core. Parquet shards
 * are cut by Spark's own file splitting with {@code maxPartitionBytes} at
 * {@link #fileSplitBytes} ({@link ParquetShards}).
 *
 * <p>The default target, {@link #DEFAULT_TARGET_BYTES} (64 MiB), from what a task holds: the
 * cached loss records of its partition (about 9 to 12 bytes per label pixel, unrolled in memory
 * before Spark can spill them) plus the image being read (its logits bytes and their decoded
 * form). Logits of {@code C} classes cost {@code 2C} (float16) or {@code 4C} (float32) bytes per
 * pixel on storage, so 64 MiB of input is a few images and at most a few times 64 MiB of cached
 * losses: 3 images of 512x1024x19 float16 (20 MB each, 6 MB of losses each); one Cityscapes
 * image of 19 classes at 1024x2048 float16 (80 MB) alone; in the worst case (2 classes, float16:
 * 4 bytes of input per pixel) 16 Mpx, about 190 MB of losses. Spark's own default for files is
 * 128 MiB.
 *
 * @param partitions the number of partitions asked for ({@code >= 1}), or 0 to cut by bytes
 * @param targetBytes the most bytes of input a partition holds when cutting by bytes
 *     ({@code >= 1})
 */
public record Partitioning(int partitions, long targetBytes) implements Serializable {

  /** The default target: 64 MiB of input per partition (see the class comment). */
  public static final long DEFAULT_TARGET_BYTES = 64L << 20;

  /**
   * What an item costs beyond its bytes: opening its files and its record's fixed memory,
   * measured as bytes (as Spark's {@code spark.sql.files.openCostInBytes}, 4 MiB for files,
   * counts the cost of opening one). 64 KiB is about the bytes the loss pass reads and decodes
   * in the time an HDFS open takes (a millisecond); it keeps a partition of tiny images to at
   * most {@code targetBytes / 64 KiB} of them (1024 at the default).
   */
  public static final long OPEN_COST_BYTES = 64L << 10;

  /** Cutting by bytes at the default target. */
  public static final Partitioning DEFAULT = bytes(DEFAULT_TARGET_BYTES);

  /**
   * Bytes a task holds for one byte of an encoded image and its label ({@code --model}
   * inputs), the estimate {@link #forEncodedImages} packs by. A task holds per image its cached
   * losses (9 to 12 bytes per label pixel) and, while it is run, the float32 input (12 bytes
   * per input pixel) and output ({@code 4C} bytes per output pixel) of the model; a PNG photo stores about 1.5 bytes per pixel, a JPEG 0.2 to 0.5, a PNG label 0.02
   * to 0.1. The PAN folder's 512x512 PNGs (400 KB with their labels) make about 10 MB: 25
   * bytes per encoded byte; 16 keeps a default partition of such PNGs to about 10 images and
   * 26 MB of cached losses, and of JPEGs (which expand more) to at most about 64 images, as
   * {@link #OPEN_COST_BYTES} bounds it.
   */
  public static final int DECODED_BYTES_PER_ENCODED_BYTE = 16;

  /**
   * The partitioning of a model's input (images and labels, encoded), whose bytes on storage
   * say little of what a task holds: the same, with the target divided by
   * {@link #DECODED_BYTES_PER_ENCODED_BYTE} (at least 1), so that {@code targetBytes} still
   * bounds the memory of a task, not its encoded input. Items and their costs are as above
   * (encoded bytes plus {@link #OPEN_COST_BYTES}); by count it is unchanged. At the default
   * 64 MiB: partitions of 4 MiB of encoded images and labels.
   */
  public Partitioning forEncodedImages() {
    return new Partitioning(partitions,
        Math.max(1, targetBytes / DECODED_BYTES_PER_ENCODED_BYTE));
  }

  public Partitioning {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    }
    if (targetBytes < 1) {
      throw new IllegalArgumentException("partition bytes must be >= 1, got " + targetBytes);
    }
  }

  /** Cutting by bytes: partitions of at most {@code targetBytes} of input. */
  public static Partitioning bytes(long targetBytes) {
    return new Partitioning(0, targetBytes);
  }

  /**
   * {@code partitions} partitions when it is above 0, else by bytes.
   *
   * @param partitions {@code >= 0}
   * @param targetBytes {@code >= 1}, used when {@code partitions} is 0
   */
  public static Partitioning of(int partitions, long targetBytes) {
    return new Partitioning(partitions, targetBytes);
  }

  /** True when a number of partitions was asked for ({@code --partitions}). */
  public boolean byCount() {
    return partitions > 0;
  }

  /**
   * The most a partition holds, in cost (bytes plus {@link #OPEN_COST_BYTES} per item):
   * {@code max(OPEN_COST_BYTES, min(targetBytes, ceil(totalCost / parallelism)))}. (No item
   * costs less than {@code OPEN_COST_BYTES}, so a target below it is one item per partition.)
   *
   * @param totalCost the cost of every item, bytes
   * @param parallelism the cores to keep busy (Spark's {@code defaultParallelism})
   */
  public long splitBytes(long totalCost, int parallelism) {
    long perCore = ceilDiv(Math.max(0, totalCost), Math.max(1, parallelism));
    return Math.max(OPEN_COST_BYTES, Math.min(targetBytes, perCore));
  }

  /**
   * The largest byte range of a file to read as one split, for Spark's file splitting
   * ({@code spark.sql.files.maxPartitionBytes}): {@code max(targetBytes, OPEN_COST_BYTES)}.
   * Spark cuts every file into ranges of this size, so a tiny target would make a task per
   * few bytes; ranges smaller than a Parquet row group are empty tasks anyway.
   */
  public long fileSplitBytes() {
    return Math.max(targetBytes, OPEN_COST_BYTES);
  }

  /** What an item of {@code bytes} bytes costs: its bytes plus {@link #OPEN_COST_BYTES}. */
  public static long cost(long bytes) {
    return Math.max(0, bytes) + OPEN_COST_BYTES;
  }

  /**
   * Where the partitions of items of these sizes start, in item order: by count, {@code
   * min(partitions, items)} runs of equal count (as {@code parallelize} slices a list); by
   * bytes, {@link #nextFit} of the items' {@link #cost}s at {@link #splitBytes}. No item: one
   * empty partition ({@code {0}}).
   *
   * @param bytes each item's bytes on storage, in order
   * @param parallelism Spark's {@code defaultParallelism}
   * @return the first item of each partition, ascending, starting with 0
   */
  public int[] cut(long[] bytes, int parallelism) {
    int n = bytes.length;
    if (n == 0) {
      return new int[] {0};
    }
    if (byCount()) {
      int parts = Math.min(partitions, n);
      int[] starts = new int[parts];
      for (int i = 0; i < parts; i++) {
        starts[i] = (int) ((long) i * n / parts);
      }
      return starts;
    }
    long[] costs = new long[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      costs[i] = cost(bytes[i]);
      total += costs[i];
    }
    return nextFit(costs, splitBytes(total, parallelism));
  }

  /**
   * Next-fit packing in order: a partition takes items while their costs sum to at most
   * {@code split}; an item that does not fit starts the next one (an item above {@code split}
   * is a partition alone).
   *
   * @return the first item of each partition, ascending, starting with 0 ({@code {0}} for no
   *     item)
   */
  public static int[] nextFit(long[] costs, long split) {
    int[] starts = new int[Math.max(1, costs.length)];
    int parts = 1;
    long used = 0;
    for (int i = 0; i < costs.length; i++) {
      if (used > 0 && used + costs[i] > split) {
        starts[parts++] = i;
        used = 0;
      }
      used += costs[i];
    }
    return java.util.Arrays.copyOf(starts, parts);
  }

  private static long ceilDiv(long a, long b) {
    return a / b + (a % b == 0 ? 0 : 1);
  }
}
