package org.ohemspark.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** {@link RowMath} with plain loops over the channel-major row, channel-outer. */
final class ScalarRowMath implements RowMath {
  static final ScalarRowMath INSTANCE = new ScalarRowMath();
  private static final VarHandle LE =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BE =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

  private ScalarRowMath() {}

  @Override
  public boolean logSumExp(double[] row, int c, int width, double[] max, double[] logSum,
      int[] argmax) {
    System.arraycopy(row, 0, max, 0, width);
    Arrays.fill(argmax, 0, width, 0);
    for (int ch = 1; ch < c; ch++) {
      int d = ch * width;
      for (int x = 0; x < width; x++) {
        double v = row[d + x];
        if (v > max[x]) { // strict: a tie keeps the lower class, as torch.argmax
          argmax[x] = ch;
        }
        max[x] = Math.max(max[x], v); // propagates NaN
      }
    }
    double probe = 0;
    for (int x = 0; x < width; x++) {
      probe += max[x] * 0.0; // NaN for a NaN, a +inf, or a pixel whose logits are all -inf
    }
    if (probe != 0.0) {
      return false;
    }
    Arrays.fill(logSum, 0, width, 0.0);
    for (int ch = 0; ch < c; ch++) {
      int d = ch * width;
      for (int x = 0; x < width; x++) {
        logSum[x] += Math.exp(row[d + x] - max[x]);
      }
    }
    for (int x = 0; x < width; x++) {
      logSum[x] = Math.log(logSum[x]);
    }
    return true;
  }

  /** Widened float rows, per thread (this class is otherwise stateless). */
  private static final ThreadLocal<double[]> WIDE = ThreadLocal.withInitial(() -> new double[0]);

  /**
   * The row widened to double, then {@link #logSumExp(double[], int, int, double[], double[])}:
   * channel-outer, unit-stride loops; each pixel's figures are those of {@link
   * #logSumExpFrom}, bit for bit (the same maximum, the same double exp terms summed in channel
   * order). Widening costs little beside one {@link Math#exp} per logit.
   */
  @Override
  public boolean logSumExp(float[] row, int c, int width, double[] max, double[] logSum,
      int[] argmax) {
    int n = c * width;
    double[] wide = WIDE.get();
    if (wide.length < n) {
      wide = new double[n];
      WIDE.set(wide);
    }
    for (int i = 0; i < n; i++) {
      wide[i] = row[i];
    }
    return logSumExp(wide, c, width, max, logSum, argmax);
  }

  /** Double precision throughout: only the final {@link Math#log} rounds, and the sum. */
  @Override
  public double floatLogSumExpError(int c) {
    return 1e-14 * c;
  }

  /**
   * The float-row log-sum-exp of pixels {@code [from, to)} in double precision, pixel by
   * pixel ({@link Math#exp}), with each pixel's first maximum in class order in
   * {@code argmax}; false when one of their logits is NaN or +inf, or all the logits
   * of one pixel are -inf ({@link RowMath#logSumExp(double[], int, int, double[], double[])}).
   */
  static boolean logSumExpFrom(float[] row, int c, int width, int from, int to, double[] max,
      double[] logSum, int[] argmax) {
    for (int x = from; x < to; x++) {
      double m = row[x];
      int arg = 0;
      for (int ch = 1; ch < c; ch++) {
        double v = row[ch * width + x];
        if (v > m) {
          arg = ch;
        }
        m = Math.max(m, v); // propagates NaN
      }
      argmax[x] = arg;
      if (m * 0.0 != 0.0) { // NaN, +inf, or all logits -inf
        return false;
      }
      double s = 0;
      for (int ch = 0; ch < c; ch++) {
        s += Math.exp(row[ch * width + x] - m);
      }
      max[x] = m;
      logSum[x] = Math.log(s);
    }
    return true;
  }

  @Override
  public void blend(double[] a, double[] b, double wa, double wb, double[] dst, int n) {
    for (int i = 0; i < n; i++) {
      dst[i] = a[i] * wa + b[i] * wb;
    }
  }

  @Override
  public void decodeFloat32(byte[] src, int byteOffset, ByteOrder order, double[] dst, int off,
      int n) {
    VarHandle h = order == ByteOrder.LITTLE_ENDIAN ? LE : BE;
    for (int i = 0; i < n; i++) {
      dst[off + i] = (float) h.get(src, byteOffset + 4 * i);
    }
  }

  @Override
  public String name() {
    return "scalar";
  }
}
