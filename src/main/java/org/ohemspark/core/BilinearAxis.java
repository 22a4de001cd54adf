package org.ohemspark.core;

/**
 * Source indices and weights for resizing one axis from {@code in} to {@code out} samples with
 * bilinear interpolation and {@code align_corners=False}, exactly as PyTorch's
 * {@code F.interpolate(mode="bilinear")} computes them when given an output size
 * ({@code area_pixel_compute_source_index} in ATen's {@code UpSample.h}):
 *
 * <pre>
 *   scale = in / out
 *   src   = max(scale * (dst + 0.5) - 0.5, 0)
 *   i0    = min(floor(src), in - 1);  i1 = i0 + (i0 &lt; in - 1 ? 1 : 0)
 *   w1    = src - i0;  w0 = 1 - w1
 * </pre>
 *
 * Down-sampling follows the same formula (no anti-aliasing), as PyTorch does by default.
 *
 * <p>With {@code align_corners=True} ({@link #BilinearAxis(int, int, boolean)}) the end samples
 * of both axes coincide: {@code src = dst * (in - 1) / (out - 1)} ({@code 0} when
 * {@code out = 1}), ATen's {@code area_pixel_compute_scale} and source index for that flag.
 */
public final class BilinearAxis {
  /** First source index per output position. */
  public final int[] i0;
  /** Second source index per output position ({@code i0} or {@code i0 + 1}). */
  public final int[] i1;
  /** Weight of {@code i0}. */
  public final double[] w0;
  /** Weight of {@code i1}. */
  public final double[] w1;

  /**
   * The axis with {@code align_corners=False}.
   *
   * @throws IllegalArgumentException if {@code in} or {@code out} is not positive
   */
  public BilinearAxis(int in, int out) {
    this(in, out, false);
  }

  /**
   * @param alignCorners PyTorch's {@code align_corners}
   * @throws IllegalArgumentException if {@code in} or {@code out} is not positive
   */
  public BilinearAxis(int in, int out, boolean alignCorners) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("axis sizes must be positive: in=" + in + " out=" + out);
    }
    i0 = new int[out];
    i1 = new int[out];
    w0 = new double[out];
    w1 = new double[out];
    double scale = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0.0)
        : (double) in / out;
    for (int d = 0; d < out; d++) {
      double src = alignCorners ? scale * d : scale * (d + 0.5) - 0.5;
      if (src < 0) {
        src = 0;
      }
      int a = Math.min((int) src, in - 1);
      double l1 = Math.min(Math.max(src - a, 0.0), 1.0);
      i0[d] = a;
      i1[d] = a + (a < in - 1 ? 1 : 0);
      w1[d] = l1;
      w0[d] = 1.0 - l1;
    }
  }
}
