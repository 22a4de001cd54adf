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

  @Test
  void fromFloatRoundTripsEveryHalfAndRoundsToNearestEven() {
    for (int h = 0; h < 1 << 16; h++) {
      float f = Float16.toFloat(h);
      int back = Float16.fromFloat(f) & 0xffff;
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(Float16.toFloat(back)), "NaN stays NaN: " + h);
      } else {
        assertEquals(h, back, "pattern " + Integer.toHexString(h));
      }
    }
    // halfway between 1 and 1 + 2^-10 rounds to even (1); a bit above rounds up
    assertEquals(0x3C00, Float16.fromFloat(1f + 0x1p-11f) & 0xffff);
    assertEquals(0x3C01, Float16.fromFloat(1f + 0x1p-11f + 0x1p-20f) & 0xffff);
    assertEquals(0x3C02, Float16.fromFloat(1f + 3 * 0x1p-11f) & 0xffff);
    assertEquals(0x7BFF, Float16.fromFloat(65519f) & 0xffff);
    assertEquals(0x7C00, Float16.fromFloat(65520f) & 0xffff);
    assertEquals(0xFC00, Float16.fromFloat(-1e9f) & 0xffff);
    assertEquals(0x0001, Float16.fromFloat(0x1p-24f) & 0xffff);
    assertEquals(0x0000, Float16.fromFloat(0x1p-25f) & 0xffff); // tie to even: 0
    assertEquals(0x0001, Float16.fromFloat(0x1.8p-25f) & 0xffff);
    assertEquals(0x0400, Float16.fromFloat(0x1.ffcp-15f) & 0xffff); // rounds up to 2^-14
    // against the definition: the nearest half, ties to even
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < 200_000; i++) {
      float f = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(-26, 17)));
      if (Math.abs(f) >= 65504f) {
        continue; // overflow is pinned above
      }
      int h = Float16.fromFloat(f) & 0xffff;
      double got = Float16.toFloat(h);
      double below = Float16.toFloat(h == 0 || h == 0x8000 ? h : h - 1);
      double above = Float16.toFloat(h + 1);
      double err = Math.abs(got - f);
      assertTrue(err <= Math.abs(below - f) && err <= Math.abs(above - f),
          f + " -> " + got + " (" + Integer.toHexString(h) + ")");
    }
  }

  /**
   * The bulk conversion (the Vector API one where the JVM has the module, as the tests run)
   * gives the bits of {@link Float16#toFloat} for every one of the 65,536 patterns, from any
   * offset and for any count (vector blocks and the scalar tail).
   */
  @Test
  void bulkConversionGivesTheBitsOfToFloatForEveryPattern() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      assertEquals("VectorFloat16", Float16.Bulk.BEST.getClass().getSimpleName());
    }
    short[] all = new short[1 << 16];
    for (int h = 0; h < all.length; h++) {
      all[h] = (short) h;
    }
    for (int from : new int[] {0, 1, 7}) {
      for (int n : new int[] {all.length - from, 5, 17}) {
        float[] bulk = new float[n + 3];
        float[] table = new float[n + 3];
        Float16.toFloats(all, from, bulk, 3, n);
        Float16.toFloatsByTable(all, from, table, 3, n);
        for (int i = 0; i < n; i++) {
          int h = from + i;
          assertEquals(bits(Float16.toFloat(h)), bits(bulk[3 + i]), "pattern " + h);
          assertEquals(bits(Float16.toFloat(h)), bits(table[3 + i]), "pattern " + h);
        }
        assertEquals(0, bits(bulk[0]), "nothing written before off");
      }
    }
  }
}
