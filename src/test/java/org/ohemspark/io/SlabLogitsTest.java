package org.ohemspark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.CrossEntropyKernel;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.Float16;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.OhemParams;

/**
 * Logits read a slab of rows at a time give the values, losses and bytes of the same array
 * read whole, in every storage the npy reader takes (float16/32/64, both byte orders, C and
 * Fortran order), with slabs of one row up to the whole array; and the kernel's access order
 * (also when resizing up or down) reads each slab once.
 */
class SlabLogitsTest {
  private static final int C = 3;
  private static final int H = 7;
  private static final int W = 5;

  /** Elements of {@code [C, H, W]} of {@code dtype}, stored C or Fortran order. */
  private static byte[] elements(double[] v, DenseLogits.DType dtype, ByteOrder order,
      boolean fortran) {
    ByteBuffer b = ByteBuffer.allocate(v.length * dtype.size).order(order);
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int i = fortran ? c + C * (y + H * x) : (c * H + y) * W + x;
          double d = v[(c * H + y) * W + x];
          switch (dtype) {
            case FLOAT16 -> b.putShort(i * 2, (short) Float16.fromFloat((float) d));
            case FLOAT32 -> b.putFloat(i * 4, (float) d);
            default -> b.putDouble(i * 8, d);
          }
        }
      }
    }
    return b.array();
  }

  /** Values of {@code [C, H, W]} in C order; float64 ones are not all floats when asked. */
  private static double[] values(long seed, boolean onlyFloats) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[C * H * W];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * 4);
    }
    if (!onlyFloats) {
      v[v.length / 2] += 1e-12;
    }
    return v;
  }

  /** A file holding {@code prefix} junk bytes, then {@code data}. */
  private static PositionedFile withPrefix(byte[] data, int prefix) {
    byte[] f = new byte[prefix + data.length];
    java.util.Arrays.fill(f, 0, prefix, (byte) 0x7f);
    System.arraycopy(data, 0, f, prefix, data.length);
    return PositionedFile.of(f);
  }

  @Test
  void everyStorageReadsAsTheWholeArrayWhateverTheSlab() {
    for (DenseLogits.DType dtype : DenseLogits.DType.values()) {
      for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
        for (boolean fortran : new boolean[] {false, true}) {
          for (boolean floats : new boolean[] {true, false}) {
            double[] v = values(dtype.ordinal() * 8 + (fortran ? 4 : 0), floats);
            byte[] data = elements(v, dtype, order, fortran);
            DenseLogits whole = new DenseLogits(ByteBuffer.wrap(data), order, dtype, C, H, W,
                fortran);
            long rowSet = (long) C * W * dtype.size;
            for (long slabBytes : new long[] {1, rowSet, 2 * rowSet, 3 * rowSet, 1L << 20}) {
              String what = dtype + " " + order + (fortran ? " Fortran" : " C") + " slab "
                  + slabBytes + (floats ? "" : " (not all floats)");
              SlabLogits s = new SlabLogits("x.npy", withPrefix(data, 128), 128, order, dtype,
                  C, H, W, fortran, slabBytes);
              assertEquals(Math.max(1, Math.min(H, slabBytes / rowSet)), s.slabRows(), what);
              assertEquals(whole.floatExact(), s.floatExact(), what);
              assertArrayEquals(whole.toLittleEndianCOrder(), s.toLittleEndianCOrder(), what);
              for (int y = 0; y < H; y++) {
                for (int c = 0; c < C; c++) {
                  double[] a = new double[W + 1];
                  double[] b = new double[W + 1];
                  whole.readRow(c, y, a, 1);
                  s.readRow(c, y, b, 1);
                  assertArrayEquals(a, b, what + " row " + y + " channel " + c);
                  float[] fa = new float[W];
                  float[] fb = new float[W];
                  whole.readRow(c, y, fa, 0);
                  s.readRow(c, y, fb, 0);
                  assertArrayEquals(fa, fb, what);
                }
              }
            }
          }
        }
      }
    }
  }

  @Test
  void theKernelReadsEachSlabOnceAndGetsTheSameLossesAsFromTheWholeArray() {
    OhemParams p = OhemParams.DEFAULTS;
    double[] v = values(5, true);
    for (DenseLogits.DType dtype : DenseLogits.DType.values()) {
      for (boolean fortran : new boolean[] {false, true}) {
        byte[] data = elements(v, dtype, ByteOrder.LITTLE_ENDIAN, fortran);
        // labels the size of the logits, 2.6x larger (upsampled) and 0.4x (downsampled)
        for (int[] size : new int[][] {{H, W}, {18, 13}, {3, 2}}) {
          int[] labels = new int[size[0] * size[1]];
          for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 5 == 4 ? 255 : i % C;
          }
          DenseLogits whole = new DenseLogits(ByteBuffer.wrap(data), ByteOrder.LITTLE_ENDIAN,
              dtype, C, H, W, fortran);
          ImageLosses expected = new CrossEntropyKernel(p).compute("a", whole, labels,
              size[0], size[1]);
          for (int k = 1; k <= H; k++) {
            String what = dtype + (fortran ? " Fortran" : " C") + " labels " + size[0] + "x"
                + size[1] + ", " + k + " rows per slab";
            SlabLogits s = new SlabLogits("x.npy", PositionedFile.of(data), 0,
                ByteOrder.LITTLE_ENDIAN, dtype, C, H, W, fortran, (long) k * C * W * dtype.size);
            ImageLosses got = new CrossEntropyKernel(p).compute("a", s, labels, size[0],
                size[1]);
            assertArrayEquals(expected.losses(), got.losses(), what);
            assertEquals(expected.nHard(), got.nHard(), what);
            // the source rows the kernel needs come in increasing order: a slab is read
            // where a needed row is not in the last one, so each once; float64 logits that
            // need no resize are read once more first (floatExact), a slab at a time
            int loads = slabsFor(rowsNeeded(size[0]), k);
            if (dtype == DenseLogits.DType.FLOAT64 && size[0] == H) {
              loads += k >= H ? 0 : slabsFor(rowsNeeded(H), k);
            }
            assertEquals(loads, s.loads(), what);
          }
        }
      }
    }
  }

  /** The source rows a kernel reads for {@code outRows} label rows: BilinearAxis's i0, i1. */
  private static java.util.TreeSet<Integer> rowsNeeded(int outRows) {
    java.util.TreeSet<Integer> rows = new java.util.TreeSet<>();
    if (outRows == H) {
      for (int y = 0; y < H; y++) {
        rows.add(y);
      }
      return rows;
    }
    org.ohemspark.core.BilinearAxis a = new org.ohemspark.core.BilinearAxis(H, outRows);
    for (int y = 0; y < outRows; y++) {
      rows.add(a.i0[y]);
      rows.add(a.i1[y]);
    }
    return rows;
  }

  /** Slabs of {@code k} rows read for {@code rows} in order, each starting at a missed row. */
  private static int slabsFor(java.util.TreeSet<Integer> rows, int k) {
    int n = 0;
    int end = -1;
    for (int r : rows) {
      if (r >= end) {
        n++;
        end = r + k;
      }
    }
    return n;
  }

  @Test
  void aFileShorterThanTheShapeOrUnreadableIsABadRecordNamingIt() {
    byte[] data = elements(values(1, true), DenseLogits.DType.FLOAT32, ByteOrder.LITTLE_ENDIAN,
        false);
    BadRecordException shortFile = assertThrows(BadRecordException.class, () ->
        new SlabLogits("x.npy", PositionedFile.of(data), 8, ByteOrder.LITTLE_ENDIAN,
            DenseLogits.DType.FLOAT32, C, H, W, false, 64));
    assertTrue(shortFile.getMessage().contains("x.npy") && shortFile.getMessage().contains(
        "need " + data.length + " bytes, found " + (data.length - 8)), shortFile.getMessage());
    PositionedFile failing = new PositionedFile() {
      @Override
      public long size() {
        return data.length;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        if ((position + len - 1) / 4 / W % H >= 4) { // rows 4.. of a channel are unreadable
          throw new IOException("disk gone");
        }
        System.arraycopy(data, (int) position, dst, off, len);
      }

      @Override
      public void close() {}
    };
    SlabLogits s = new SlabLogits("y.npy", failing, 0, ByteOrder.LITTLE_ENDIAN,
        DenseLogits.DType.FLOAT32, C, H, W, false, 2L * C * W * 4);
    double[] row = new double[W];
    s.readRow(0, 2, row, 0); // rows 2 and 3 read
    BadRecordException e = assertThrows(BadRecordException.class, () -> s.readRow(0, 4, row,
        0));
    assertTrue(e.getMessage().contains("y.npy") && e.getMessage().contains(
        "cannot read logits rows 4 to 5") && e.getMessage().contains("disk gone"),
        e.getMessage());
  }

  @Test
  void logitsOverTwoGibibytesCannotBecomeOneShardValue() {
    // [2, 2^15, 2^15] float16 is 4 GiB: readable a slab at a time, not as one array
    PositionedFile huge = new PositionedFile() {
      @Override
      public long size() {
        return 1L << 32;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) {
        java.util.Arrays.fill(dst, off, off + len, (byte) 0);
      }

      @Override
      public void close() {}
    };
    SlabLogits s = new SlabLogits("big.npy", huge, 0, ByteOrder.LITTLE_ENDIAN,
        DenseLogits.DType.FLOAT16, 2, 1 << 15, 1 << 15, false, SlabLogits.SLAB_BYTES);
    assertEquals(32, s.slabRows(), "4 MiB of rows of both channels");
    double[] row = new double[1 << 15];
    s.readRow(1, (1 << 15) - 1, row, 0);
    assertEquals(0.0, row[0]);
    BadRecordException e = assertThrows(BadRecordException.class, s::toLittleEndianCOrder);
    assertTrue(e.getMessage().contains("4294967296 bytes, more than one Java array"),
        e.getMessage());
    assertFalse(e.getMessage().isEmpty());
  }
}
