package org.ohemspark.core;

import java.io.Serializable;

/**
 * One image's predicted class per pixel, {@code [H, W]} row-major: the argmax of the pixel's
 * logits over {@code [0, C)} (after the bilinear resize where there is one), the first maximum
 * in class order as {@code torch.argmax} gives it ({@link RowMath}). Held in the narrowest type
 * that holds every class of {@code [0, C)} exactly: an unsigned byte when {@code C <= 256} (one
 * byte per pixel for every usual dataset), an unsigned short when {@code C <= 65,536}, else an
 * int. Ignored pixels have a prediction too (their logits are walked as any other's); the
 * outputs read it only for valid pixels.
 *
 * <p>Cached per image with its losses ({@link ImageLosses}); like {@link PackedLabels}, Java
 * serialization and Kryo's default field serializer write the one array in use in bulk (no
 * transient field, no registration).
 */
public final class PredictedClasses implements Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code C}: every prediction is in {@code [0, classes)}. */
  private final int classes;
  /** Exactly one of the three arrays is non-null; it holds {@code H * W} values. */
  private final byte[] bytes;
  private final short[] shorts;
  private final int[] ints;

  private PredictedClasses(int classes, int pixels) {
    this.classes = classes;
    this.bytes = classes <= 0x100 ? new byte[pixels] : null;
    this.shorts = bytes == null && classes <= 0x10000 ? new short[pixels] : null;
    this.ints = bytes == null && shorts == null ? new int[pixels] : null;
  }

  /**
   * Zero predictions (class 0) for {@code pixels} pixels of a {@code classes}-class image, to be
   * filled by {@link #setRow}.
   *
   * @throws IllegalArgumentException if {@code classes < 1} or {@code pixels < 0}
   */
  public static PredictedClasses zeros(int classes, int pixels) {
    if (classes < 1 || pixels < 0) {
      throw new IllegalArgumentException("PredictedClasses: classes " + classes + ", pixels "
          + pixels + ": need classes >= 1 and pixels >= 0");
    }
    return new PredictedClasses(classes, pixels);
  }

  /**
   * Predictions of {@code classes}-class pixels from an array (a copy is stored; for tests and
   * conversions).
   *
   * @throws IllegalArgumentException if a value is outside {@code [0, classes)}
   */
  public static PredictedClasses of(int classes, int[] predicted) {
    PredictedClasses p = zeros(classes, predicted.length);
    for (int v : predicted) {
      if (v < 0 || v >= classes) {
        throw new IllegalArgumentException("PredictedClasses: class " + v + " outside [0, "
            + classes + ")");
      }
    }
    p.setRow(0, predicted, predicted.length);
    return p;
  }

  /**
   * Stores {@code argmax[0, n)} at pixels {@code [offset, offset + n)}: one row of the kernel.
   * The values must be in {@code [0, C)} (not checked: the kernel's argmax is).
   */
  void setRow(int offset, int[] argmax, int n) {
    if (bytes != null) {
      for (int x = 0; x < n; x++) {
        bytes[offset + x] = (byte) argmax[x];
      }
    } else if (shorts != null) {
      for (int x = 0; x < n; x++) {
        shorts[offset + x] = (short) argmax[x];
      }
    } else {
      System.arraycopy(argmax, 0, ints, offset, n);
    }
  }

  /** The predicted class of pixel {@code i = y * W + x}, in {@code [0, C)}. */
  public int get(int i) {
    if (bytes != null) {
      return bytes[i] & 0xFF;
    }
    if (shorts != null) {
      return shorts[i] & 0xFFFF;
    }
    return ints[i];
  }

  /** {@code C}, the class count of the logits the predictions came from. */
  public int classes() {
    return classes;
  }

  /** Number of pixels, {@code H * W}. */
  public int length() {
    return bytes != null ? bytes.length : shorts != null ? shorts.length : ints.length;
  }

  /** Bytes each prediction takes: 1, 2 or 4. */
  public int bytesPerPixel() {
    return bytes != null ? 1 : shorts != null ? 2 : 4;
  }

  /** The predictions as a new {@code int[H * W]}. */
  public int[] toArray() {
    int[] out = new int[length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i);
    }
    return out;
  }
}
