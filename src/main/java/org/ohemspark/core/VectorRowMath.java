package org.ohemspark.core;

import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowMath} on the Vector API: a block of pixels (the preferred vector: 8 doubles or 16
 * floats with AVX-512, 4 or 8 with AVX2) is carried through all channels at once, so max, exp
 * and sum stay in registers and each channel's values are loaded once per pass. {@code exp} of
 * the max-shifted logits ({@code x <= 0}) is {@link VectorExp}: multiply-adds only, so the same
 * bits compiled or interpreted. Double rows use its degree-12 polynomial (about 2e-16 relative
 * error, as {@link Math#exp}); float rows its float one, widened to double before the sum.
 * {@code log} is {@link Math#log}, once per pixel (the lanewise SVML {@code LOG} is not used: its
 * compiled and interpreted results can differ by an ulp, which would make reruns differ). The
 * last {@code width mod lanes} pixels take the scalar loop.
 *
 * <p>Loaded only by name from {@link RowMathChoice}, so that a JVM without
 * {@code jdk.incubator.vector} never links this class.
 */
final class VectorRowMath implements RowMath, RowMathChoice.VectorRowMathProbe {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** Floats with as many lanes as {@link #S}: half its bit size. */
  private static final VectorSpecies<Float> F =
      VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
  /** Floats with twice the lanes of {@link #S}: one float vector widens into two of S. */
  private static final VectorSpecies<Float> F2 =
      VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize()));

  @Override
  public boolean logSumExp(double[] row, int c, int width, double[] max, double[] logSum,
      int[] argmax) {
    final double[] classes = scratch(width).doubles;
    final int lanes = S.length();
    final int bound = S.loopBound(width);
    DoubleVector probe = DoubleVector.zero(S);
    for (int x = 0; x < bound; x += lanes) {
      DoubleVector m = DoubleVector.fromArray(S, row, x);
      // one compare finds both the maximum and the predicted class: where v > m (strict, so a
      // tie keeps the first maximum, as torch.argmax), m takes v and arg the class index
      // (doubles, exact below 2^53). A blend, not Java's max (several instructions per lane
      // for its NaN and signed-zero rules): a signed zero's sign may differ, which changes no
      // difference l - m, so no loss
      DoubleVector arg = DoubleVector.zero(S);
      DoubleVector index = DoubleVector.zero(S);
      for (int ch = 1; ch < c; ch++) {
        DoubleVector v = DoubleVector.fromArray(S, row, ch * width + x);
        VectorMask<Double> gt = v.compare(VectorOperators.GT, m);
        index = index.add(1.0);
        m = m.blend(v, gt);
        arg = arg.blend(index, gt);
      }
      arg.intoArray(classes, x);
      // +inf becomes the maximum, a NaN at class 0 stays it, and all logits -inf leave m at
      // -inf: each makes m * 0 NaN. A NaN at another class never becomes m, but its exp term
      // (VectorExp propagates NaN) makes the sum NaN, hence s * 0 below. A -inf logit among
      // finite ones is allowed: its exp is 0 (below e^-708 here), as in PyTorch
      probe = probe.add(m.mul(0.0));
      DoubleVector s = VectorExp.ofDoubles(DoubleVector.fromArray(S, row, x).sub(m));
      for (int ch = 1; ch < c; ch++) {
        s = s.add(VectorExp.ofDoubles(DoubleVector.fromArray(S, row, ch * width + x).sub(m)));
      }
      probe = probe.add(s.mul(0.0));
      m.intoArray(max, x);
      s.intoArray(logSum, x);
    }
    if (probe.reduceLanes(VectorOperators.ADD) != 0.0) {
      return false;
    }
    for (int x = 0; x < bound; x++) {
      argmax[x] = (int) classes[x];
    }
    // Math.log, not the lanewise LOG: SVML's compiled result and the interpreter's fallback
    // can differ by an ulp, and losses must be the same bits in every JVM and on every rerun
    for (int x = 0; x < bound; x++) {
      logSum[x] = Math.log(logSum[x]);
    }
    for (int x = bound; x < width; x++) {
      double m = row[x];
      int a = 0;
      for (int ch = 1; ch < c; ch++) {
        double v = row[ch * width + x];
        if (v > m) {
          a = ch;
        }
        m = Math.max(m, v);
      }
      argmax[x] = a;
      if (m * 0.0 != 0.0) {
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

  /**
   * Float lanes: max and {@code e^(x - max)} on {@code 2L} floats at once ({@link
   * VectorExp#ofFloats}), each exp widened to double before it is summed, {@link Math#log} once
   * per pixel. The error is what {@link RowMath#floatLogSumExpError} bounds; the last
   * {@code width mod 2L} pixels take the exact double loop.
   */
  @Override
  public boolean logSumExp(float[] row, int c, int width, double[] max, double[] logSum,
      int[] argmax) {
    final float[] classes = scratch(width).floats;
    final int lanes = F2.length();
    final int bound = F2.loopBound(width);
    FloatVector probe = FloatVector.zero(F2);
    DoubleVector sumProbe = DoubleVector.zero(S);
    for (int x = 0; x < bound; x += lanes) {
      FloatVector m = FloatVector.fromArray(F2, row, x);
      // as in the double loop: one compare, two blends (class indices as floats, exact below
      // 2^24)
      FloatVector arg = FloatVector.zero(F2);
      FloatVector index = FloatVector.zero(F2);
      for (int ch = 1; ch < c; ch++) {
        FloatVector v = FloatVector.fromArray(F2, row, ch * width + x);
        VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
        index = index.add(1f);
        m = m.blend(v, gt);
        arg = arg.blend(index, gt);
      }
      arg.intoArray(classes, x);
      // as in the double loop: +inf, a NaN at class 0 or all -inf make m * 0 NaN, a NaN at
      // another class the sums (s0, s1 below); a -inf logit among finite ones adds e^-87 <
      // 2e-38 (VectorExp.ofFloats) where PyTorch adds 0
      probe = probe.add(m.mul(0f));
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = DoubleVector.zero(S);
      for (int ch = 0; ch < c; ch++) {
        FloatVector e = VectorExp.ofFloats(FloatVector.fromArray(F2, row, ch * width + x).sub(m));
        s0 = s0.add(e.convertShape(VectorOperators.F2D, S, 0));
        s1 = s1.add(e.convertShape(VectorOperators.F2D, S, 1));
      }
      ((DoubleVector) m.convertShape(VectorOperators.F2D, S, 0)).intoArray(max, x);
      ((DoubleVector) m.convertShape(VectorOperators.F2D, S, 1)).intoArray(max, x + S.length());
      s0.intoArray(logSum, x);
      s1.intoArray(logSum, x + S.length());
      sumProbe = sumProbe.add(s0.mul(0.0)).add(s1.mul(0.0));
    }
    if (probe.reduceLanes(VectorOperators.ADD) != 0f
        || sumProbe.reduceLanes(VectorOperators.ADD) != 0.0) {
      return false;
    }
    for (int x = 0; x < bound; x++) {
      argmax[x] = (int) classes[x];
    }
    for (int x = 0; x < bound; x++) {
      logSum[x] = Math.log(logSum[x]);
    }
    return ScalarRowMath.logSumExpFrom(row, c, width, bound, width, max, logSum, argmax);
  }

  /**
   * Each float exp is within {@code 3u} of the exact {@code e^x} of its argument, and that
   * argument, {@code l_c - max} rounded to float, is within {@code u|x|} of the exact
   * difference ({@code u = 2^-24}). Summed with weights {@code e^x <= 1}, and since
   * {@code |x| e^x <= 1/e} for the {@code c - 1} terms beside the max, the sum's relative error
   * is below {@code u ((c - 1)/e + 3)}, which is the log's absolute error. Doubled for margin.
   */
  @Override
  public double floatLogSumExpError(int c) {
    return 2 * 0x1p-24 * ((c - 1) / Math.E + 4);
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

  /**
   * Each pixel's class index as the lanes hold it (float or double, exact), per thread: stored
   * by vector, then converted to {@code int} by a plain loop. A first version converted the
   * lanes to an int vector ({@code F2I}, {@code D2I}) and blended a broadcast class index,
   * with Java's {@code max} beside the compare: JMH on JDK 17 gave about 16% less throughput
   * than without the argmax (BENCHMARKS.md, *Kernel (JMH)*); this form is within the noise.
   */
  private static final class Scratch {
    float[] floats = new float[0];
    double[] doubles = new double[0];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static Scratch scratch(int width) {
    Scratch s = SCRATCH.get();
    if (s.floats.length < width) {
      s.floats = new float[width];
      s.doubles = new double[width];
    }
    return s;
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
