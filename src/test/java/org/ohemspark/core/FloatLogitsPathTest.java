package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ohemspark.testing.ArrayLogits;

/**
 * The kernel's float path (float16/float32 logits, no resize) against the double path over the
 * same values: losses within {@link RowMath#floatLogSumExpError}, and the strict
 * {@code loss > -ln(thresh)} decided as in double precision even a few ulps from the threshold.
 */
class FloatLogitsPathTest {
  private static final RowMath[] BOTH = {RowMath.scalar(), RowMath.best()};

  /** Float32 little-endian C-order logits {@code [c, h, w]} holding {@code v}. */
  static DenseLogits float32(float[] v, int c, int h, int w) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return new DenseLogits(b, ByteOrder.LITTLE_ENDIAN, DenseLogits.DType.FLOAT32, c, h, w,
        false);
  }

  static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** ln(sum_c e^(l_c - m)) - (l_label - m) in double with Math.exp, pixel x of [c, 1, w]. */
  static double exactLoss(float[] v, int c, int w, int x, int label) {
    double m = Double.NEGATIVE_INFINITY;
    for (int ch = 0; ch < c; ch++) {
      m = Math.max(m, v[ch * w + x]);
    }
    double s = 0;
    for (int ch = 0; ch < c; ch++) {
      s += Math.exp(v[ch * w + x] - m);
    }
    return Math.log(s) - (v[label * w + x] - m);
  }

  @Test
  void lossesWithinTheBoundOfTheDoublePathAndTheSameHardCount() {
    SplittableRandom r = new SplittableRandom(23);
    for (RowMath math : BOTH) {
      for (int c : new int[] {2, 19, 150}) {
        for (int w : new int[] {7, 33, 512}) {
          int h = 3;
          float[] v = new float[c * h * w];
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * (r.nextInt(20) == 0 ? 40 : 3));
          }
          int[] labels = new int[h * w];
          for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10) == 0 ? 255 : r.nextInt(c);
          }
          OhemParams p = OhemParams.DEFAULTS;
          ImageLosses f = new CrossEntropyKernel(p, math)
              .compute("f", float32(v, c, h, w), labels, h, w);
          ImageLosses d = new CrossEntropyKernel(p, math)
              .compute("d", new ArrayLogits(c, h, w, widen(v)), labels, h, w);
          String where = math.name() + " C=" + c + " W=" + w;
          double bound = math.floatLogSumExpError(c);
          for (int i = 0; i < labels.length; i++) {
            assertEquals(d.losses()[i], f.losses()[i], bound, where + " pixel " + i);
          }
          assertEquals(d.nValid(), f.nValid(), where);
          assertEquals(d.nHard(), f.nHard(), where);
          assertEquals(d.maxLoss(), f.maxLoss(), bound, where);
        }
      }
    }
  }

  /**
   * Two classes, label 0, logits {@code (0, d)}: the loss is {@code ln(1 + e^d)}, equal to
   * {@code -ln(0.7)} at {@code d = ln(1/0.7 - 1)}. Every float {@code d} within 4000 ulps of
   * that point (losses within about 1e-4 of the threshold, dozens of them within the float
   * exps' error bound of it) must be hard exactly when its double-precision loss exceeds the
   * threshold, and those within the bound must carry the double-precision loss.
   */
  @Test
  void pixelsAUlpFromTheThresholdAreDecidedAsInDoublePrecision() {
    OhemParams p = OhemParams.DEFAULTS;
    float d0 = (float) Math.log(1 / 0.7 - 1);
    for (int extra : new int[] {0, 17}) { // 17 more classes far below: C = 19
      int c = 2 + extra;
      int w = 8001;
      float[] v = new float[c * w];
      for (int x = 0; x < w; x++) {
        float d = d0;
        for (int k = x - w / 2; k > 0; k--) {
          d = Math.nextUp(d);
        }
        for (int k = x - w / 2; k < 0; k++) {
          d = Math.nextDown(d);
        }
        v[w + x] = d;
        for (int ch = 2; ch < c; ch++) {
          v[ch * w + x] = -20f - ch;
        }
      }
      int[] labels = new int[w];
      for (RowMath math : BOTH) {
        ImageLosses f = new CrossEntropyKernel(p, math)
            .compute("edge", float32(v, c, 1, w), labels, 1, w);
        long hard = 0;
        long near = 0;
        for (int x = 0; x < w; x++) {
          double exact = exactLoss(v, c, w, x, 0);
          if (exact > p.lossThreshold()) {
            hard++;
          }
          String where = math.name() + " C=" + c + " x=" + x;
          assertEquals(exact, f.losses()[x], math.floatLogSumExpError(c), where);
          if (Math.abs(f.losses()[x] - p.lossThreshold()) <= math.floatLogSumExpError(c)) {
            near++; // within the band: recomputed in double
            assertEquals(exact, f.losses()[x], 1e-15, where);
          }
          assertEquals(exact > p.lossThreshold(), f.losses()[x] > p.lossThreshold(), where);
        }
        if (math.floatLogSumExpError(c) > 1e-7) { // float lanes: the case reaches into the band
          assertTrue(near > 10, math.name() + " C=" + c + " pixels in the band: " + near);
        }
        assertEquals(hard, f.nHard(), math.name() + " C=" + c);
      }
    }
  }

  @Test
  void float16AndFloat32RowsReadAsFloatsEqualTheDoubleRows() {
    SplittableRandom r = new SplittableRandom(29);
    int c = 3;
    int h = 4;
    int w = 5;
    for (DenseLogits.DType t : DenseLogits.DType.values()) {
      for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
        for (boolean fortran : new boolean[] {false, true}) {
          ByteBuffer b = ByteBuffer.allocate(c * h * w * t.size).order(order);
          for (int i = 0; i < c * h * w; i++) {
            float f = (float) (r.nextGaussian() * 10);
            switch (t) {
              case FLOAT16 -> b.putShort(Float16.fromFloat(f));
              case FLOAT32 -> b.putFloat(f);
              default -> b.putDouble(r.nextGaussian() * 10);
            }
          }
          b.flip();
          DenseLogits l = new DenseLogits(b, order, t, c, h, w, fortran);
          // float64 values here are not floats (N(0, 100) doubles)
          assertEquals(t != DenseLogits.DType.FLOAT64, l.floatExact(), t.toString());
          for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
              double[] d = new double[w + 1];
              float[] f = new float[w + 1];
              l.readRow(ch, y, d, 1);
              l.readRow(ch, y, f, 1);
              float[] want = new float[w + 1];
              for (int x = 1; x <= w; x++) {
                want[x] = (float) d[x];
                if (l.floatExact()) {
                  assertEquals(d[x], f[x], 0.0, t + " " + order + " fortran=" + fortran);
                }
              }
              assertArrayEquals(want, f, t + " " + order + " fortran=" + fortran);
            }
          }
        }
      }
    }
  }

  @Test
  void float64LogitsHoldingFloatsGiveTheBitsOfFloat32Storage() {
    SplittableRandom r = new SplittableRandom(37);
    int c = 19;
    int w = 64;
    float[] v = new float[c * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * 4);
    }
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putDouble(f);
    }
    b.flip();
    DenseLogits wide = new DenseLogits(b, ByteOrder.LITTLE_ENDIAN, DenseLogits.DType.FLOAT64, c,
        1, w, false);
    assertTrue(wide.floatExact());
    int[] labels = new int[w];
    for (int x = 0; x < w; x++) {
      labels[x] = r.nextInt(c);
    }
    ImageLosses a = new CrossEntropyKernel(OhemParams.DEFAULTS)
        .compute("f32", float32(v, c, 1, w), labels, 1, w);
    ImageLosses d = new CrossEntropyKernel(OhemParams.DEFAULTS)
        .compute("f64", wide, labels, 1, w);
    assertArrayEquals(a.losses(), d.losses());
    b.putDouble(8 * 5, 0.1); // 0.1 is not a float
    assertFalse(new DenseLogits(b, ByteOrder.LITTLE_ENDIAN, DenseLogits.DType.FLOAT64, c, 1, w,
        false).floatExact());
  }
}
