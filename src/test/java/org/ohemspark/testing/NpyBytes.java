package org.ohemspark.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes {@code .npy} bytes as NumPy does: magic, version, header length, a header dict padded
 * with spaces and ended by a newline so that the data starts at a multiple of 64 bytes.
 */
public final class NpyBytes {
  private NpyBytes() {}

  /** The header dict text, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. */
  public static String dict(String descr, boolean fortran, long... shape) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        s.append(i < shape.length - 1 ? ", " : ",");
      }
    }
    s.append(')');
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'shape': " + s + ", }";
  }

  /** A whole file: version {@code major}.0 (1, 2 or 3) with the given dict and data bytes. */
  public static byte[] file(int major, String dict, byte[] data) {
    int prefix = major == 1 ? 10 : 12;
    byte[] d = dict.getBytes(StandardCharsets.ISO_8859_1);
    int total = prefix + d.length + 1;
    int pad = (64 - total % 64) % 64;
    int headerLen = d.length + pad + 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(major);
    out.write(0);
    ByteBuffer len = ByteBuffer.allocate(prefix - 8).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      len.putShort((short) headerLen);
    } else {
      len.putInt(headerLen);
    }
    out.writeBytes(len.array());
    out.writeBytes(d);
    for (int i = 0; i < pad; i++) {
      out.write(' ');
    }
    out.write('\n');
    if ((prefix + headerLen) % 64 != 0) {
      throw new AssertionError("header not aligned");
    }
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** Version 1.0 file. */
  public static byte[] file(String descr, boolean fortran, long[] shape, byte[] data) {
    return file(1, dict(descr, fortran, shape), data);
  }

  public static byte[] floats(ByteOrder order, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  public static byte[] doubles(ByteOrder order, double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
    for (double f : v) {
      b.putDouble(f);
    }
    return b.array();
  }

  /** 16-bit patterns (float16 bits, or int16/uint16 values). */
  public static byte[] shorts(ByteOrder order, int... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(order);
    for (int s : v) {
      b.putShort((short) s);
    }
    return b.array();
  }

  public static byte[] ints(ByteOrder order, int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (int s : v) {
      b.putInt(s);
    }
    return b.array();
  }

  public static byte[] longs(ByteOrder order, long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(order);
    for (long s : v) {
      b.putLong(s);
    }
    return b.array();
  }

  public static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }
}
