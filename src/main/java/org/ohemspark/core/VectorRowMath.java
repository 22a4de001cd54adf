package org.ohemspark.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowMath} on the Vector API: a block of {@code L} pixels (the preferred double vector:
 * 8 lanes with AVX-512, 4 with AVX2) is carried through all channels at once, so max, exp and
 * sum stay in registers and each channel's values are loaded once per pass. {@code exp} and
 * {@code log} are the JDK's lanewise intrinsics (Intel SVML on x86, within 1 ulp). The last
 * {@code width mod L} pixels take the scalar loop.
 *
 * <p>Loaded only by name from {@link RowMathChoice}, so that a JVM without
 * {@code jdk.incubator.vector} never links this class.
 */
final class VectorRowMath implements RowMath, RowMathChoice.VectorRowMathProbe {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

  @Override
  public boolean logSumExp(double[] row, int c, int width, double[] max, double[] logSum) {
    final int lanes = S.length();
    final int bound = S.loopBound(width);
    DoubleVector probe = DoubleVector.zero(S);
    for (int x = 0; x < bound; x += lanes) {
      DoubleVector m = DoubleVector.fromArray(S, row, x);
      DoubleVector lo = m;
      for (int ch = 1; ch < c; ch++) {
        DoubleVector v = DoubleVector.fromArray(S, row, ch * width + x);
        m = m.max(v);
        lo = lo.min(v);
      }
      // NaN propagates through max; +inf makes m infinite, -inf makes lo infinite
      probe = probe.add(m.sub(lo).mul(0.0));
      DoubleVector s = DoubleVector.fromArray(S, row, x).sub(m).lanewise(VectorOperators.EXP);
      for (int ch = 1; ch < c; ch++) {
        s = s.add(DoubleVector.fromArray(S, row, ch * width + x).sub(m)
            .lanewise(VectorOperators.EXP));
      }
      m.intoArray(max, x);
      s.lanewise(VectorOperators.LOG).intoArray(logSum, x);
    }
    if (probe.reduceLanes(VectorOperators.ADD) != 0.0) {
      return false;
    }
    for (int x = bound; x < width; x++) {
      double m = row[x];
      double lo = m;
      for (int ch = 1; ch < c; ch++) {
        double v = row[ch * width + x];
        m = Math.max(m, v);
        lo = Math.min(lo, v);
      }
      if ((m - lo) * 0.0 != 0.0) {
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
    final int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += S.length()) {
      DoubleVector.fromArray(S, a, i).mul(wa)
          .add(DoubleVector.fromArray(S, b, i).mul(wb))
          .intoArray(dst, i);
    }
    for (; i < n; i++) {
      dst[i] = a[i] * wa + b[i] * wb;
    }
  }

  @Override
  public int lanes() {
    return S.length();
  }

  @Override
  public String name() {
    return "vector-" + S.vectorBitSize();
  }
}
