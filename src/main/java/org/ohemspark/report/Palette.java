package org.ohemspark.report;

import java.util.Locale;

/**
 * The report's one fixed colour per class, for label masks, predicted masks and the class
 * legend: 20 distinct colours for classes 0 to 19 (those of matplotlib's {@code tab20}, ordered
 * so neighbouring ids differ most), then colours spread round the hue circle by the golden angle
 * for larger ids. Ignored pixels are drawn in {@link #IGNORE} (near black). Kept pixels are
 * marked in {@link #KEPT}.
 */
public final class Palette {
  private Palette() {}

  private static final int[] FIXED = {
      0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
      0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94,
      0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};

  /** The colour of ignored pixels (0xRRGGBB). */
  public static final int IGNORE = 0x1b1b1f;

  /** The colour that marks kept pixels over a picture (0xRRGGBB, a magenta). */
  public static final int KEPT = 0xff1fce;

  /** The colour of class {@code c} (0xRRGGBB); a negative id is drawn as ignored. */
  public static int rgb(int c) {
    if (c < 0) {
      return IGNORE;
    }
    if (c < FIXED.length) {
      return FIXED[c];
    }
    float hue = (float) ((c * 0.6180339887498949) % 1.0);
    return java.awt.Color.HSBtoRGB(hue, 0.55f + 0.3f * ((c / 7) % 2), 0.85f) & 0xffffff;
  }

  /** The colour of class {@code c} as CSS, {@code #rrggbb}. */
  public static String css(int c) {
    return String.format(Locale.ROOT, "#%06x", rgb(c));
  }
}
