package org.ohemspark.core;

/**
 * One image's kept pixels as a label image, the layout of {@code masks/<image_id>.png}:
 * {@code 0} where the pixel is not kept, {@code 1 + label} where it is (so class 0 stays
 * visible), {@code [H, W]} row-major.
 */
public final class KeptLabelMask {
  private KeptLabelMask() {}

  /** The largest class count whose masks are 8-bit: values up to {@code 1 + 253 = 254}. */
  public static final int MAX_CLASSES_8_BIT = 254;

  /** The largest class count a 16-bit mask holds: values up to {@code 65535}. */
  public static final int MAX_CLASSES_16_BIT = 65534;

  /**
   * The values: {@code 1 + label(i)} at each of {@code kept} ({@link KeptPixels#indices}), 0
   * elsewhere; a new {@code int[H * W]}.
   */
  public static int[] of(ImageLosses img, int[] kept) {
    int[] out = new int[img.pixels()];
    for (int i : kept) {
      out[i] = 1 + img.label(i);
    }
    return out;
  }

  /**
   * Bits per sample for an image of {@code classes} classes (its logits' {@code C}): 8 when
   * {@code C <= 254}, else 16.
   *
   * @throws IllegalArgumentException when {@code C > 65534}
   */
  public static int bitDepth(int classes) {
    if (classes > MAX_CLASSES_16_BIT) {
      throw new IllegalArgumentException(classes + " classes do not fit a 16-bit mask (1 + "
          + "label up to 65535, at most " + MAX_CLASSES_16_BIT + " classes)");
    }
    return classes <= MAX_CLASSES_8_BIT ? 8 : 16;
  }
}
