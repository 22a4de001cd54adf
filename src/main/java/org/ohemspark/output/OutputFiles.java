package org.ohemspark.output;

import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ohemspark.mining.BadRecords;
import org.ohemspark.mining.HardPixels;
import org.ohemspark.mining.ImageRanks;
import org.ohemspark.mining.ImageReport;
import org.ohemspark.spark.ScanPartitions;

/**
 * How an output table is cut into files, so that their sizes follow a target instead of the
 * loss pass's partitioning (one file per partition: unbounded for {@code hard_pixels/}, a few
 * rows each for {@code images/}). The target, in bytes per file, becomes a cap on the rows per
 * file (Spark's {@code maxRecordsPerFile}): {@code rowsPerFile = max(1, floor(targetBytes /
 * rowBytes))}, where {@code rowBytes} is the table's estimated size of a row on disk (Parquet,
 * snappy: {@link HardPixels#ROW_BYTES}, {@link ImageReport#rowBytes},
 * {@link BadRecords#QUARANTINE_ROW_BYTES}).
 *
 * <ul>
 *   <li>{@link #ordered}: {@code images/}, one row per image, shuffled into rank order by
 *       {@link ImageRanks}, is read by one writing task in that order, without another shuffle,
 *       and cut into files of {@code rowsPerFile} rows.
 *   <li>{@link #gathered}: a table of one row per bad record ({@code quarantine/}) is gathered by a shuffle of its rows into one writing task, which
 *       cuts it into {@code ceil(rows / rowsPerFile)} files of {@code rowsPerFile} rows (the
 *       last one holds the rest). The tasks computing the rows keep their partitions: a
 *       {@code coalesce} would instead pull that computation (a pass over the cached losses)
 *       into the one task.
 *   <li>{@link #perPartition}: the per-pixel table ({@code hard_pixels/}) is written by the tasks
 *       computing it, each cutting its rows into files of at most {@code rowsPerFile} rows. Those
 *       tasks are the loss pass's partitions coalesced, without a shuffle, to
 *       {@link #writerTasks}: as many as {@link ScanPartitions} runs (so every core writes), but
 *       no more than gives each task {@code rowsPerFile / }{@value #MIN_FILE_FRACTION} rows (so
 *       a small result is one file, a larger one a few files of at least an eighth of the
 *       target). Its rows are never shuffled: a shuffle into one writing task cost 2 us per
 *       row (122 ns per label pixel at 1 kept pixel in 16), on one core.
  * </ul>
 *
 * Nothing is collected on the driver, and the data is read no more often: the only addition is
 * a shuffle of the gathered rows, which are at most one row per image or bad record.
 *
 * @param targetBytes the target size of a file, bytes, at least 1
 */
public record OutputFiles(long targetBytes) {

  /** The default target: 128 MiB, the usual HDFS block and Parquet row group size. */
  public static final long DEFAULT_TARGET_BYTES = 128L << 20;

  /**
   * @throws IllegalArgumentException when {@code targetBytes < 1}
   */
  public OutputFiles {
    if (targetBytes < 1) {
      throw new IllegalArgumentException("the target file size must be at least 1 byte, got "
          + targetBytes);
    }
  }

  /** Rows per file for rows of {@code rowBytes} (>= 1) bytes: at least 1. */
  public long rowsPerFile(long rowBytes) {
    return Math.max(1, targetBytes / rowBytes);
  }

  /**
   * A writer of {@code rows} gathered into one task, in files of {@link #rowsPerFile} rows.
   *
   * @param sortBy columns to sort the rows by in that task (none: the order the shuffle
   *     delivers)
   */
  public DataFrameWriter<Row> gathered(Dataset<Row> rows, long rowBytes, String... sortBy) {
    Dataset<Row> one = rows.repartition(1);
    if (sortBy.length > 0) {
      one = one.sortWithinPartitions(sortBy[0], java.util.Arrays.copyOfRange(sortBy, 1,
          sortBy.length));
    }
    return capped(one, rowBytes);
  }

  /**
   * A writer of {@code rows} already partitioned and ordered by a shuffle (e.g.
   * {@link ImageRanks}: {@code images/} in rank order): one task reads the partitions in turn,
   * without another shuffle, and writes them in that order in files of {@link #rowsPerFile}
   * rows. That task holds one partition's rows at a time (the shuffle's sort spills); the rows'
   * computation stays in the shuffle's map tasks.
   */
  public DataFrameWriter<Row> ordered(Dataset<Row> rows, long rowBytes) {
    return capped(rows.coalesce(1), rowBytes);
  }

  /** A writing task of {@link #perPartition} gets at least this fraction of a file's rows. */
  public static final int MIN_FILE_FRACTION = 8;

  /**
   * A writer of {@code rows} in the tasks that compute them (coalesced, no shuffle, to
   * {@link #writerTasks}), each in files of at most {@link #rowsPerFile} rows.
   *
   * @param expectedRows how many rows {@code rows} holds (known on the driver, e.g. the summary's
   *     {@code n_kept}), to decide without counting them
   */
  public DataFrameWriter<Row> perPartition(Dataset<Row> rows, long expectedRows,
      long rowBytes) {
    int partitions = rows.rdd().getNumPartitions();
    int tasks = writerTasks(expectedRows, rowBytes, partitions,
        rows.sparkSession().sparkContext().defaultParallelism());
    return capped(tasks < partitions ? rows.coalesce(tasks) : rows, rowBytes);
  }

  /**
   * Writing tasks for {@code rows} rows of {@code rowBytes} computed in {@code partitions}
   * partitions on {@code parallelism} cores: {@code min(ScanPartitions.partitions(partitions,
   * parallelism), max(1, ceil(rows / max(1, rowsPerFile / MIN_FILE_FRACTION))))}.
   */
  public int writerTasks(long rows, long rowBytes, int partitions, int parallelism) {
    long perTask = Math.max(1, rowsPerFile(rowBytes) / MIN_FILE_FRACTION);
    long bySize = Math.max(1, (rows + perTask - 1) / perTask);
    return (int) Math.min(ScanPartitions.partitions(partitions, parallelism), bySize);
  }

  private DataFrameWriter<Row> capped(Dataset<Row> rows, long rowBytes) {
    return rows.write().option("maxRecordsPerFile", rowsPerFile(rowBytes));
  }
}
