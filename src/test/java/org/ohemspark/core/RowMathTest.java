package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Both row arithmetics against a per-pixel reference, on widths around the vector length. */
class RowMathTest {
  private static final RowMath[] BOTH = {RowMath.scalar(), RowMath.best()};
  private static final int[] WIDTHS = {1, 3, 4, 7, 8, 9, 16, 31, 33, 100};
  private static final int[] CLASSES = {1, 2, 19, 150};

  @Test
  void bestIsTheVectorApiWhereTheModuleHasFourLanesOrMore() {
    Assumptions.assumeTrue(DoubleVector.SPECIES_PREFERRED.length() >= 4,
        "skipped: this CPU's preferred double vector has fewer than 4 lanes");
    assertTrue(RowMath.best().name().startsWith("vector-"), RowMath.best().name());
    assertEquals("scalar", RowMath.scalar().name());
  }

  /** The first index of the largest value of pixel {@code x}: a plain loop, as torch.argmax. */
  private static int firstMax(double[] row, int c, int width, int x) {
    int best = 0;
    for (int ch = 1; ch < c; ch++) {
      if (row[ch * width + x] > row[best * width + x]) {
        best = ch;
      }
    }
    return best;
  }

  /**
   * Argmax of every pixel, double and float rows, both implementations and every lane remainder:
   * logits drawn from a few values so that most pixels have tied maxima (ties go to the lowest
   * class), with -inf among them and at class 0 (a later finite logit beats it).
   */
  @Test
  void argmaxIsTheFirstMaximumInClassOrder() {
    SplittableRandom r = new SplittableRandom(11);
    for (RowMath math : BOTH) {
      for (int c : CLASSES) {
        for (int width : WIDTHS) {
          double[] row = new double[c * width];
          float[] frow = new float[c * width];
          for (int i = 0; i < row.length; i++) {
            int k = r.nextInt(5);
            row[i] = k == 0 ? Double.NEGATIVE_INFINITY : k == 1 ? -0.0 : k - 2; // ties: 0, 1, 2
            frow[i] = (float) row[i];
          }
          for (int x = 0; x < width; x++) {
            row[(c - 1) * width + x] = Math.max(row[(c - 1) * width + x], -1); // one finite
            frow[(c - 1) * width + x] = (float) row[(c - 1) * width + x];
          }
          int[] arg = new int[width];
          int[] farg = new int[width];
          assertTrue(math.logSumExp(row, c, width, new double[width], new double[width], arg));
          assertTrue(math.logSumExp(frow, c, width, new double[width], new double[width],
              farg));
          for (int x = 0; x < width; x++) {
            String where = math.name() + " C=" + c + " W=" + width + " x=" + x;
            assertEquals(firstMax(row, c, width, x), arg[x], where);
            assertEquals(firstMax(row, c, width, x), farg[x], where + " (float row)");
          }
        }
      }
    }
  }

  @Test
  void logSumExpMatchesAPerPixelReference() {
    SplittableRandom r = new SplittableRandom(5);
    for (RowMath math : BOTH) {
      for (int c : CLASSES) {
        for (int width : WIDTHS) {
          double[] row = new double[c * width];
          for (int i = 0; i < row.length; i++) {
            row[i] = r.nextGaussian() * (r.nextInt(10) == 0 ? 300 : 5);
          }
          double[] max = new double[width];
          double[] logSum = new double[width];
          assertTrue(math.logSumExp(row, c, width, max, logSum));
          for (int x = 0; x < width; x++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int ch = 0; ch < c; ch++) {
              m = Math.max(m, row[ch * width + x]);
            }
            double s = 0;
            for (int ch = 0; ch < c; ch++) {
              s += Math.exp(row[ch * width + x] - m);
            }
            String where = math.name() + " C=" + c + " W=" + width + " x=" + x;
            assertEquals(m, max[x], 0.0, where);
            assertEquals(Math.log(s), logSum[x], 1e-14 * Math.max(1, Math.log(s)), where);
          }
        }
      }
    }
  }

  @Test
  void floatRowLogSumExpIsWithinItsBoundOfADoubleReference() {
    SplittableRandom r = new SplittableRandom(7);
    for (RowMath math : BOTH) {
      for (int c : CLASSES) {
        double bound = math.floatLogSumExpError(c);
        assertTrue(bound < 1e-5, math.name() + " C=" + c + " bound " + bound);
        for (int width : WIDTHS) {
          float[] row = new float[c * width];
          for (int i = 0; i < row.length; i++) {
            row[i] = (float) (r.nextGaussian() * (r.nextInt(10) == 0 ? 300 : 5));
          }
          double[] max = new double[width];
          double[] logSum = new double[width];
          assertTrue(math.logSumExp(row, c, width, max, logSum));
          for (int x = 0; x < width; x++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int ch = 0; ch < c; ch++) {
              m = Math.max(m, row[ch * width + x]);
            }
            double s = 0;
            for (int ch = 0; ch < c; ch++) {
              s += Math.exp(row[ch * width + x] - m);
            }
            String where = math.name() + " C=" + c + " W=" + width + " x=" + x;
            assertEquals(m, max[x], 0.0, where);
            assertEquals(Math.log(s), logSum[x], bound, where);
          }
        }
      }
    }
  }

  @Test
  void scalarFloatRowGivesThePerPixelLoopsBits() {
    SplittableRandom r = new SplittableRandom(11);
    for (int c : CLASSES) {
      for (int width : WIDTHS) {
        float[] row = new float[c * width];
        for (int i = 0; i < row.length; i++) {
          // ties and signed zeros too: the maximum must be the same value either way
          row[i] = r.nextInt(8) == 0 ? (r.nextBoolean() ? 0.0f : -0.0f)
              : (float) (r.nextGaussian() * (r.nextInt(10) == 0 ? 300 : 5));
        }
        double[] max = new double[width];
        double[] logSum = new double[width];
        double[] max1 = new double[width];
        double[] logSum1 = new double[width];
        int[] arg = new int[width];
        int[] arg1 = new int[width];
        assertTrue(RowMath.scalar().logSumExp(row, c, width, max, logSum, arg));
        assertTrue(ScalarRowMath.logSumExpFrom(row, c, width, 0, width, max1, logSum1, arg1));
        assertArrayEquals(arg1, arg, "C=" + c + " W=" + width);
        for (int x = 0; x < width; x++) {
          String where = "C=" + c + " W=" + width + " x=" + x;
          assertEquals(max1[x], max[x], 0.0, where);
          assertEquals(Double.doubleToLongBits(logSum1[x]), Double.doubleToLongBits(logSum[x]),
              where);
        }
      }
    }
  }

  @Test
  void nonFiniteFloatsAreReportedAnywhereInTheRow() {
    for (RowMath math : BOTH) {
      for (int width : new int[] {1, 7, 16, 17, 33, 100}) {
        for (int pos : new int[] {0, width - 1, 2 * width + width / 2}) {
          for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] row = new float[3 * width];
            row[pos] = bad;
            assertFalse(math.logSumExp(row, 3, width, new double[width], new double[width]),
                math.name() + " W=" + width + " pos=" + pos + " " + bad);
          }
          float[] allNegInf = new float[3 * width];
          int x = pos % width;
          for (int ch = 0; ch < 3; ch++) {
            allNegInf[ch * width + x] = Float.NEGATIVE_INFINITY;
          }
          assertFalse(math.logSumExp(allNegInf, 3, width, new double[width], new double[width]),
              math.name() + " W=" + width + " x=" + x + " all -inf");
        }
        float[] huge = new float[2 * width];
        java.util.Arrays.fill(huge, 0, width, Float.MAX_VALUE);
        java.util.Arrays.fill(huge, width, 2 * width, -Float.MAX_VALUE);
        double[] logSum = new double[width];
        assertTrue(math.logSumExp(huge, 2, width, new double[width], logSum), math.name());
        assertEquals(0.0, logSum[width - 1], 0.0, math.name() + " finite extremes");
      }
    }
  }

  @Test
  void floatVectorExpIsWithinThreeUnitsInTheLastPlace() {
    Assumptions.assumeTrue(RowMath.best().name().startsWith("vector-"));
    var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
    SplittableRandom r = new SplittableRandom(31);
    float[] x = new float[species.length()];
    float[] y = new float[species.length()];
    double worst = 0;
    for (int i = 0; i < 200_000; i++) {
      for (int l = 0; l < x.length; l++) {
        x[l] = i < 100 ? -i * 0.9f - l : (float) (-r.nextDouble() * Math.pow(10, r.nextInt(-9, 3)));
      }
      VectorExp.ofFloats(jdk.incubator.vector.FloatVector.fromArray(species, x, 0))
          .intoArray(y, 0);
      for (int l = 0; l < x.length; l++) {
        double want = Math.exp(x[l]);
        if (x[l] < -87) {
          assertTrue(y[l] > 0 && y[l] < 2e-38, x[l] + " -> " + y[l]);
          continue;
        }
        double rel = Math.abs(y[l] - want) / want;
        worst = Math.max(worst, rel);
        assertTrue(rel <= 3 * 0x1p-24, "exp(" + x[l] + ") = " + y[l] + ", Math.exp " + want);
      }
    }
    assertTrue(worst > 0, "float exp must differ from double somewhere: " + worst);
  }

  @Test
  void nonFiniteValuesAreReportedAnywhereInTheRow() {
    for (RowMath math : BOTH) {
      for (int width : WIDTHS) {
        for (int pos : new int[] {0, width - 1, 2 * width + width / 2}) {
          for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            double[] row = new double[3 * width];
            row[pos] = bad;
            assertFalse(math.logSumExp(row, 3, width, new double[width], new double[width]),
                math.name() + " W=" + width + " pos=" + pos + " " + bad);
          }
          double[] allNegInf = new double[3 * width];
          int x = pos % width;
          for (int ch = 0; ch < 3; ch++) {
            allNegInf[ch * width + x] = Double.NEGATIVE_INFINITY;
          }
          assertFalse(math.logSumExp(allNegInf, 3, width, new double[width], new double[width]),
              math.name() + " W=" + width + " x=" + x + " all -inf");
        }
      }
    }
  }

  /**
   * A class masked with -inf (PyTorch allows it: exp(-inf) = 0) among finite logits: the max and
   * log-sum-exp are those of the finite logits alone, in every lane and in the scalar tail, over
   * double and float rows. Expected values: {@link Math#log} of the sum of {@link Math#exp} of
   * the finite logits minus their max.
   */
  @Test
  void negativeInfinityAmongFiniteLogitsCountsAsZero() {
    SplittableRandom r = new SplittableRandom(5);
    for (RowMath math : BOTH) {
      for (int width : WIDTHS) {
        int c = 4;
        double[] row = new double[c * width];
        float[] frow = new float[c * width];
        for (int i = 0; i < row.length; i++) {
          frow[i] = (float) (r.nextGaussian() * 3);
          row[i] = frow[i];
        }
        for (int x = 0; x < width; x++) { // a different class masked per pixel, two at x % 4 = 3
          row[(x % c) * width + x] = Double.NEGATIVE_INFINITY;
          frow[(x % c) * width + x] = Float.NEGATIVE_INFINITY;
          if (x % c == 3) {
            row[x] = Double.NEGATIVE_INFINITY;
            frow[x] = Float.NEGATIVE_INFINITY;
          }
        }
        double[] max = new double[width];
        double[] logSum = new double[width];
        double[] fmax = new double[width];
        double[] flogSum = new double[width];
        assertTrue(math.logSumExp(row, c, width, max, logSum), math.name() + " W=" + width);
        assertTrue(math.logSumExp(frow, c, width, fmax, flogSum), math.name() + " W=" + width);
        for (int x = 0; x < width; x++) {
          double m = Double.NEGATIVE_INFINITY;
          for (int ch = 0; ch < c; ch++) {
            m = Math.max(m, row[ch * width + x]);
          }
          double sum = 0;
          for (int ch = 0; ch < c; ch++) {
            double v = row[ch * width + x];
            sum += v == Double.NEGATIVE_INFINITY ? 0 : Math.exp(v - m);
          }
          String where = math.name() + " W=" + width + " x=" + x;
          assertEquals(m, max[x], 0.0, where);
          assertEquals(m, fmax[x], 0.0, where);
          assertEquals(Math.log(sum), logSum[x], 1e-14, where);
          assertEquals(Math.log(sum), flogSum[x], math.floatLogSumExpError(c), where);
        }
      }
    }
  }

  @Test
  void blendGivesTheSameBitsInBothImplementations() {
    SplittableRandom r = new SplittableRandom(9);
    for (int n : WIDTHS) {
      double[] a = new double[n];
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = r.nextGaussian() * 10;
        b[i] = r.nextGaussian() * 10;
      }
      double wa = 0.375;
      double wb = 1 - wa;
      double[] s = new double[n];
      double[] v = new double[n];
      RowMath.scalar().blend(a, b, wa, wb, s, n);
      RowMath.best().blend(a, b, wa, wb, v, n);
      for (int i = 0; i < n; i++) {
        assertEquals(Double.doubleToRawLongBits(a[i] * wa + b[i] * wb),
            Double.doubleToRawLongBits(v[i]), "n=" + n + " i=" + i);
        assertEquals(Double.doubleToRawLongBits(s[i]), Double.doubleToRawLongBits(v[i]));
      }
    }
  }

  @Test
  void vectorExpIsWithinAFewUlpsOfMathExpOnNonPositiveArguments() {
    Assumptions.assumeTrue(RowMath.best().name().startsWith("vector-"));
    var species = DoubleVector.SPECIES_PREFERRED;
    SplittableRandom r = new SplittableRandom(13);
    double[] x = new double[species.length()];
    double[] y = new double[species.length()];
    double worst = 0;
    for (int i = 0; i < 200_000; i++) {
      for (int l = 0; l < x.length; l++) {
        x[l] = i < 100 ? -i * 7.5 - l : -r.nextDouble() * Math.pow(10, r.nextInt(-12, 3));
      }
      VectorExp.ofDoubles(DoubleVector.fromArray(species, x, 0)).intoArray(y, 0);
      for (int l = 0; l < x.length; l++) {
        double want = Math.exp(x[l]);
        if (x[l] < -708) {
          assertTrue(y[l] > 0 && y[l] < 1e-307, x[l] + " -> " + y[l]);
          continue;
        }
        double rel = Math.abs(y[l] - want) / want;
        worst = Math.max(worst, rel);
        assertTrue(rel <= 1e-15, "exp(" + x[l] + ") = " + y[l] + ", Math.exp " + want);
      }
    }
    assertEquals(1.0, expOf(0.0), 0.0);
    assertTrue(Double.isNaN(expOf(Double.NaN)));
    assertTrue(worst < 1e-15, "worst relative error " + worst);
  }

  private static double expOf(double v) {
    var species = DoubleVector.SPECIES_PREFERRED;
    return VectorExp.ofDoubles(DoubleVector.broadcast(species, v)).lane(0);
  }

  @Test
  void decodeFloat32ReadsBothByteOrdersAtAnyOffset() {
    SplittableRandom r = new SplittableRandom(17);
    for (java.nio.ByteOrder order : new java.nio.ByteOrder[] {java.nio.ByteOrder.LITTLE_ENDIAN,
        java.nio.ByteOrder.BIG_ENDIAN}) {
      for (int n : WIDTHS) {
        for (int skip : new int[] {0, 1, 3, 64}) {
          float[] want = new float[n];
          java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(skip + 4 * n).order(order);
          b.position(skip);
          for (int i = 0; i < n; i++) {
            want[i] = (float) (r.nextGaussian() * 100);
            b.putFloat(want[i]);
          }
          for (RowMath math : BOTH) {
            double[] dst = new double[n + 2];
            math.decodeFloat32(b.array(), skip, order, dst, 1, n);
            assertEquals(0.0, dst[0]);
            assertEquals(0.0, dst[n + 1]);
            for (int i = 0; i < n; i++) {
              assertEquals(want[i], dst[1 + i], 0.0, math.name() + " " + order + " n=" + n);
            }
          }
        }
      }
    }
  }
}
