package org.ohemspark.core;

/**
 * IEEE 754 binary16 (NumPy {@code float16}, PyTorch {@code torch.half}) to binary32, exactly,
 * and back with round-to-nearest-even. Java 17 has no {@code Float.float16ToFloat}; every half
 * value is representable as a float, so {@link #toFloat} is lossless (subnormals, infinities and
 * NaN included).
 */
public final class Float16 {
  private Float16() {}

  /** Largest finite half value, 65504. */
  public static final float MAX_VALUE = 65504f;

  /** Converts the 16-bit pattern {@code bits} (low 16 bits used) to the float it denotes. */
  public static float toFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) { // inf or NaN
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal half: mant * 2^-24, exact in float
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Every half pattern's float, for bulk decoding (256 KiB, built on first use). */
  private static final class Table {
    static final float[] VALUES = new float[1 << 16];

    static {
      for (int h = 0; h < VALUES.length; h++) {
        VALUES[h] = toFloat(h);
      }
    }
  }

  /**
   * Converts {@code n} half patterns {@code src[from..from+n)} to doubles
   * {@code dst[off..off+n)}, exactly.
   */
  public static void toDoubles(short[] src, int from, double[] dst, int off, int n) {
    final float[] t = Table.VALUES;
    for (int i = 0; i < n; i++) {
      dst[off + i] = t[src[from + i] & 0xffff];
    }
  }

  /**
   * Converts {@code n} half patterns {@code src[from..from+n)} to floats
   * {@code dst[off..off+n)}, exactly: on the Vector API where the JVM has it
   * ({@link VectorFloat16}, the same bits), else {@link #toFloatsByTable}.
   */
  public static void toFloats(short[] src, int from, float[] dst, int off, int n) {
    Bulk.BEST.toFloats(src, from, dst, off, n);
  }

  /** {@link #toFloats} by a table of every half's float (256 KiB, built on first use). */
  public static void toFloatsByTable(short[] src, int from, float[] dst, int off, int n) {
    final float[] t = Table.VALUES;
    for (int i = 0; i < n; i++) {
      dst[off + i] = t[src[from + i] & 0xffff];
    }
  }

  /** A bulk conversion of halves to floats, with the bits of {@link #toFloat}. */
  interface Bulk {
    void toFloats(short[] src, int from, float[] dst, int off, int n);

    /** Values converted at a time. */
    default int lanes() {
      return 1;
    }

    /**
     * {@link VectorFloat16} where {@code jdk.incubator.vector} is present, with at least 8
     * int lanes, and {@code -Dohem.kernel=scalar} is not set; else the table.
     */
    Bulk BEST = choose();

    private static Bulk choose() {
      Bulk table = Float16::toFloatsByTable;
      if ("scalar".equals(System.getProperty("ohem.kernel"))
          || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
        return table;
      }
      try {
        // loaded by name: without the module, linking VectorFloat16 would fail
        Bulk v = (Bulk) Class.forName("org.ohemspark.core.VectorFloat16")
            .getDeclaredConstructor().newInstance();
        return v.lanes() >= 8 ? v : table;
      } catch (ReflectiveOperationException | LinkageError e) {
        return table;
      }
    }
  }

  /**
   * The half nearest to {@code f} (ties to even), as NumPy's {@code astype(float16)}: values of
   * magnitude 65520 or more become infinity, tiny values become subnormals or zero, NaN stays
   * NaN.
   *
   * @return the 16-bit pattern
   */
  public static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs > 0x7f800000) { // NaN: keep it quiet and non-zero
      return (short) (sign | 0x7e00 | ((abs >>> 13) & 0x3ff));
    }
    if (abs >= 0x477ff000) { // >= 65520 (or infinite): rounds to infinity
      return (short) (sign | 0x7c00);
    }
    if (abs < 0x38800000) { // below 2^-14: a subnormal half, m * 2^-24, m in [0, 1024]
      int m = (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24f);
      return (short) (sign | m); // m = 1024 is the smallest normal, 0x0400
    }
    int h = ((((abs >>> 23) - 127 + 15) << 10) | ((abs >>> 13) & 0x3ff));
    int rest = abs & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
      h++; // a carry into the exponent is the correct rounding
    }
    return (short) (sign | h);
  }
}
