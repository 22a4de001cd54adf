package org.ohemspark.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.ohemspark.core.Float16;

/**
 * Writes NumPy {@code .npy} files (format version 1.0, C order, little-endian), as
 * {@code numpy.save} does: the header dict padded with spaces and a newline so that the data
 * starts at a multiple of 64 bytes.
 */
public final class NpyWriter {
  private NpyWriter() {}

  /**
   * The header (magic, version, length, dict) for an array of {@code descr} and {@code shape}.
   *
   * @param descr NumPy dtype string, e.g. {@code <f4}, {@code <f2}, {@code |u1}
   * @throws IllegalArgumentException if the header would exceed 65535 bytes
   */
  public static byte[] header(String descr, long... shape) {
    StringBuilder s = new StringBuilder("{'descr': '").append(descr)
        .append("', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      s.append(shape[i]).append(shape.length == 1 || i < shape.length - 1 ? "," : "");
      if (i < shape.length - 1) {
        s.append(' ');
      }
    }
    s.append("), }");
    int unpadded = 10 + s.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    while (s.length() + 11 < total) {
      s.append(' ');
    }
    s.append('\n');
    if (s.length() > 65535) {
      throw new IllegalArgumentException("npy header too long");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(total);
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(1);
    out.write(0);
    out.write(s.length() & 0xff);
    out.write(s.length() >>> 8);
    out.writeBytes(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** A whole float32 ({@code <f4}) or float16 ({@code <f2}) file of {@code values}. */
  public static byte[] floats(float[] values, boolean half, long... shape) {
    byte[] head = header(half ? "<f2" : "<f4", shape);
    ByteBuffer b = ByteBuffer.allocate(head.length + values.length * (half ? 2 : 4))
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(head);
    if (half) {
      for (float v : values) {
        b.putShort(Float16.fromFloat(v));
      }
    } else {
      b.asFloatBuffer().put(values);
    }
    return b.array();
  }

  /**
   * A whole uint8 ({@code |u1}) file of {@code values}.
   *
   * @throws IllegalArgumentException if a value is outside {@code [0, 255]}
   */
  public static byte[] uint8(int[] values, long... shape) {
    byte[] head = header("|u1", shape);
    byte[] out = new byte[head.length + values.length];
    System.arraycopy(head, 0, out, 0, head.length);
    for (int i = 0; i < values.length; i++) {
      int v = values[i];
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("value " + v + " does not fit uint8");
      }
      out[head.length + i] = (byte) v;
    }
    return out;
  }
}
