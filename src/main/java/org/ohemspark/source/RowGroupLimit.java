package org.ohemspark.source;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;

/**
 * How large a Parquet row group the job reads and writes, so that reading a shard takes memory
 * of a few images, never of a file.
 *
 * <p>Spark's Parquet reader (parquet-mr's {@code ParquetFileReader}) reads every selected column
 * chunk of a row group into memory before it decodes the first value, and its vectorized reader
 * then fills a batch of {@code spark.sql.parquet.columnarReaderBatchSize} rows (4096 by default)
 * at a time. pandas and pyarrow write one row group per file whatever its size (pyarrow's
 * {@code row_group_size} counts rows), so a shard of 60 images of 20 MB is one 1.2 GB row
 * group, which Spark holds whole, and a batch of all 60 rows beside it: an
 * {@code OutOfMemoryError} in a 2 GB heap (BENCHMARKS.md, "Parquet row groups"). So:
 *
 * <ul>
 *   <li>a file whose largest row group holds more than {@link #KEY} bytes of the columns read
 *       (as stored, compressed) is a bad file in every mode ({@link #tooLarge}), named with its
 *       row group's size and what to do;</li>
 *   <li>shards are read with batches of at most {@link #READER_BATCH_BYTES} of decoded rows
 *       (one row when a row is larger; {@link #readerBatchRows});</li>
 *   <li>the ingest writes row groups of at most half the limit ({@link #writeRowGroupBytes}),
 *       and refuses an image whose row alone is over the limit ({@link #rowTooLarge}).</li>
 * </ul>
 *
 * @param bytes the limit, from the session's {@value #KEY} (Spark size syntax: {@code 256m},
 *     {@code 1g}, or bytes)
 */
public record RowGroupLimit(long bytes) implements Serializable {
  /** The Spark configuration key of the limit. */
  public static final String KEY = "spark.ohem.parquet.maxRowGroupBytes";
  /** The limit when {@link #KEY} is not set: 256 MiB. */
  public static final String DEFAULT = "256m";
  /** Decoded bytes a vectorized reader batch of shard rows holds at most (one row if larger). */
  public static final long READER_BATCH_BYTES = 16L << 20;
  /** Spark's key of the vectorized Parquet reader's batch, in rows. */
  static final String BATCH_ROWS_KEY = "spark.sql.parquet.columnarReaderBatchSize";

  /**
   * The limit the session sets ({@link #KEY}, else {@link #DEFAULT}).
   *
   * @throws IllegalArgumentException if the value is not a size of at least 1 byte
   */
  public static RowGroupLimit of(SparkSession spark) {
    String v = spark.conf().get(KEY, DEFAULT);
    long b;
    try {
      b = JavaUtils.byteStringAsBytes(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(KEY + " must be a size such as 256m or 1g, got '" + v
          + "'", e);
    }
    if (b < 1) {
      throw new IllegalArgumentException(KEY + " must be at least 1 byte, got '" + v + "'");
    }
    return new RowGroupLimit(b);
  }

  /**
   * Why a file whose largest row group is {@code g} is not read, or null when it is within the
   * limit.
   */
  String tooLarge(ParquetFooters.RowGroup g) {
    if (g == null || g.bytes() <= bytes) {
      return null;
    }
    return "row group " + g.index() + " of " + size(g.bytes()) + " (" + g.bytes() + " bytes of"
        + " the columns read, " + g.rows() + " rows; column " + g.column() + " "
        + size(g.columnBytes()) + ") is larger than " + KEY + " = " + size(bytes) + ": Spark's "
        + "Parquet reader holds a whole row group in memory; rewrite the file with smaller row "
        + "groups (ohem-ingest --format parquet, run once with " + KEY + " raised, writes them "
        + "at most half the limit; pyarrow: a smaller row_group_size, in rows), or raise " + KEY
        + " where the executors have the memory";
  }

  /** The row group size the ingest writes ({@code parquet.block.size}): half the limit. */
  long writeRowGroupBytes() {
    return Math.max(1, bytes / 2);
  }

  /**
   * Why a shard row of {@code rowBytes} (logits plus labels, decoded) cannot be written, or
   * null: a row group holds at least one row, and the mining job reads a row group whole.
   */
  String rowTooLarge(long rowBytes) {
    if (rowBytes <= bytes) {
      return null;
    }
    return "its logits and labels are " + size(rowBytes) + " (" + rowBytes + " bytes), more "
        + "than " + KEY + " = " + size(bytes) + ": a Parquet row group holds at least one "
        + "image and the mining job reads a row group whole; raise " + KEY + " for both jobs, "
        + "or mine the dataset directory or tars directly (they are read a slab of rows at a "
        + "time)";
  }

  /**
   * Rows per vectorized reader batch for shards whose rows take up to {@code rowBytes} bytes
   * decoded: at most {@code current} (the session's setting), at most
   * {@link #READER_BATCH_BYTES} of rows, at least one row.
   */
  static int readerBatchRows(long rowBytes, int current) {
    long rows = READER_BATCH_BYTES / Math.max(1, rowBytes);
    return (int) Math.max(1, Math.min(current, rows));
  }

  /**
   * The session to read shards with: {@code spark} itself when its batch already fits
   * ({@link #readerBatchRows}), else a clone of it (same settings, same SparkContext) whose
   * batch does. Spark's Parquet scan takes its batch size from the session of the Dataset it
   * runs in, when the Dataset's RDD is made; a clone changes it for this read only, never in
   * the caller's session.
   *
   * @param footers the files to read
   */
  static SparkSession readingSession(SparkSession spark, List<ParquetFooters.Footer> footers) {
    long rowBytes = 0;
    for (ParquetFooters.Footer f : footers) {
      rowBytes = Math.max(rowBytes, f.rowBytes());
    }
    int current = Integer.parseInt(spark.conf().get(BATCH_ROWS_KEY, "4096").trim());
    int rows = readerBatchRows(rowBytes, current);
    if (rows == current || !(spark instanceof org.apache.spark.sql.classic.SparkSession s)) {
      return spark;
    }
    SparkSession reading = s.cloneSession();
    reading.conf().set(BATCH_ROWS_KEY, Integer.toString(rows));
    return reading;
  }

  /** {@code n} bytes for messages, binary units: {@code 1.1 GiB}, {@code 256.0 MiB}... */
  static String size(long n) {
    if (n >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
    }
    if (n >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
    }
    return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
  }
}
