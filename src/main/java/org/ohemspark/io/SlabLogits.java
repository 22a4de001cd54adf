package org.ohemspark.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.StoredLogits;

/**
 * {@link org.ohemspark.core.Logits} {@code [C, h, w]} read from a file in slabs: a slab is rows
 * {@code [s, s+k)} of every channel, read by position ({@link PositionedFile}) into one buffer
 * and decoded by a {@link DenseLogits} over it (float16/32/64, either byte order, C or Fortran
 * order). An image's logits so take {@code C * k * w * itemSize} bytes of memory whatever the
 * file's size (files over 2 GiB included), where
 * {@code k = max(1, min(h, slabBytes / (C * w * itemSize)))}: a few rows of every channel
 * ({@link #SLAB_BYTES} by default; one row of every channel when that alone is larger).
 *
 * <p>Reads per slab: in C order, one of {@code k*w} elements per channel (channel {@code c}'s
 * rows {@code s..s+k-1} are contiguous); in Fortran order (element {@code (c, y, x)} at
 * {@code c + C*y + C*h*x}), one of {@code k*C} elements per column {@code x}, so a Fortran file
 * is read in more, smaller pieces (prefer C order for large files). A file that fits in one slab
 * ({@code k = h}) is read in one piece.
 *
 * <p>Access order: the kernel ({@code CrossEntropyKernel}) reads row {@code y} of every
 * channel, for {@code y} increasing; with a bilinear resize it reads source rows
 * {@code BilinearAxis.i0[y]} and {@code i1[y]}, which never decrease with {@code y}, each once.
 * A row outside the current slab loads the slab starting at that row, so a pass reads every
 * slab once ({@code ceil(h / k)} loads). A row before the slab (an error message quoting a
 * logit) reloads one. Float64 storage is read once more, by {@link #floatExact} (whether every
 * value is a float decides the kernel's path before its pass).
 *
 * <p>Holds its file open until {@link #close}; one thread at a time.
 */
public final class SlabLogits implements StoredLogits {
  /** Default bytes of a slab: a few rows of every channel for usual images. */
  public static final long SLAB_BYTES = 4L << 20;

  private final String source;
  private final PositionedFile data;
  /** Where the elements start in {@code data}. */
  private final long offset;
  private final ByteOrder order;
  private final DenseLogits.DType dtype;
  private final int c;
  private final int h;
  private final int w;
  private final boolean fortranOrder;
  /** Rows per slab, {@code k}. */
  private final int slabRows;
  private byte[] slab;
  /** The current slab: rows {@code [start, start + rows)}, decoded by {@code view}. */
  private int start;
  private int rows;
  private DenseLogits view;
  private int loads;
  private Boolean float64HoldsFloats;

  /**
   * @param source the file (or tar member), for messages
   * @param data the file; closed by {@link #close}
   * @param offset where the elements ({@code C*h*w*dtype.size} bytes) start in {@code data}
   * @param slabBytes memory to read into at a time, bytes (at least one row of every channel
   *     is read at once)
   * @throws BadRecordException if {@code data} is shorter than the shape needs, or one row of
   *     every channel does not fit one Java array (2 GiB)
   */
  public SlabLogits(String source, PositionedFile data, long offset, ByteOrder order,
      DenseLogits.DType dtype, int c, int h, int w, boolean fortranOrder, long slabBytes) {
    if (c < 1 || h < 1 || w < 1) {
      throw new IllegalArgumentException("logits shape must be positive, got [" + c + ", " + h
          + ", " + w + "]");
    }
    long need = (long) c * h * w * dtype.size;
    if (data.size() - offset < need) {
      throw new BadRecordException(source, null, "logits [" + c + ", " + h + ", " + w + "] "
          + dtype + " need " + need + " bytes, found " + (data.size() - offset));
    }
    long rowSet = (long) c * w * dtype.size;
    if (rowSet > Integer.MAX_VALUE - 8) {
      throw new BadRecordException(source, null, "logits [" + c + ", " + h + ", " + w + "] "
          + dtype + ": one row of every class is " + rowSet + " bytes, more than one Java "
          + "array holds (2 GiB); the kernel works a row of every class at a time");
    }
    this.source = source;
    this.data = data;
    this.offset = offset;
    this.order = order;
    this.dtype = dtype;
    this.c = c;
    this.h = h;
    this.w = w;
    this.fortranOrder = fortranOrder;
    this.slabRows = (int) Math.max(1, Math.min(h, Math.min(slabBytes,
        Integer.MAX_VALUE - 8) / rowSet));
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
  public DenseLogits.DType dtype() {
    return dtype;
  }

  /** Rows of every channel read at a time ({@code k}). */
  public int slabRows() {
    return slabRows;
  }

  /** Slabs read so far (for tests of the access order). */
  int loads() {
    return loads;
  }

  @Override
  public void readRow(int ch, int y, double[] dst, int off) {
    at(y).readRow(ch, y - start, dst, off);
  }

  @Override
  public void readRow(int ch, int y, float[] dst, int off) {
    at(y).readRow(ch, y - start, dst, off);
  }

  /**
   * Float16 and float32 storage; float64 storage whose every value is a float, found by one
   * pass over the file (slab by slab), before the kernel's.
   */
  @Override
  public boolean floatExact() {
    if (dtype != DenseLogits.DType.FLOAT64) {
      return true;
    }
    if (float64HoldsFloats == null) {
      boolean all = true;
      for (int s = 0; s < h && all; s += slabRows) {
        all = load(s).floatExact();
      }
      float64HoldsFloats = all;
    }
    return float64HoldsFloats;
  }

  @Override
  public byte[] toLittleEndianCOrder() {
    long total = (long) c * h * w * dtype.size;
    if (total > Integer.MAX_VALUE - 8) {
      throw new BadRecordException(source, null, "logits [" + c + ", " + h + ", " + w + "] "
          + dtype + " are " + total + " bytes, more than one Java array (and one Parquet "
          + "binary value) holds (2 GiB): mine them from their npy file or tar instead");
    }
    byte[] out = new byte[(int) total];
    int rowBytes = w * dtype.size;
    for (int s = 0; s < h; s += slabRows) {
      byte[] part = load(s).toLittleEndianCOrder(); // [C, rows, w], little-endian, C order
      for (int ch = 0; ch < c; ch++) {
        System.arraycopy(part, ch * rows * rowBytes, out,
            (int) (((long) ch * h + s) * rowBytes), rows * rowBytes);
      }
    }
    return out;
  }

  /** The slab holding row {@code y}, loaded if needed. */
  private DenseLogits at(int y) {
    if (view == null || y < start || y >= start + rows) {
      if (y < 0 || y >= h) {
        throw new IndexOutOfBoundsException("row " + y + " of " + h);
      }
      load(y);
    }
    return view;
  }

  /**
   * Reads rows {@code [s, min(s + k, h))} of every channel into the slab.
   *
   * @throws BadRecordException naming the source and the rows when the file cannot be read
   */
  private DenseLogits load(int s) {
    int n = Math.min(slabRows, h - s);
    int size = dtype.size;
    if (slab == null) {
      slab = new byte[Math.multiplyExact(Math.multiplyExact(slabRows, c), w * size)];
    }
    try {
      if (n == h) { // the whole array: one piece, whatever the order
        data.readFully(offset, slab, 0, c * h * w * size);
      } else if (fortranOrder) { // column x holds [C, h] in Fortran order: rows s.. are C*n
        int piece = n * c * size;
        for (int x = 0; x < w; x++) {
          data.readFully(offset + ((long) x * c * h + (long) s * c) * size, slab, x * piece,
              piece);
        }
      } else { // channel ch holds [h, w]: rows s.. are n*w contiguous elements
        int piece = n * w * size;
        for (int ch = 0; ch < c; ch++) {
          data.readFully(offset + ((long) ch * h + s) * w * size, slab, ch * piece, piece);
        }
      }
    } catch (IOException e) {
      view = null;
      throw new BadRecordException(source, null, "cannot read logits rows " + s + " to "
          + (s + n - 1) + ": " + e, e);
    }
    start = s;
    rows = n;
    loads++;
    view = new DenseLogits(ByteBuffer.wrap(slab, 0, c * n * w * size), order, dtype, c, n, w,
        fortranOrder);
    return view;
  }

  /** Closes the file; the logits cannot be read after. */
  @Override
  public void close() {
    slab = null;
    view = null;
    try {
      data.close();
    } catch (IOException ignored) {
      // read-only: nothing is lost
    }
  }
}
