package org.ohemspark.core;

import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowMath} on the Vector API: a block of {@code L} pixels (the preferred double vector:
 * 8 lanes with AVX-512, 4 with AVX2) is carried through all channels at once, so max, exp and
 * sum stay in registers and each channel's values are loaded once per pass. {@code exp} of the
 * max-shifted logits ({@code x <= 0}) is {@link #expNonPositive}: range reduction by
 * {@code ln 2}, a degree-12 Taylor polynomial and an exponent shift, all multiply-adds (about
 * 2e-16 relative error, as {@link Math#exp}, and the same bits compiled or interpreted);
 * {@code log} is {@link Math#log}, once per pixel (the lanewise SVML {@code LOG} is not used: its
 * compiled and interpreted results can differ by an ulp, which would make reruns differ). The
 * last {@code width mod L} pixels take the scalar loop.
 *
 * <p>Loaded only by name from {@link RowMathChoice}, so that a JVM without
 * {@code jdk.incubator.vector} never links this class.
 */
final class VectorRowMath implements RowMath, RowMathChoice.VectorRowMathProbe {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** Floats with as many lanes as {@link #S}: half its bit size. */
  private static final VectorSpecies<Float> F =
      VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
  private static final double LOG2E = 1.4426950408889634;
  private static final double LN2_HI = 0x1.62e42fefa39efp-1;
  private static final double LN2_LO = 0x1.abc9e3b39803fp-56;
  /** 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer. */
  private static final double SHIFTER = 0x1.8p52;
  /** exp(x) for x below this is taken as exp(-708) ~ 3e-308: nothing beside the max's 1. */
  private static final double LOWEST = -708.0;
  private static final double[] TAYLOR = new double[13];

  static {
    double f = 1;
    for (int n = 0; n < TAYLOR.length; n++) {
      f = n == 0 ? 1 : f * n;
      TAYLOR[n] = 1.0 / f;
    }
  }

  /**
   * {@code e^x} for lanes {@code x <= 0} (NaN stays NaN): {@code x = k ln2 + r} with
   * {@code |r| <= ln2 / 2}, {@code e^r} by Horner over the Taylor terms to {@code r^12/12!}
   * (truncation below 2e-16 relative), times {@code 2^k} built in the exponent bits. Lanes below
   * -708 give {@code e^-708}, which cannot change a sum that holds the max's {@code e^0 = 1}.
   */
  static DoubleVector expNonPositive(DoubleVector x) {
    DoubleVector xc = x.max(LOWEST);
    DoubleVector t = xc.fma(LOG2E, SHIFTER);
    DoubleVector k = t.sub(SHIFTER);
    DoubleVector r = k.fma(DoubleVector.broadcast(S, -LN2_HI), xc);
    r = k.fma(DoubleVector.broadcast(S, -LN2_LO), r);
    DoubleVector p = DoubleVector.broadcast(S, TAYLOR[12]);
    for (int n = 11; n >= 0; n--) {
      p = p.fma(r, DoubleVector.broadcast(S, TAYLOR[n]));
    }
    // the low bits of t's pattern hold k; (bits + 1023) << 52 is 2^k's pattern (mod 2^64)
    LongVector bits = t.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52);
    return p.mul(bits.reinterpretAsDoubles());
  }

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
      DoubleVector s = expNonPositive(DoubleVector.fromArray(S, row, x).sub(m));
      for (int ch = 1; ch < c; ch++) {
        s = s.add(expNonPositive(DoubleVector.fromArray(S, row, ch * width + x).sub(m)));
      }
      m.intoArray(max, x);
      s.intoArray(logSum, x);
    }
    if (probe.reduceLanes(VectorOperators.ADD) != 0.0) {
      return false;
    }
    // Math.log, not the lanewise LOG: SVML's compiled result and the interpreter's fallback
    // can differ by an ulp, and losses must be the same bits in every JVM and on every rerun
    for (int x = 0; x < bound; x++) {
      logSum[x] = Math.log(logSum[x]);
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
  public void decodeFloat32(byte[] src, int byteOffset, ByteOrder order, double[] dst, int off,
      int n) {
    final int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += S.length()) {
      FloatVector.fromByteArray(F, src, byteOffset + 4 * i, order)
          .convertShape(VectorOperators.F2D, S, 0).reinterpretAsDoubles()
          .intoArray(dst, off + i);
    }
    if (i < n) {
      ScalarRowMath.INSTANCE.decodeFloat32(src, byteOffset + 4 * i, order, dst, off + i, n - i);
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
