package org.ohemspark.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.Logits;

/**
 * An array in NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0), read from a
 * {@link PositionedFile}: element type ({@code descr}), shape, C or Fortran order from the
 * header, then the elements where they are needed. Logits are never read whole: they are read a
 * slab of rows at a time ({@link SlabLogits}), so a logits file may be of any size (over 2 GiB
 * too) and an image costs a few rows of memory, not its file. Label masks are read whole
 * (at most 2 GiB; they are a small fraction of their logits).
 *
 * <p>Logits are accepted as {@code [C, h, w]} (or {@code [1, C, h, w]}) float16/float32/float64;
 * labels as {@code [H, W]} (or {@code [1, H, W]}, {@code [H, W, 1]}) of any integer or bool
 * type. Either byte order, C or Fortran order (both streamed: {@link SlabLogits}).
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">the
 *     .npy format</a>
 */
public final class NpyArray {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  /** NumPy type codes that hold no numbers, by what they are. */
  private static final Map<Character, String> NON_NUMERIC = Map.of(
      'U', "unicode strings", 'S', "byte strings", 'a', "byte strings", 'V', "raw void bytes",
      'O', "Python objects", 'M', "datetimes", 'm', "timedeltas");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** NumPy writes headers of a few hundred bytes; a longer one is not an array's. */
  private static final long MAX_HEADER = 1 << 20;

  private final String source;
  private final String descr;
  private final char kind;
  private final int itemSize;
  private final ByteOrder order;
  private final long[] shape;
  private final boolean fortranOrder;
  /** The file, or null once its data went to {@link #asLogits}. */
  private PositionedFile file;
  /** Where the elements start in {@code file}, and their bytes. */
  private final long dataStart;
  private final long dataBytes;

  private NpyArray(String source, String descr, char kind, int itemSize, ByteOrder order,
      long[] shape, boolean fortranOrder, PositionedFile file, long dataStart, long dataBytes) {
    this.source = source;
    this.descr = descr;
    this.kind = kind;
    this.itemSize = itemSize;
    this.order = order;
    this.shape = shape;
    this.fortranOrder = fortranOrder;
    this.file = file;
    this.dataStart = dataStart;
    this.dataBytes = dataBytes;
  }

  /**
   * Parses an {@code .npy} file's bytes ({@link #open} of the bytes in memory).
   *
   * @param source the file name, for error messages
   * @throws BadRecordException as {@link #open}
   */
  public static NpyArray parse(String source, byte[] bytes) {
    return open(source, PositionedFile.of(bytes));
  }

  /**
   * Reads an {@code .npy} file's header (by position: the elements are not read here) and
   * checks that the file holds exactly the elements its header declares.
   *
   * @param source the file name, for error messages
   * @param file the file; {@link #asLogits} hands it to the logits, which close it
   * @throws BadRecordException if the file is not an npy file, the header is unreadable, the
   *     data is shorter than the shape needs (truncated file) or longer, or the file cannot be
   *     read
   */
  public static NpyArray open(String source, PositionedFile file) {
    try {
      return read(source, file);
    } catch (IOException e) {
      throw new BadRecordException(source, null, "cannot read: " + e, e);
    }
  }

  private static NpyArray read(String source, PositionedFile file) throws IOException {
    long length = file.size();
    byte[] prefix = new byte[(int) Math.min(12, length)];
    file.readFully(0, prefix, 0, prefix.length);
    if (length < 10 || !Arrays.equals(Arrays.copyOf(prefix, 6), MAGIC)) {
      throw new BadRecordException(source, null, "not a NumPy .npy file (no \\x93NUMPY magic)");
    }
    int major = prefix[6] & 0xff;
    ByteBuffer b = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int headerStart;
    if (major == 1) {
      headerLen = b.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (length < 12) {
        throw new BadRecordException(source, null, "truncated .npy header");
      }
      headerLen = b.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw new BadRecordException(source, null, "unsupported .npy version " + major);
    }
    if (headerStart + headerLen > length) {
      throw new BadRecordException(source, null, "truncated .npy header: needs "
          + (headerStart + headerLen) + " bytes, file has " + length);
    }
    if (headerLen > MAX_HEADER) {
      throw new BadRecordException(source, null, "unreadable .npy header: it says it is "
          + headerLen + " bytes long (NumPy writes a few hundred)");
    }
    byte[] headerBytes = new byte[(int) headerLen];
    file.readFully(headerStart, headerBytes, 0, headerBytes.length);
    String header = new String(headerBytes,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Matcher d = DESCR.matcher(header);
    Matcher f = FORTRAN.matcher(header);
    Matcher s = SHAPE.matcher(header);
    if (!d.find() || !f.find() || !s.find()) {
      throw new BadRecordException(source, null, "unreadable .npy header (structured or "
          + "object dtype?): " + header.trim());
    }
    char kind = d.group(2).charAt(0);
    if ("biufcmMOSUVa".indexOf(kind) < 0) {
      throw new BadRecordException(source, null, "unsupported .npy dtype '" + d.group(1) + kind
          + d.group(3) + "': '" + kind + "' is not a NumPy type code");
    }
    String kindName = NON_NUMERIC.get(kind);
    if (kindName != null) { // e.g. <U3 counts characters, not bytes: name it, not its size
      throw new BadRecordException(source, null, "unsupported .npy dtype '" + d.group(1) + kind
          + d.group(3) + "' (" + kindName + "): logits must be float16, float32 or float64 and "
          + "labels integer or bool");
    }
    int size = Integer.parseInt(d.group(3));
    ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String shapeText = s.group(1).trim();
    long[] shape;
    long need;
    try {
      shape = shapeText.isEmpty() ? new long[0]
          : Arrays.stream(shapeText.split(",")).map(String::trim).filter(t -> !t.isEmpty())
              .mapToLong(Long::parseLong).toArray();
      long n = 1;
      for (long dim : shape) {
        if (dim < 0) {
          throw new NumberFormatException("negative dimension " + dim);
        }
        n = Math.multiplyExact(n, dim);
      }
      need = Math.multiplyExact(n, (long) size);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new BadRecordException(source, null, "bad shape in .npy header: (" + shapeText
          + ") (" + e.getMessage() + ")");
    }
    if (size < 1) {
      throw new BadRecordException(source, null, "unsupported .npy array: shape ("
          + shapeText + ") of " + d.group(0) + " is empty-typed");
    }
    long dataStart = headerStart + headerLen;
    if (length - dataStart < need) {
      throw new BadRecordException(source, null, "truncated .npy data: shape "
          + Arrays.toString(shape) + " " + d.group(0).replaceAll(".*'(.*)'", "$1") + " needs "
          + need + " bytes, file has " + (length - dataStart));
    }
    if (length - dataStart > need) {
      throw new BadRecordException(source, null, ".npy data does not fit its header: shape "
          + Arrays.toString(shape) + " needs " + need + " bytes, file has "
          + (length - dataStart) + " (extra bytes after the array)");
    }
    return new NpyArray(source, d.group(1) + kind + size, kind, size, order, shape,
        f.group(1).equals("True"), file, dataStart, need);
  }

  /** NumPy's dtype string, e.g. {@code <f4} or {@code |u1}. */
  public String descr() {
    return descr;
  }

  public long[] shape() {
    return shape.clone();
  }

  public boolean fortranOrder() {
    return fortranOrder;
  }

  /**
   * This array as logits {@code [C, h, w]}; a leading batch dimension of 1 is dropped. The
   * elements stay in the file and are read a slab of rows at a time ({@link SlabLogits}, any
   * size, C or Fortran order); the logits take the file over and close it. Call once.
   *
   * @throws BadRecordException if the shape is not 3-d (or 4-d with a leading 1) or the element
   *     type is not float16/32/64
   */
  public Logits asLogits(String imageId) {
    long[] s = squeezeLeading(3);
    if (s == null) {
      throw new BadRecordException(source, imageId, "logits must have shape [C,h,w] (or "
          + "[1,C,h,w]), found " + Arrays.toString(shape));
    }
    if (kind != 'f' || !(itemSize == 2 || itemSize == 4 || itemSize == 8)) {
      throw new BadRecordException(source, imageId, "logits must be float16, float32 or "
          + "float64, found dtype " + descr);
    }
    DenseLogits.DType dtype = itemSize == 2 ? DenseLogits.DType.FLOAT16
        : itemSize == 4 ? DenseLogits.DType.FLOAT32 : DenseLogits.DType.FLOAT64;
    for (long dim : s) {
      if (dim < 1 || dim > Integer.MAX_VALUE) {
        throw new BadRecordException(source, imageId, "logits shape " + Arrays.toString(shape)
            + " has an empty or too large dimension");
      }
    }
    if (file == null) {
      throw new IllegalStateException(source + ": asLogits was called already");
    }
    PositionedFile f = file;
    file = null;
    return new SlabLogits(source, f, dataStart, order, dtype, (int) s[0], (int) s[1],
        (int) s[2], fortranOrder, SlabLogits.SLAB_BYTES);
  }

  /**
   * This array as a label mask {@code [H, W]} in row-major order; a leading 1 is dropped.
   * The elements are read whole (a label mask is a small fraction of its logits).
   *
   * @return {@code {H, W}} in {@code dims}, values in the returned array
   * @throws BadRecordException if the shape is not 2-d, the dtype is not integer or bool, the
   *     array is larger than 2 GiB, a value does not fit in a Java int, or the file cannot be
   *     read
   */
  public int[] asLabels(String imageId, int[] dims) {
    long[] s = squeezeLeading(2);
    if (s == null && shape.length == 3 && shape[2] == 1) {
      s = new long[] {shape[0], shape[1]}; // [H, W, 1], as cv2/PIL arrays often come
    }
    if (s == null) {
      throw new BadRecordException(source, imageId, "labels must have shape [H,W] (or "
          + "[1,H,W] or [H,W,1]), found " + Arrays.toString(shape));
    }
    if (!(kind == 'u' || kind == 'i' || kind == 'b')) {
      throw new BadRecordException(source, imageId, "labels must be an integer (or bool) "
          + "array, found dtype " + descr);
    }
    if (file == null) {
      throw new IllegalStateException(source + ": the file went to asLogits");
    }
    if (dataBytes > Integer.MAX_VALUE - 8) {
      throw new BadRecordException(source, imageId, "labels " + Arrays.toString(shape) + " "
          + descr + " are " + dataBytes + " bytes, larger than 2 GiB");
    }
    ByteBuffer data = ByteBuffer.allocate((int) dataBytes).order(order);
    try {
      file.readFully(dataStart, data.array(), 0, (int) dataBytes);
    } catch (IOException e) {
      throw new BadRecordException(source, imageId, "cannot read: " + e, e);
    }
    int h = (int) s[0];
    int w = (int) s[1];
    int n = Math.multiplyExact(h, w);
    int[] out = new int[n];
    if (itemSize == 1 && !fortranOrder) { // uint8 / int8 / bool masks, C order: every value fits
      for (int i = 0; i < n; i++) {
        out[i] = kind == 'i' ? data.get(i) : data.get(i) & 0xff;
      }
      dims[0] = h;
      dims[1] = w;
      return out;
    }
    for (int i = 0; i < n; i++) {
      long v = element(data, i);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE || (kind == 'u' && itemSize == 8
          && v < 0)) {
        throw new BadRecordException(source, imageId, "label value " + Long.toUnsignedString(v)
            + " does not fit a 32-bit label");
      }
      // C order stores [y, x] at i = y * W + x; Fortran order at i = x * H + y
      out[fortranOrder ? (i % h) * w + i / h : i] = (int) v;
    }
    dims[0] = h;
    dims[1] = w;
    return out;
  }

  private long element(ByteBuffer data, int i) {
    int p = i * itemSize;
    return switch (itemSize) {
      case 1 -> kind == 'i' ? data.get(p) : data.get(p) & 0xff;
      case 2 -> kind == 'i' ? data.getShort(p) : data.getShort(p) & 0xffff;
      case 4 -> kind == 'i' ? data.getInt(p) : data.getInt(p) & 0xffffffffL;
      case 8 -> data.getLong(p);
      default -> throw new BadRecordException(source, null, "unsupported item size in " + descr);
    };
  }

  private long[] squeezeLeading(int rank) {
    if (shape.length == rank) {
      return shape;
    }
    if (shape.length == rank + 1 && shape[0] == 1) {
      return Arrays.copyOfRange(shape, 1, shape.length);
    }
    return null;
  }
}
