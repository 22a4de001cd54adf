package org.ohemspark.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * {@link Logits} over a byte buffer holding a dense {@code [C, h, w]} array, as stored in an
 * {@code .npy} file or a Parquet binary column: element type float16, float32 or float64, little
 * or big endian, C order (row-major, the default) or Fortran order (column-major).
 *
 * <p>C-order rows are contiguous and decoded in bulk (a typed view of the buffer, then a
 * widening loop; float16 through a 65536-entry table); Fortran order reads element by element.
 * An instance keeps a small scratch array for that: use it from one thread at a time.
 */
public final class DenseLogits implements StoredLogits {

  /** Element types a logits tensor may have. */
  public enum DType {
    FLOAT16(2), FLOAT32(4), FLOAT64(8);

    /** Bytes per element. */
    public final int size;

    DType(int size) {
      this.size = size;
    }
  }

  private final ByteBuffer data;
  private final DType dtype;
  private final int c;
  private final int h;
  private final int w;
  private final long strideC;
  private final long strideY;
  private final long strideX;
  private final boolean rowsContiguous;
  private FloatBuffer floats;
  private ShortBuffer shorts;
  private DoubleBuffer doubles;
  private float[] floatRow = new float[0];
  private short[] shortRow = new short[0];
  /** Float64 storage only: whether every value is a float; null until asked. */
  private Boolean float64HoldsFloats;

  /**
   * @param data the elements, starting at {@code data.position()}; its order is taken from
   *     {@code order}
   * @param fortranOrder true where the array is column-major ({@code fortran_order} in npy)
   * @throws IllegalArgumentException if the buffer holds fewer than {@code c*h*w} elements
   */
  public DenseLogits(ByteBuffer data, ByteOrder order, DType dtype, int c, int h, int w,
      boolean fortranOrder) {
    long n = (long) c * h * w;
    if (c < 1 || h < 1 || w < 1) {
      throw new IllegalArgumentException("logits shape must be positive, got [" + c + ", " + h
          + ", " + w + "]");
    }
    if ((long) data.remaining() < n * dtype.size) {
      throw new IllegalArgumentException("logits [" + c + ", " + h + ", " + w + "] " + dtype
          + " need " + n * dtype.size + " bytes, found " + data.remaining());
    }
    this.data = data.slice().order(order);
    this.dtype = dtype;
    this.c = c;
    this.h = h;
    this.w = w;
    if (fortranOrder) {
      strideC = 1;
      strideY = c;
      strideX = (long) c * h;
    } else {
      strideC = (long) h * w;
      strideY = w;
      strideX = 1;
    }
    rowsContiguous = strideX == 1 || w == 1;
  }

  @Override
  public int channels() {
    return c;
  }

  @Override
  public int height() {
    return h;
  }

  @Override
  public int width() {
    return w;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public byte[] toLittleEndianCOrder() {
    int n = Math.multiplyExact(Math.multiplyExact(c, h), w);
    byte[] out = new byte[Math.multiplyExact(n, dtype.size)];
    if (strideX == 1 && data.order() == ByteOrder.LITTLE_ENDIAN) {
      data.duplicate().get(out);
      return out;
    }
    ByteBuffer dst = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        long base = ch * strideC + y * strideY;
        for (int x = 0; x < w; x++) {
          int i = (int) (base + x * strideX);
          switch (dtype) {
            case FLOAT16 -> dst.putShort(data.getShort(i << 1));
            case FLOAT32 -> dst.putInt(data.getInt(i << 2));
            case FLOAT64 -> dst.putLong(data.getLong(i << 3));
            default -> throw new IllegalStateException(dtype.toString());
          }
        }
      }
    }
    return out;
  }

  @Override
  public void readRow(int ch, int y, double[] dst, int off) {
    long base = ch * strideC + y * strideY;
    if (rowsContiguous) {
      readContiguous((int) base, dst, off);
      return;
    }
    switch (dtype) {
      case FLOAT32 -> {
        for (int x = 0; x < w; x++) {
          dst[off + x] = data.getFloat((int) ((base + x * strideX) << 2));
        }
      }
      case FLOAT16 -> {
        for (int x = 0; x < w; x++) {
          dst[off + x] = Float16.toFloat(data.getShort((int) ((base + x * strideX) << 1)));
        }
      }
      case FLOAT64 -> {
        for (int x = 0; x < w; x++) {
          dst[off + x] = data.getDouble((int) ((base + x * strideX) << 3));
        }
      }
      default -> throw new IllegalStateException(dtype.toString());
    }
  }

  /**
   * Float16 and float32 storage; float64 storage whose every value is a float (checked once, in
   * one pass), so that the same values give the same losses whatever the storage type.
   */
  @Override
  public boolean floatExact() {
    if (dtype != DType.FLOAT64) {
      return true;
    }
    if (float64HoldsFloats == null) {
      boolean all = true;
      long n = (long) c * h * w;
      for (long i = 0; i < n && all; i++) {
        double v = data.getDouble((int) (i << 3));
        all = (float) v == v || v != v; // NaN: reported by the kernel either way
      }
      float64HoldsFloats = all;
    }
    return float64HoldsFloats;
  }

  @Override
  public void readRow(int ch, int y, float[] dst, int off) {
    long base = ch * strideC + y * strideY;
    switch (dtype) {
      case FLOAT32 -> {
        if (rowsContiguous) {
          if (floats == null) {
            floats = data.asFloatBuffer();
          }
          floats.get((int) base, dst, off, w);
          return;
        }
        for (int x = 0; x < w; x++) {
          dst[off + x] = data.getFloat((int) ((base + x * strideX) << 2));
        }
      }
      case FLOAT16 -> {
        if (rowsContiguous) {
          if (shorts == null) {
            shorts = data.asShortBuffer();
            shortRow = new short[w];
          }
          shorts.get((int) base, shortRow, 0, w);
          Float16.toFloats(shortRow, 0, dst, off, w);
          return;
        }
        for (int x = 0; x < w; x++) {
          dst[off + x] = Float16.toFloat(data.getShort((int) ((base + x * strideX) << 1)));
        }
      }
      case FLOAT64 -> {
        for (int x = 0; x < w; x++) {
          dst[off + x] = (float) data.getDouble((int) ((base + x * strideX) << 3));
        }
      }
      default -> throw new IllegalStateException(dtype.toString());
    }
  }

  /** Elements {@code [base, base + w)} in bulk. */
  private void readContiguous(int base, double[] dst, int off) {
    switch (dtype) {
      case FLOAT32 -> {
        if (data.hasArray()) {
          RowMath.best().decodeFloat32(data.array(), data.arrayOffset() + data.position()
              + 4 * base, data.order(), dst, off, w);
          return;
        }
        if (floats == null) {
          floats = data.asFloatBuffer();
          floatRow = new float[w];
        }
        final float[] t = floatRow;
        floats.get(base, t, 0, w);
        for (int x = 0; x < w; x++) {
          dst[off + x] = t[x];
        }
      }
      case FLOAT16 -> {
        if (shorts == null) {
          shorts = data.asShortBuffer();
          shortRow = new short[w];
        }
        shorts.get(base, shortRow, 0, w);
        Float16.toDoubles(shortRow, 0, dst, off, w);
      }
      case FLOAT64 -> {
        if (doubles == null) {
          doubles = data.asDoubleBuffer();
        }
        doubles.get(base, dst, off, w);
      }
      default -> throw new IllegalStateException(dtype.toString());
    }
  }
}
