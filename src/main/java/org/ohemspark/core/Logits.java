package org.ohemspark.core;

/**
 * Read access to one image's logits tensor of shape {@code [C, h, w]} (classes, rows, columns),
 * whatever its storage (float16/float32/float64, either byte order, C or Fortran order).
 * Values are raw model scores (pre-softmax), read as double.
 *
 * <p>Logits read from a file may hold it open ({@code org.ohemspark.io.SlabLogits}): whoever
 * is done with an image closes its logits ({@link #close}); for arrays in memory that does
 * nothing.
 */
public interface Logits extends AutoCloseable {
  /** Number of classes {@code C}. */
  int channels();

  /** Rows {@code h}. */
  int height();

  /** Columns {@code w}. */
  int width();

  /**
   * Copies row {@code y} of channel {@code c}, that is {@code logits[c, y, 0..w)}, into
   * {@code dst[off .. off+w)} as doubles.
   */
  void readRow(int c, int y, double[] dst, int off);

  /**
   * True when every value is a float32 (float16 or float32 storage), so that
   * {@link #readRow(int, int, float[], int)} is exact. False by default.
   */
  default boolean floatExact() {
    return false;
  }

  /**
   * Copies row {@code y} of channel {@code c} into {@code dst[off .. off+w)} as floats; exact
   * only where {@link #floatExact()}. By default through {@link #readRow(int, int, double[],
   * int)}.
   */
  default void readRow(int c, int y, float[] dst, int off) {
    double[] t = new double[width()];
    readRow(c, y, t, 0);
    for (int x = 0; x < t.length; x++) {
      dst[off + x] = (float) t[x];
    }
  }

  /** Releases what reading holds (an open file); by default nothing. Idempotent. */
  @Override
  default void close() {}
}
