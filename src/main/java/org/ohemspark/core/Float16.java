package org.ohemspark.core;

/**
 * IEEE 754 binary16 (NumPy {@code float16}, PyTorch {@code torch.half}) to binary32, exactly.
 * Java 17 has no {@code Float.float16ToFloat}; every half value is representable as a float,
 * so the conversion is lossless (subnormals, infinities and NaN included).
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
}
