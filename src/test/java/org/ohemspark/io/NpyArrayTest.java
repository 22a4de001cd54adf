package org.ohemspark.io;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.Float16;
import org.ohemspark.core.Logits;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.NpyBytes;

class NpyArrayTest {
  private static final int C = 2;
  private static final int H = 3;
  private static final int W = 4;

  /** Value at [c, y, x]: distinct, exact in float16 too. */
  private static double v(int c, int y, int x) {
    return (c == 0 ? 1 : -1) * (c * 16 + y * 4 + x + 0.5);
  }

  /** Elements of a [C, H, W] array in C order (or Fortran order). */
  private static double[] values(boolean fortran) {
    double[] out = new double[C * H * W];
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int i = fortran ? c + C * (y + H * x) : (c * H + y) * W + x;
          out[i] = v(c, y, x);
        }
      }
    }
    return out;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /** float16 bits of values that are exact in float16 (|v| < 2048, step 0.5 fits). */
  private static int[] toHalf(double[] d) {
    int[] h = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      h[i] = half(d[i]);
    }
    return h;
  }

  static int half(double v) {
    if (v == 0) {
      return Double.doubleToRawLongBits(v) < 0 ? 0x8000 : 0;
    }
    int sign = v < 0 ? 0x8000 : 0;
    double a = Math.abs(v);
    int e = Math.getExponent(a);
    int mant = (int) Math.round((a / Math.scalb(1.0, e) - 1) * 1024);
    int bits = sign | ((e + 15) << 10) | mant;
    if (Float16.toFloat(bits) != (float) v) {
      throw new AssertionError(v + " not exact in float16");
    }
    return bits;
  }

  private static void assertLogits(Logits l) {
    assertEquals(C, l.channels());
    assertEquals(H, l.height());
    assertEquals(W, l.width());
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        double[] row = new double[W + 2];
        l.readRow(c, y, row, 1);
        assertEquals(0.0, row[0]);
        assertEquals(0.0, row[W + 1]);
        for (int x = 0; x < W; x++) {
          assertEquals(v(c, y, x), row[1 + x], 0.0, "[" + c + "," + y + "," + x + "]");
        }
      }
    }
  }

  private static final long[] SHAPE = {C, H, W};

  @Test
  void float32LittleEndian() {
    byte[] f = NpyBytes.file("<f4", false, SHAPE, NpyBytes.floats(LITTLE_ENDIAN,
        toFloats(values(false))));
    NpyArray a = NpyArray.parse("x.npy", f);
    assertEquals("<f4", a.descr());
    assertArrayEquals(SHAPE, a.shape());
    assertFalse(a.fortranOrder());
    assertLogits(a.asLogits("id"));
  }

  @Test
  void float64AndFloat16() {
    assertLogits(NpyArray.parse("d.npy", NpyBytes.file("<f8", false, SHAPE,
        NpyBytes.doubles(LITTLE_ENDIAN, values(false)))).asLogits("id"));
    NpyArray h = NpyArray.parse("h.npy", NpyBytes.file("<f2", false, SHAPE,
        NpyBytes.shorts(LITTLE_ENDIAN, toHalf(values(false)))));
    assertEquals("<f2", h.descr());
    assertLogits(h.asLogits("id"));
  }

  @Test
  void bigEndian() {
    assertLogits(NpyArray.parse("b.npy", NpyBytes.file(">f4", false, SHAPE,
        NpyBytes.floats(BIG_ENDIAN, toFloats(values(false))))).asLogits("id"));
    assertLogits(NpyArray.parse("b.npy", NpyBytes.file(">f8", false, SHAPE,
        NpyBytes.doubles(BIG_ENDIAN, values(false)))).asLogits("id"));
    assertLogits(NpyArray.parse("b.npy", NpyBytes.file(">f2", false, SHAPE,
        NpyBytes.shorts(BIG_ENDIAN, toHalf(values(false))))).asLogits("id"));
  }

  @Test
  void fortranOrderReadsTheSameValuesAsCOrder() {
    byte[] f = NpyBytes.file("<f4", true, SHAPE, NpyBytes.floats(LITTLE_ENDIAN,
        toFloats(values(true))));
    NpyArray a = NpyArray.parse("f.npy", f);
    assertTrue(a.fortranOrder());
    assertLogits(a.asLogits("id"));
    assertLogits(NpyArray.parse("f.npy", NpyBytes.file(">f8", true, SHAPE,
        NpyBytes.doubles(BIG_ENDIAN, values(true)))).asLogits("id"));
    // with a leading 1: strides of a [1, C, H, W] Fortran array are 1, 1, C, C*H
    assertLogits(NpyArray.parse("f.npy", NpyBytes.file("<f4", true, new long[] {1, C, H, W},
        NpyBytes.floats(LITTLE_ENDIAN, toFloats(values(true))))).asLogits("id"));
  }

  @Test
  void versionTwoAndThreeHeaders() {
    byte[] data = NpyBytes.floats(LITTLE_ENDIAN, toFloats(values(false)));
    for (int major : new int[] {2, 3}) {
      byte[] f = NpyBytes.file(major, NpyBytes.dict("<f4", false, SHAPE), data);
      assertEquals(major, f[6]);
      assertLogits(NpyArray.parse("v" + major + ".npy", f).asLogits("id"));
    }
  }

  @Test
  void leadingOneDimension() {
    assertLogits(NpyArray.parse("l.npy", NpyBytes.file("<f4", false, new long[] {1, C, H, W},
        NpyBytes.floats(LITTLE_ENDIAN, toFloats(values(false))))).asLogits("id"));
    int[] dims = new int[2];
    int[] lab = NpyArray.parse("l.npy", NpyBytes.file("|u1", false, new long[] {1, 2, 3},
        NpyBytes.bytes(0, 1, 2, 3, 4, 255))).asLabels("id", dims);
    assertArrayEquals(new int[] {2, 3}, dims);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 255}, lab);
    // [H, W, 1], as arrays read by cv2 or PIL often come
    int[] trailing = NpyArray.parse("t.npy", NpyBytes.file("|u1", false, new long[] {2, 3, 1},
        NpyBytes.bytes(5, 1, 2, 3, 4, 255))).asLabels("id", dims);
    assertArrayEquals(new int[] {2, 3}, dims);
    assertArrayEquals(new int[] {5, 1, 2, 3, 4, 255}, trailing);
  }

  private static int[] labels(String descr, byte[] data, int h, int w) {
    int[] dims = new int[2];
    int[] out = NpyArray.parse("lab.npy", NpyBytes.file(descr, false, new long[] {h, w}, data))
        .asLabels("id", dims);
    assertArrayEquals(new int[] {h, w}, dims);
    return out;
  }

  @Test
  void labelTypes() {
    assertArrayEquals(new int[] {0, 1, 254, 255},
        labels("|u1", NpyBytes.bytes(0, 1, 254, 255), 2, 2));
    assertArrayEquals(new int[] {0, -1, 300, 32767, -32768, 7},
        labels("<i2", NpyBytes.shorts(LITTLE_ENDIAN, 0, -1, 300, 32767, -32768, 7), 2, 3));
    assertArrayEquals(new int[] {0, 300, 65535, 1000},
        labels("<u2", NpyBytes.shorts(LITTLE_ENDIAN, 0, 300, 65535, 1000), 1, 4));
    assertArrayEquals(new int[] {0, -5, 70000, 255},
        labels("<i4", NpyBytes.ints(LITTLE_ENDIAN, 0, -5, 70000, 255), 4, 1));
    assertArrayEquals(new int[] {0, 255, 18, -1},
        labels("<i8", NpyBytes.longs(LITTLE_ENDIAN, 0, 255, 18, -1), 2, 2));
    assertArrayEquals(new int[] {3, 70000},
        labels(">i4", NpyBytes.ints(BIG_ENDIAN, 3, 70000), 1, 2));
    assertArrayEquals(new int[] {3, 255},
        labels(">i8", NpyBytes.longs(BIG_ENDIAN, 3, 255), 1, 2));
    assertArrayEquals(new int[] {0, 1, 1, 0},
        labels("|b1", NpyBytes.bytes(0, 1, 1, 0), 2, 2));
    assertArrayEquals(new int[] {-128, 127},
        labels("|i1", NpyBytes.bytes(0x80, 0x7f), 1, 2));
    assertArrayEquals(new int[] {5, 70000},
        labels("<u4", NpyBytes.ints(LITTLE_ENDIAN, 5, 70000), 1, 2));
  }

  @Test
  void fortranOrderLabels() {
    // [[1, 2, 3], [4, 5, 6]] stored column-major: 1 4 2 5 3 6
    int[] dims = new int[2];
    int[] out = NpyArray.parse("lf.npy", NpyBytes.file("<i8", true, new long[] {2, 3},
        NpyBytes.longs(LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6))).asLabels("id", dims);
    assertArrayEquals(new int[] {2, 3}, dims);
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, out);
  }

  @Test
  void labelsTooLargeForIntThrow() {
    bad("lab.npy", () -> labels("<u4", NpyBytes.ints(LITTLE_ENDIAN, 1, 0xF0000000), 1, 2));
    bad("lab.npy", () -> labels("<i8", NpyBytes.longs(LITTLE_ENDIAN, 1L << 40), 1, 1));
    bad("lab.npy", () -> labels("<u8", NpyBytes.longs(LITTLE_ENDIAN, -1L), 1, 1));
  }

  /** Asserts a BadRecordException whose message names the source. */
  private static BadRecordException bad(String source, Executable e) {
    BadRecordException ex = assertThrows(BadRecordException.class, e);
    assertTrue(ex.getMessage().contains(source), ex.getMessage());
    assertEquals(source, ex.source());
    return ex;
  }

  @Test
  void errorsNameTheSource() {
    byte[] good = NpyBytes.file("<f4", false, SHAPE, NpyBytes.floats(LITTLE_ENDIAN,
        toFloats(values(false))));
    // truncated data
    BadRecordException t = bad("cut.npy",
        () -> NpyArray.parse("cut.npy", Arrays.copyOf(good, good.length - 1)));
    assertTrue(t.getMessage().contains("truncated"), t.getMessage());
    // truncated header
    bad("head.npy", () -> NpyArray.parse("head.npy", Arrays.copyOf(good, 40)));
    // bad magic
    byte[] magic = good.clone();
    magic[1] = 'X';
    bad("magic.npy", () -> NpyArray.parse("magic.npy", magic));
    bad("tiny.npy", () -> NpyArray.parse("tiny.npy", new byte[] {(byte) 0x93, 'N'}));
    bad("png.npy", () -> NpyArray.parse("png.npy", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13,
        10, 26, 10, 0, 0, 0, 13}));
    // unsupported version
    byte[] v9 = good.clone();
    v9[6] = 9;
    bad("v9.npy", () -> NpyArray.parse("v9.npy", v9));
    // wrong rank for logits: 2-d, 4-d with leading != 1, 5-d
    bad("r2.npy", () -> NpyArray.parse("r2.npy", NpyBytes.file("<f4", false, new long[] {6, 4},
        NpyBytes.floats(LITTLE_ENDIAN, new float[24]))).asLogits("id"));
    bad("r4.npy", () -> NpyArray.parse("r4.npy", NpyBytes.file("<f4", false,
        new long[] {2, 1, 3, 4}, NpyBytes.floats(LITTLE_ENDIAN, new float[24]))).asLogits("id"));
    // wrong rank for labels
    bad("l3.npy", () -> NpyArray.parse("l3.npy", good).asLabels("id", new int[2]));
    bad("l1.npy", () -> NpyArray.parse("l1.npy", NpyBytes.file("|u1", false, new long[] {4},
        NpyBytes.bytes(1, 2, 3, 4))).asLabels("id", new int[2]));
    // float labels
    BadRecordException fl = bad("fl.npy", () -> NpyArray.parse("fl.npy", NpyBytes.file("<f4",
        false, new long[] {2, 2}, NpyBytes.floats(LITTLE_ENDIAN, 0, 1, 2, 3)))
        .asLabels("id", new int[2]));
    assertTrue(fl.getMessage().contains("<f4"), fl.getMessage());
    // integer logits
    BadRecordException il = bad("il.npy", () -> NpyArray.parse("il.npy", NpyBytes.file("<i4",
        false, SHAPE, NpyBytes.ints(LITTLE_ENDIAN, new int[24]))).asLogits("img3"));
    assertTrue(il.getMessage().contains("<i4") && il.getMessage().contains("img3"),
        il.getMessage());
    // a type code NumPy does not have: named as a dtype, not as a truncated file
    BadRecordException x9 = bad("x9.npy", () -> NpyArray.parse("x9.npy", NpyBytes.file("<X9",
        false, SHAPE, new byte[24 * 4])));
    assertTrue(x9.getMessage().contains("unsupported .npy dtype '<X9'"), x9.getMessage());
    // a string array: its size is in characters (4 bytes each), so name the dtype, not a size
    BadRecordException u3 = bad("u3.npy", () -> NpyArray.parse("u3.npy", NpyBytes.file("<U3",
        false, new long[] {2, 2}, new byte[2 * 2 * 3 * 4])));
    assertTrue(u3.getMessage().contains("unsupported .npy dtype '<U3' (unicode strings)"),
        u3.getMessage());
    // structured dtype
    bad("st.npy", () -> NpyArray.parse("st.npy", NpyBytes.file(1,
        "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", new byte[8])));
    // an empty dimension
    bad("z.npy", () -> NpyArray.parse("z.npy", NpyBytes.file("<f4", false,
        new long[] {2, 0, 4}, new byte[0])).asLogits("id"));
  }

  @Test
  void goldenFilesDecode() {
    Golden.Case f16 = Golden.load("float16_logits");
    NpyArray a = NpyArray.parse("0000.npy", f16.logitsBytes(0));
    assertEquals("<f2", a.descr());
    Logits l = a.asLogits("0000");
    assertArrayEquals(new int[] {f16.logitsShape()[1], f16.logitsShape()[2],
        f16.logitsShape()[3]}, new int[] {l.channels(), l.height(), l.width()});
    NpyArray lab = NpyArray.parse("0000.npy", f16.labelsBytes(0));
    assertEquals("|u1", lab.descr());
    Golden.Case seed = Golden.load("seed_example");
    assertEquals("<f4", NpyArray.parse("s", seed.logitsBytes(1)).descr());
    assertEquals("<i8", NpyArray.parse("s", seed.labelsBytes(1)).descr());
  }

  /** A header whose shape is not a tuple of non-negative integers is a bad record. */
  @Test
  void nonIntegerShapeIsABadRecord() {
    bad("s1.npy", () -> NpyArray.parse("s1.npy", NpyBytes.file(1,
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", new byte[64])));
  }

  @Test
  void negativeShapeIsABadRecord() {
    bad("s2.npy", () -> NpyArray.parse("s2.npy", NpyBytes.file(1,
        "{'descr': '|u1', 'fortran_order': False, 'shape': (-1, 4), }", new byte[64])));
  }

  /** Dimensions whose product overflows must not pass as an empty array. */
  @Test
  void overflowingShapeIsABadRecord() {
    bad("o.npy", () -> NpyArray.parse("o.npy", NpyBytes.file("|u1", false,
        new long[] {1L << 62, 4}, new byte[16])).asLabels("id", new int[2]));
  }
}
