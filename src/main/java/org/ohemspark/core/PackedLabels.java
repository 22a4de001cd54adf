package org.ohemspark.core;

import java.io.Serializable;

/**
 * One image's labels {@code [H, W]} (row-major, after the label convention) in the narrowest
 * type that holds them exactly: each label is stored as {@code label - base}, where
 * {@code base} is the image's smallest label, in an unsigned byte when the image's labels span
 * at most 256 values, an unsigned short when they span at most 65,536, else as plain ints. So
 * the usual datasets take one byte per pixel whatever their ignore index: Cityscapes' train ids
 * {@code 0..18} with {@code 255}, ADE20K's {@code 0..149} with PyTorch's {@code -100}, or
 * {@code reduce_zero_label}'s {@code 0..149} with {@code 255}. {@link #get} gives back every
 * label exactly.
 *
 * <p>Cached per image by the Spark loss pass (with the image's losses, {@link ImageLosses}), so
 * its size is what the cache holds and spills. Java serialization writes the one array in use
 * in bulk; Kryo's default field serializer does the same (no registration, no transient
 * field).
 */
public final class PackedLabels implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Added to every stored value; the smallest label ({@code 0} when stored as ints). */
  private final int base;
  /** Exactly one of the three arrays is non-null; it holds {@code H * W} values. */
  private final byte[] bytes;
  private final short[] shorts;
  private final int[] ints;

  private PackedLabels(int base, byte[] bytes, short[] shorts, int[] ints) {
    this.base = base;
    this.bytes = bytes;
    this.shorts = shorts;
    this.ints = ints;
  }

  /** Packs {@code labels} (not kept; a copy in the narrowest type). */
  public static PackedLabels of(int[] labels) {
    int min = 0;
    int max = 0;
    if (labels.length > 0) {
      min = labels[0];
      max = labels[0];
      for (int v : labels) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    long span = (long) max - min; // up to 2^32 - 1: the difference of two ints
    if (span <= 0xFF) {
      byte[] b = new byte[labels.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (labels[i] - min);
      }
      return new PackedLabels(min, b, null, null);
    }
    if (span <= 0xFFFF) {
      short[] s = new short[labels.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = (short) (labels[i] - min);
      }
      return new PackedLabels(min, null, s, null);
    }
    return new PackedLabels(0, null, null, labels.clone());
  }

  /** The label of pixel {@code i = y * W + x}. */
  public int get(int i) {
    if (bytes != null) {
      return base + (bytes[i] & 0xFF);
    }
    if (shorts != null) {
      return base + (shorts[i] & 0xFFFF);
    }
    return ints[i];
  }

  /** Number of labels, {@code H * W}. */
  public int length() {
    return bytes != null ? bytes.length : shorts != null ? shorts.length : ints.length;
  }

  /** Bytes each label takes: 1, 2 or 4. */
  public int bytesPerLabel() {
    return bytes != null ? 1 : shorts != null ? 2 : 4;
  }

  /** The labels as a new {@code int[H * W]}. */
  public int[] toArray() {
    int[] out = new int[length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i);
    }
    return out;
  }
}
