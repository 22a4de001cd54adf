package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {

  private static int bits(float f) {
    return Float.floatToRawIntBits(f);
  }

  @Test
  void knownPatterns() {
    assertEquals(bits(0.0f), bits(Float16.toFloat(0x0000)));
    assertEquals(bits(-0.0f), bits(Float16.toFloat(0x8000)));
    assertEquals(1.0f, Float16.toFloat(0x3C00));
    assertEquals(-1.0f, Float16.toFloat(0xBC00));
    assertEquals(-2.5f, Float16.toFloat(0xC100));
    assertEquals(0.5f, Float16.toFloat(0x3800));
    assertEquals(0.333251953125f, Float16.toFloat(0x3555));
    assertEquals(65504f, Float16.toFloat(0x7BFF));
    assertEquals(Float16.MAX_VALUE, Float16.toFloat(0x7BFF));
    assertEquals(-65504f, Float16.toFloat(0xFBFF));
    assertEquals(0x1p-24f, Float16.toFloat(0x0001)); // smallest subnormal
    assertEquals(1023 * 0x1p-24f, Float16.toFloat(0x03FF)); // largest subnormal
    assertEquals(-0x1p-24f, Float16.toFloat(0x8001));
    assertEquals(0x1p-14f, Float16.toFloat(0x0400)); // smallest normal
    assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat(0x7C00));
    assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat(0xFC00));
    assertTrue(Float.isNaN(Float16.toFloat(0x7E00)));
    assertTrue(Float.isNaN(Float16.toFloat(0x7C01)));
    assertTrue(Float.isNaN(Float16.toFloat(0xFE00)));
  }

  @Test
  void signExtendedShortsAreReadByTheirLow16Bits() {
    assertEquals(-2.5f, Float16.toFloat((short) 0xC100));
    assertEquals(bits(-0.0f), bits(Float16.toFloat((short) 0x8000)));
    assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xFC00));
    assertEquals(-65504f, Float16.toFloat((short) 0xFBFF));
  }

  /** Every pattern against (-1)^s 2^(e-15) (1 + m/1024), or 2^-14 m/1024 for e = 0. */
  @Test
  void allPatternsMatchTheDefinition() {
    for (int h = 0; h < 1 << 16; h++) {
      int s = h >>> 15;
      int e = (h >>> 10) & 0x1f;
      int m = h & 0x3ff;
      float got = Float16.toFloat(h);
      if (e == 31) {
        if (m == 0) {
          assertEquals(s == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY, got);
        } else {
          assertTrue(Float.isNaN(got), Integer.toHexString(h));
        }
        continue;
      }
      double mag = e == 0 ? Math.scalb((double) m, -24) : Math.scalb(1024.0 + m, e - 25);
      float want = (float) (s == 0 ? mag : -mag);
      assertEquals(bits(want), bits(got), "pattern 0x" + Integer.toHexString(h));
    }
  }
}
