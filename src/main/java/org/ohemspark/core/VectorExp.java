package org.ohemspark.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code e^x} for non-positive lanes (the max-shifted logits of a log-sum-exp), on the Vector
 * API, from multiply-adds only: so the compiled code and the interpreter's fallback give the
 * same bits. Both reduce {@code x = k ln2 + r} with {@code |r| <= ln2 / 2} (Cody-Waite, the
 * split {@code ln2} of fdlibm), take {@code e^r} by Horner over its Taylor terms and multiply by
 * {@code 2^k} built in the exponent bits.
 *
 * <ul>
 *   <li>{@link #ofDoubles}: terms to {@code r^12/12!}; about 2e-16 relative error, as
 *       {@link Math#exp}.
 *   <li>{@link #ofFloats}: terms to {@code r^7/7!} (truncation 5e-9); within {@code 3u}
 *       relative of the exact {@code e^x} of its float argument, {@code u = 2^-24}.
 * </ul>
 *
 * <p>Loaded only through {@link VectorRowMath}.
 */
final class VectorExp {
  private VectorExp() {}

  private static final double LOG2E = 1.4426950408889634;
  private static final double LN2_HI = 0x1.62e42fefa39efp-1;
  private static final double LN2_LO = 0x1.abc9e3b39803fp-56;
  /** 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer. */
  private static final double SHIFTER = 0x1.8p52;
  /** exp(x) for x below this is taken as exp(-708) ~ 3e-308: nothing beside the max's 1. */
  private static final double LOWEST = -708.0;
  private static final double[] TAYLOR = taylor(12);

  private static final float LOG2E_F = 1.44269504f;
  /** ln2 split so that {@code k * LN2_HI_F} is exact for |k| < 2^9. */
  private static final float LN2_HI_F = 0.693359375f;
  private static final float LN2_LO_F = -2.12194440e-4f;
  /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer. */
  private static final float SHIFTER_F = 0x1.8p23f;
  /** e^-87 ~ 1.6e-38, the smallest power kept normal; below it lanes give e^-87. */
  private static final float LOWEST_F = -87f;
  private static final float[] TAYLOR_F = toFloats(taylor(7));

  private static double[] taylor(int degree) {
    double[] t = new double[degree + 1];
    double f = 1;
    for (int n = 0; n <= degree; n++) {
      f = n == 0 ? 1 : f * n;
      t[n] = 1.0 / f;
    }
    return t;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /**
   * {@code e^x} for lanes {@code x <= 0} (NaN stays NaN). Lanes below -708 give {@code e^-708},
   * which cannot change a sum that holds the max's {@code e^0 = 1}.
   */
  static DoubleVector ofDoubles(DoubleVector x) {
    VectorSpecies<Double> s = x.species();
    DoubleVector xc = x.max(LOWEST);
    DoubleVector t = xc.fma(LOG2E, SHIFTER);
    DoubleVector k = t.sub(SHIFTER);
    DoubleVector r = k.fma(DoubleVector.broadcast(s, -LN2_HI), xc);
    r = k.fma(DoubleVector.broadcast(s, -LN2_LO), r);
    DoubleVector p = DoubleVector.broadcast(s, TAYLOR[12]);
    for (int n = 11; n >= 0; n--) {
      p = p.fma(r, DoubleVector.broadcast(s, TAYLOR[n]));
    }
    // the low bits of t's pattern hold k; (bits + 1023) << 52 is 2^k's pattern (mod 2^64)
    LongVector bits = t.reinterpretAsLongs().add(1023L).lanewise(VectorOperators.LSHL, 52);
    return p.mul(bits.reinterpretAsDoubles());
  }

  /**
   * {@code e^x} for float lanes {@code x <= 0} (NaN stays NaN). Lanes below -87 give
   * {@code e^-87}, which cannot change a sum that holds the max's {@code e^0 = 1} by more than
   * 2e-38 per lane.
   */
  static FloatVector ofFloats(FloatVector x) {
    VectorSpecies<Float> s = x.species();
    FloatVector xc = x.max(LOWEST_F);
    FloatVector t = xc.fma(LOG2E_F, SHIFTER_F);
    FloatVector k = t.sub(SHIFTER_F);
    FloatVector r = k.fma(FloatVector.broadcast(s, -LN2_HI_F), xc);
    r = k.fma(FloatVector.broadcast(s, -LN2_LO_F), r);
    FloatVector p = FloatVector.broadcast(s, TAYLOR_F[7]);
    for (int n = 6; n >= 0; n--) {
      p = p.fma(r, FloatVector.broadcast(s, TAYLOR_F[n]));
    }
    // t = 1.5 * 2^23 + k: its pattern's low bits hold k; (bits + 127) << 23 is 2^k's pattern
    IntVector bits = t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23);
    return p.mul(bits.reinterpretAsFloats());
  }
}
