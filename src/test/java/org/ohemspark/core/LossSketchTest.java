package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LossSketch}'s bounds against the exact top-k of the same values (sorted, summed in
 * {@link ExactSum}): they contain the exact k-th value and mean for every k tried, on data of
 * several shapes, merged from parts in any split.
 */
class LossSketchTest {

  /** Checks every k of a few sizes, and the bounds' width. */
  private static void check(double[] values, long... ks) {
    LossSketch whole = new LossSketch();
    LossSketch a = new LossSketch();
    LossSketch b = new LossSketch();
    for (int i = 0; i < values.length; i++) {
      whole.add(values[i]);
      (i % 3 == 0 ? a : b).add(values[i]);
    }
    LossSketch merged = a.merge(b);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    for (long k : ks) {
      ExactSum s = new ExactSum();
      for (int i = 0; i < k; i++) {
        s.add(sorted[sorted.length - 1 - i]);
      }
      double kth = sorted[(int) (sorted.length - k)];
      double mean = s.toDouble() / k;
      for (LossSketch sk : new LossSketch[] {whole, merged}) {
        LossSketch.Bounds bd = sk.topK(k);
        String what = "k=" + k + " " + bd;
        assertTrue(bd.kthLo() <= kth && kth <= bd.kthHi(), what + " kth " + kth);
        assertTrue(bd.meanLo() <= mean && mean <= bd.meanHi(), what + " mean " + mean);
        assertTrue(bd.kthLo() <= bd.kth() && bd.kth() <= bd.kthHi(), what);
        assertTrue(bd.meanLo() <= bd.mean() && bd.mean() <= bd.meanHi(), what);
        if (kth >= LossSketch.LOWEST && kth < LossSketch.HIGHEST) {
          // a fine bin spans at most 2^-10 of its values
          assertTrue(bd.kthHi() - bd.kthLo() <= kth * 0x1p-10 * 1.0001, what);
        }
        assertTrue(bd.rankError() >= 1);
      }
    }
  }

  @Test
  void boundsContainTheExactTopKOfContinuousLosses() {
    SplittableRandom r = new SplittableRandom(7);
    double[] v = new double[200_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = -Math.log(r.nextDouble()) * 0.3; // exponential, as cross-entropy tails are
    }
    check(v, 1, 2, 17, 1000, 12_500, 100_000, 199_999, 200_000);
  }

  @Test
  void boundsContainTheExactTopKWithTiesZerosAndExtremes() {
    double[] v = new double[10_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (i % 5) {
        case 0 -> 0.0; // ignored-like zeros sit in the bin below
        case 1 -> 0.35667494393873245; // many equal values: one bin, min = max
        case 2 -> 1e-30;
        case 3 -> 3e12; // above the fine range
        default -> 1.0 + i * 1e-9;
      };
    }
    check(v, 1, 2000, 2001, 3999, 4000, 4001, 6000, 8000, 8001, 9999, 10_000);
    // one distinct value in the k-th's bin: the bounds are that value
    LossSketch.Bounds b = sketch(v).topK(5000);
    assertEquals(b.kthLo(), b.kthHi());
  }

  @Test
  void oneValueAndBadK() {
    LossSketch s = new LossSketch();
    s.add(2.5);
    LossSketch.Bounds b = s.topK(1);
    assertEquals(2.5, b.kth());
    assertEquals(2.5, b.kthLo());
    assertEquals(2.5, b.kthHi());
    assertTrue(b.meanLo() <= 2.5 && 2.5 <= b.meanHi() && b.meanHi() - b.meanLo() < 1e-300);
    assertThrows(IllegalArgumentException.class, () -> s.topK(2));
    assertThrows(IllegalArgumentException.class, () -> s.topK(0));
  }

  private static LossSketch sketch(double[] v) {
    LossSketch s = new LossSketch();
    for (double x : v) {
      s.add(x);
    }
    return s;
  }
}
