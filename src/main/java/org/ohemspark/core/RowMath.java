package org.ohemspark.core;

/**
 * The arithmetic of {@link CrossEntropyKernel} over one row of logits held channel-major in a
 * {@code [C, W]} double buffer ({@code row[c * width + x]}): the per-pixel max and log-sum-exp,
 * and the vertical blend of the bilinear resize. Two implementations: {@link #scalar()} (plain
 * loops, {@link Math#exp}) and a Vector API one ({@code jdk.incubator.vector}, SIMD lanes of
 * doubles) that {@link #best()} picks when the module is present. Over double rows both
 * compute in double precision and differ by at most a few ulps per loss; over float rows the
 * Vector API one computes the exponentials in float ({@link #floatLogSumExpError}).
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface RowMath {

  /**
   * For every pixel {@code x} in {@code [0, width)}: {@code max[x] = max_c row[c, x]} and
   * {@code logSum[x] = ln(sum_c exp(row[c, x] - max[x]))}.
   *
   * @param row {@code [C, width]} channel-major, at least {@code c * width} values
   * @param max out, at least {@code width} values
   * @param logSum out, at least {@code width} values
   * @return false when some value of {@code row[0, c * width)} is NaN or +inf, or all the
   *     logits of one pixel are -inf (then {@code max} and {@code logSum} are meaningless), else
   *     true. A -inf logit among finite ones is allowed (a class masked out, as PyTorch allows):
   *     its exp counts as 0 (at most {@code e^-708}, or {@code e^-87} in float lanes)
   */
  default boolean logSumExp(double[] row, int c, int width, double[] max, double[] logSum) {
    return logSumExp(row, c, width, max, logSum, new int[width]);
  }

  /**
   * {@link #logSumExp(double[], int, int, double[], double[])}, and each pixel's predicted
   * class: {@code argmax[x]} = the smallest {@code c} with {@code row[c, x] = max[x]}, the first
   * maximum in class order as {@code torch.argmax} gives it (found in the same walk over the
   * logits as the maximum, by a strict {@code >} against the running maximum).
   *
   * @param argmax out, at least {@code width} values, each in {@code [0, c)} when true is
   *     returned
   */
  boolean logSumExp(double[] row, int c, int width, double[] max, double[] logSum,
      int[] argmax);

  /**
   * {@link #logSumExp(double[], int, int, double[], double[])} over a row of float logits (exact
   * float16 or float32 values), {@code max} exact, {@code logSum} within
   * {@link #floatLogSumExpError} of the exact value: the Vector API implementation computes the
   * exponentials in float lanes, twice as many as double lanes (PyTorch computes the whole loss
   * in float32).
   *
   * @param row {@code [C, width]} channel-major, at least {@code c * width} values
   * @return false as the double overload: a NaN or +inf, or a pixel whose logits are all -inf
   */
  default boolean logSumExp(float[] row, int c, int width, double[] max, double[] logSum) {
    return logSumExp(row, c, width, max, logSum, new int[width]);
  }

  /**
   * The float-row {@link #logSumExp(float[], int, int, double[], double[])} with each pixel's
   * predicted class, the first maximum in class order ({@code torch.argmax}); exact, since
   * the maximum is.
   *
   * @param argmax out, at least {@code width} values
   */
  boolean logSumExp(float[] row, int c, int width, double[] max, double[] logSum, int[] argmax);

  /**
   * Bound on the absolute error (nats) of {@code logSum} from the float-row
   * {@link #logSumExp(float[], int, int, double[], double[])} with {@code c} classes: about
   * {@code 1.2e-7 (c/e + 4)} for the Vector API (1.3e-6 at 19 classes, 7e-6 at 150).
   */
  double floatLogSumExpError(int c);

  /**
   * {@code dst[i] = a[i] * wa + b[i] * wb} for {@code i} in {@code [0, n)}, each product rounded
   * before the sum (no fused multiply-add), so every implementation gives the same bits.
   */
  void blend(double[] a, double[] b, double wa, double wb, double[] dst, int n);

  /**
   * Decodes {@code n} float32 values stored at {@code src[byteOffset ..)} in byte order
   * {@code order} into {@code dst[off .. off + n)} as doubles (exact).
   *
   * @throws IndexOutOfBoundsException if {@code src} or {@code dst} is too short
   */
  void decodeFloat32(byte[] src, int byteOffset, java.nio.ByteOrder order, double[] dst, int off,
      int n);

  /** Short name for reports: {@code scalar} or {@code vector-<bits>}. */
  String name();

  /** Plain Java loops; always available. */
  static RowMath scalar() {
    return ScalarRowMath.INSTANCE;
  }

  /**
   * The fastest implementation this JVM has, chosen once at class initialisation: the Vector API
   * one when {@code jdk.incubator.vector} is present and its preferred double vector has at
   * least 4 lanes, else {@link #scalar()}. The system property {@code ohem.kernel=scalar}
   * forces the scalar loops.
   */
  static RowMath best() {
    return RowMathChoice.BEST;
  }
}
