package org.ohemspark.core;

/**
 * Read access to one image's logits tensor of shape {@code [C, h, w]} (classes, rows, columns),
 * whatever its storage (float16/float32/float64, either byte order, C or Fortran order).
 * Values are raw model scores (pre-softmax), read as double.
 */
public interface Logits {
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
}
