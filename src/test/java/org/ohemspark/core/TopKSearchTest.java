package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TopKSearch} and {@link LossHistogram} against a brute-force sort. */
class TopKSearchTest {

  private static final int IGNORE = 255;

  /** Expected figures by sorting. */
  record Brute(double kth, long countGreater, long countEqual, double mean) {
    static Brute of(double[] valid, long k) {
      double[] s = valid.clone();
      Arrays.sort(s);
      int n = s.length;
      double kth = s[n - (int) k];
      long gt = 0;
      long eq = 0;
      for (double v : s) {
        if (v > kth) {
          gt++;
        } else if (v == kth) {
          eq++;
        }
      }
      double sum = 0;
      for (int i = n - 1; i >= n - k; i--) {
        sum += s[i];
      }
      return new Brute(kth, gt, eq, sum / k);
    }
  }

  static void assertMatches(Brute b, TopK t, String what) {
    assertEquals(b.kth(), t.kth(), 0.0, what + " kth");
    assertEquals(b.countGreater(), t.countGreater(), what + " countGreater");
    assertEquals(b.countEqual(), t.countEqual(), what + " countEqual");
    assertEquals(b.countGreater() + Math.min(b.countEqual(), t.k() - b.countGreater()), t.k());
    if (b.mean() == 0) {
      assertEquals(0.0, t.mean(), what + " mean");
    } else {
      assertEquals(b.mean(), t.mean(), 1e-12 * b.mean(), what + " mean");
    }
  }

  // ----- data generators -----

  static double[] ties(Random r, int n) {
    double[] pool = {0.0, 0.5, 1.0, 2.25, 1e-3, 7.0};
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = pool[r.nextInt(pool.length)];
    }
    return v;
  }

  static double[] logUniform(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.pow(10, -30 + 34 * r.nextDouble()); // 1e-30 .. 1e4
    }
    return v;
  }

  static double[] subnormals(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(4)) {
        case 0 -> v[i] = Double.MIN_VALUE * (1 + r.nextInt(1000));
        case 1 -> v[i] = Double.MIN_NORMAL * r.nextDouble();
        case 2 -> v[i] = 0.0;
        default -> v[i] = Double.MIN_NORMAL * (1 + r.nextDouble());
      }
    }
    return v;
  }

  /** Values a few ulps apart around a few bases: the search must go to its last levels. */
  static double[] nearlyEqual(Random r, int n) {
    double[] bases = {1.0, 0.3566749439387324, 12.5, 1e-20};
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      long bits = Double.doubleToRawLongBits(bases[r.nextInt(bases.length)]);
      v[i] = Double.longBitsToDouble(bits + r.nextInt(1 << 18));
    }
    return v;
  }

  static double[] mixed(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = switch (r.nextInt(5)) {
        case 0 -> 0.0;
        case 1 -> Math.pow(10, -30 + 34 * r.nextDouble());
        case 2 -> Double.MIN_VALUE * r.nextInt(50);
        case 3 -> 0.69314718 * r.nextInt(4);
        default -> r.nextDouble() * 3;
      };
    }
    return v;
  }

  static Stream<Arguments> datasets() {
    return Stream.of(
        Arguments.of("ties", (Function<Random, double[]>) r -> ties(r, 2000)),
        Arguments.of("logUniform", (Function<Random, double[]>) r -> logUniform(r, 3000)),
        Arguments.of("subnormals", (Function<Random, double[]>) r -> subnormals(r, 2000)),
        Arguments.of("nearlyEqual", (Function<Random, double[]>) r -> nearlyEqual(r, 2000)),
        Arguments.of("mixed", (Function<Random, double[]>) r -> mixed(r, 3000)));
  }

  /** Labels: about 10% ignored (with a non-zero loss stored there, which must not count). */
  static int[] labels(Random r, double[] losses) {
    int[] l = new int[losses.length];
    for (int i = 0; i < l.length; i++) {
      if (r.nextInt(10) == 0) {
        l[i] = IGNORE;
        losses[i] = 1e300; // would be the top if counted
      }
    }
    return l;
  }

  static double[] valid(double[] losses, int[] labels) {
    return java.util.stream.IntStream.range(0, losses.length).filter(i -> labels[i] != IGNORE)
        .mapToDouble(i -> losses[i]).toArray();
  }

  static long[] ks(Random r, int n) {
    return new long[] {1, 2, n / 3, n / 2, n - 1, n, 1 + r.nextInt(n), 1 + r.nextInt(n)};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void matchesBruteForce(String name, Function<Random, double[]> gen) {
    for (int seed = 0; seed < 4; seed++) {
      Random r = new Random(1000 * seed + name.hashCode());
      double[] losses = gen.apply(r);
      int[] labels = labels(r, losses);
      double[] valid = valid(losses, labels);
      for (long k : ks(r, valid.length)) {
        TopK t = TopKSearch.of(losses, labels, IGNORE, k);
        assertEquals(k, t.k());
        assertMatches(Brute.of(valid, k), t, name + " seed " + seed + " k " + k);
      }
    }
  }

  /** Runs the protocol with the data split into parts, each histogrammed apart, then merged. */
  static TopK searchSplit(double[] v, int[] cuts, long k) {
    TopKSearch s = new TopKSearch(k);
    while (true) {
      LossHistogram merged = s.histogram();
      int from = 0;
      for (int p = 0; p <= cuts.length; p++) {
        int to = p < cuts.length ? cuts[p] : v.length;
        LossHistogram part = s.histogram();
        for (int i = from; i < to; i++) {
          part.add(v[i]);
        }
        merged.merge(part);
        from = to;
      }
      if (s.offer(merged)) {
        assertTrue(s.levels() <= 4);
        return s.result();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("datasets")
  void mergedSplitsGiveTheSameAsOneHistogram(String name, Function<Random, double[]> gen) {
    Random r = new Random(name.hashCode() + 7);
    double[] v = gen.apply(r);
    int n = v.length;
    int[][] splits = {{n / 2}, {n / 3, 2 * n / 3}, {0, 1 + r.nextInt(n - 1)}};
    for (long k : ks(r, n)) {
      TopK one = searchSplit(v, new int[0], k);
      assertMatches(Brute.of(v, k), one, name + " k " + k);
      for (int[] cuts : splits) {
        TopK split = searchSplit(v, cuts, k);
        String what = name + " k " + k + " cuts " + Arrays.toString(cuts);
        assertEquals(one.kth(), split.kth(), 0.0, what);
        assertEquals(one.countGreater(), split.countGreater(), what);
        assertEquals(one.countEqual(), split.countEqual(), what);
        assertEquals(one.sumGreater(), split.sumGreater(), 1e-12 * one.sumGreater(), what);
      }
    }
    // bin by bin: the merge of the parts equals the histogram of the whole
    LossHistogram whole = LossHistogram.firstLevel();
    LossHistogram a = LossHistogram.firstLevel();
    LossHistogram b = LossHistogram.firstLevel();
    LossHistogram c = LossHistogram.firstLevel();
    for (int i = 0; i < n; i++) {
      whole.add(v[i]);
      (i < n / 3 ? a : i < 2 * n / 3 ? b : c).add(v[i]);
    }
    a.merge(b).merge(c);
    assertEquals(n, whole.total());
    assertEquals(n, a.total());
    for (int bin = 0; bin < LossHistogram.BINS; bin++) {
      assertEquals(whole.count(bin), a.count(bin));
      assertEquals(whole.min(bin), a.min(bin), 0.0);
      assertEquals(whole.max(bin), a.max(bin), 0.0);
      assertEquals(whole.sum(bin), a.sum(bin), 1e-12 * whole.sum(bin));
    }
  }

  /**
   * Three values that agree in all but their last 16 bits, the larger one across bit 15: the
   * third level splits them into two bins of 2^15 patterns, the fourth level must count only the
   * lower one.
   */
  @Test
  void lastLevelCountsOnlyTheRefinedBin() {
    long base = Double.doubleToRawLongBits(1.0);
    double a = Double.longBitsToDouble(base + 1);
    double b = Double.longBitsToDouble(base + 2);
    double c = Double.longBitsToDouble(base + 0x8000);
    double[] v = {a, b, c};
    int[] labels = new int[3];
    TopK t = TopKSearch.of(v, labels, IGNORE, 2);
    assertEquals(b, t.kth(), 0.0, "2nd largest of {1+ulp, 1+2ulp, 1+2^15ulp}");
    assertEquals(1, t.countGreater());
    assertEquals(1, t.countEqual());
    assertEquals((b + c) / 2, t.mean(), 1e-15);
  }

  @Test
  void lastLevelWithManyCloseValues() {
    // 0.5 + j ulp for j in [0, 2^17): k-th largest is 0.5 + (2^17 - k) ulp
    int n = 1 << 17;
    double[] v = new double[n];
    long base = Double.doubleToRawLongBits(0.5);
    for (int j = 0; j < n; j++) {
      v[j] = Double.longBitsToDouble(base + j);
    }
    for (long k : new long[] {1, 100, 30000, 40000, n / 2 + 5, n}) {
      TopK t = TopKSearch.of(v, new int[n], IGNORE, k);
      assertEquals(Double.longBitsToDouble(base + n - k), t.kth(), 0.0, "k=" + k);
      assertEquals(k - 1, t.countGreater(), "k=" + k);
    }
  }

  @Test
  void allEqualStopsAtTheFirstLevel() {
    double[] v = new double[100];
    Arrays.fill(v, 0.25);
    TopKSearch s = new TopKSearch(10);
    LossHistogram h = s.histogram();
    for (double x : v) {
      h.add(x);
    }
    assertTrue(s.offer(h));
    assertEquals(1, s.levels());
    assertEquals(new TopK(10, 0.25, 0, 0.0, 100), s.result());
    assertEquals(0.25, s.result().mean());
    assertEquals(10, s.result().tiesKept());
  }

  @Test
  void invalidUse() {
    assertThrows(IllegalArgumentException.class, () -> new TopKSearch(0));
    // fewer values than k
    assertThrows(IllegalStateException.class,
        () -> TopKSearch.of(new double[] {1, 2, 3}, new int[] {0, 0, IGNORE}, IGNORE, 3));
    TopKSearch s = new TopKSearch(1);
    LossHistogram h = s.histogram();
    h.add(1.0);
    assertTrue(s.offer(h));
    assertThrows(IllegalStateException.class, s::histogram);
    LossHistogram refined = LossHistogram.firstLevel().refine(5);
    assertThrows(IllegalArgumentException.class, () -> LossHistogram.firstLevel().merge(refined));
  }

  @Test
  void histogramBinsAreOrderedBitRanges() {
    LossHistogram h = LossHistogram.firstLevel();
    h.add(0.0);
    h.add(Double.MIN_VALUE);
    h.add(1.0);
    h.add(-0.0); // negative patterns are outside the range
    h.add(-1.0);
    assertEquals(3, h.total());
    assertEquals(2, h.count(0)); // 0.0 and the smallest subnormal share the first bin
    int b1 = (int) (Double.doubleToRawLongBits(1.0) >>> 47);
    assertEquals(1, h.count(b1));
    assertEquals(1.0, h.sum(b1));
    // refined level: bin b of the refinement holds patterns lo + b * 2^31 ...
    LossHistogram r = h.refine(b1);
    r.add(1.0);
    r.add(Math.nextUp(1.0));
    r.add(2.0); // another first-level bin: not counted
    assertEquals(2, r.total());
    assertEquals(2, r.count(0));
    assertEquals(1.0, r.min(0));
    assertEquals(Math.nextUp(1.0), r.max(0));
  }

  @Test
  void histogramSurvivesJavaSerialization() throws Exception {
    Random rnd = new Random(42);
    double[] v = mixed(rnd, 5000);
    LossHistogram h = LossHistogram.firstLevel();
    for (double x : v) {
      h.add(x);
    }
    LossHistogram back = roundTrip(h);
    assertSameBins(h, back);
    // a refined level keeps its range: the same values land in the same bins
    int b = (int) (Double.doubleToRawLongBits(1.5) >>> 47);
    LossHistogram r = h.refine(b);
    for (double x : v) {
      r.add(x);
    }
    LossHistogram rBack = roundTrip(r);
    assertSameBins(r, rBack);
    rBack.add(1.5);
    r.add(1.5);
    assertSameBins(r, rBack);
    // and merges with a histogram over the same range
    rBack.merge(r.emptyCopy());
    assertSameBins(r, rBack);
    // the empty histogram too
    assertSameBins(LossHistogram.firstLevel(), roundTrip(LossHistogram.firstLevel()));
    // serialized form holds only the non-empty bins: far smaller than 4 arrays of 2^16
    assertTrue(serialize(LossHistogram.firstLevel()).length < 1000);
  }

  private static void assertSameBins(LossHistogram a, LossHistogram b) {
    assertEquals(a.isLastLevel(), b.isLastLevel());
    assertEquals(a.total(), b.total());
    for (int i = 0; i < LossHistogram.BINS; i++) {
      assertEquals(a.count(i), b.count(i), "bin " + i);
      assertEquals(Double.doubleToRawLongBits(a.sum(i)), Double.doubleToRawLongBits(b.sum(i)));
      assertEquals(Double.doubleToRawLongBits(a.min(i)), Double.doubleToRawLongBits(b.min(i)));
      assertEquals(Double.doubleToRawLongBits(a.max(i)), Double.doubleToRawLongBits(b.max(i)));
    }
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static LossHistogram roundTrip(LossHistogram h) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(h)))) {
      return (LossHistogram) in.readObject();
    }
  }
}
