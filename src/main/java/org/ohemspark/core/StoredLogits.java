package org.ohemspark.core;

/**
 * {@link Logits} stored as a dense array of one element type ({@link DenseLogits} in memory,
 * {@code org.ohemspark.io.SlabLogits} in a file), so they can be copied out bit for bit: how a
 * shard's {@code logits} column is written, without converting the values.
 */
public interface StoredLogits extends Logits {

  /** The element type of the storage. */
  DenseLogits.DType dtype();

  /**
   * The elements as a dense little-endian C-order {@code [C, h, w]} array of {@link #dtype()}
   * ({@code C*h*w*dtype.size} bytes, a copy): the layout of the {@code logits} column of a
   * Parquet shard. Values are copied bit for bit (no conversion).
   *
   * @throws BadRecordException if they do not fit one Java array (2 GiB), or cannot be read
   */
  byte[] toLittleEndianCOrder();
}
