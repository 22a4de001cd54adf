package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * PyTorch {@code align_corners=False} source positions: {@code src = max((d + 0.5) * in / out -
 * 0.5, 0)}, {@code i0 = floor(src)} (at most {@code in - 1}), {@code i1 = i0 + 1} unless
 * {@code i0} is the last index, {@code w1 = src - i0}.
 */
class BilinearAxisTest {

  /** For in=4,out=16 and in=5,out=20 the scale is 1/4: src = (2d - 3) / 8, exact in binary. */
  @Test
  void fourToSixteenByHand() {
    BilinearAxis a = new BilinearAxis(4, 16);
    // d:        0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
    // src*8:   -3 -1  1  3  5  7  9 11 13 15 17 19 21 23 25 27  (negative -> 0)
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3}, a.i0);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3}, a.i1);
    double[] w1 = {0, 0, 1 / 8.0, 3 / 8.0, 5 / 8.0, 7 / 8.0, 1 / 8.0, 3 / 8.0, 5 / 8.0, 7 / 8.0,
        1 / 8.0, 3 / 8.0, 5 / 8.0, 7 / 8.0, 1 / 8.0, 3 / 8.0};
    assertArrayEquals(w1, a.w1, 0.0);
    for (int d = 0; d < 16; d++) {
      assertEquals(1 - w1[d], a.w0[d], 0.0, "w0 at " + d);
    }
    assertFormula(4, 16, a);
  }

  @Test
  void fiveToTwentyByHand() {
    BilinearAxis a = new BilinearAxis(5, 20);
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4},
        a.i0);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4},
        a.i1);
    double[] w1 = {0, 0, 0.125, 0.375, 0.625, 0.875, 0.125, 0.375, 0.625, 0.875, 0.125, 0.375,
        0.625, 0.875, 0.125, 0.375, 0.625, 0.875, 0.125, 0.375};
    assertArrayEquals(w1, a.w1, 0.0);
    assertFormula(5, 20, a);
  }

  @Test
  void sevenToThreeDownsamplesWithoutAntialiasing() {
    // scale 7/3: src = 7/6 - 1/2 = 2/3, 7/2 - 1/2 = 3, 35/6 - 1/2 = 16/3
    BilinearAxis a = new BilinearAxis(7, 3);
    assertArrayEquals(new int[] {0, 3, 5}, a.i0);
    assertArrayEquals(new int[] {1, 4, 6}, a.i1);
    assertArrayEquals(new double[] {2 / 3.0, 0, 1 / 3.0}, a.w1, 1e-12);
    assertArrayEquals(new double[] {1 / 3.0, 1, 2 / 3.0}, a.w0, 1e-12);
    assertFormula(7, 3, a);
  }

  @Test
  void identityAndOddSizes() {
    BilinearAxis id = new BilinearAxis(6, 6);
    for (int d = 0; d < 6; d++) {
      assertEquals(d, id.i0[d]);
      assertEquals(Math.min(d + 1, 5), id.i1[d]);
      assertEquals(0.0, id.w1[d], 0.0);
      assertEquals(1.0, id.w0[d], 0.0);
    }
    for (int[] s : new int[][] {{1, 7}, {7, 1}, {3, 10}, {10, 3}, {13, 17}, {17, 13}, {2, 1}}) {
      assertFormula(s[0], s[1], new BilinearAxis(s[0], s[1]));
    }
  }

  @Test
  void rejectsNonPositiveSizes() {
    assertThrows(IllegalArgumentException.class, () -> new BilinearAxis(0, 4));
    assertThrows(IllegalArgumentException.class, () -> new BilinearAxis(4, 0));
    assertThrows(IllegalArgumentException.class, () -> new BilinearAxis(-1, 4));
  }

  /** Checks against the formula, computed independently as stated in PyTorch's docs. */
  private static void assertFormula(int in, int out, BilinearAxis a) {
    assertEquals(out, a.i0.length);
    for (int d = 0; d < out; d++) {
      double src = Math.max((d + 0.5) * in / out - 0.5, 0);
      int i0 = Math.min((int) Math.floor(src), in - 1);
      int i1 = i0 < in - 1 ? i0 + 1 : i0;
      double w1 = src - i0;
      String at = "in=" + in + " out=" + out + " d=" + d;
      assertEquals(i0, a.i0[d], at);
      assertEquals(i1, a.i1[d], at);
      assertEquals(w1, a.w1[d], 1e-12, at);
      assertEquals(1 - w1, a.w0[d], 1e-12, at);
      assertEquals(1.0, a.w0[d] + a.w1[d], 1e-15, at);
    }
  }
}
