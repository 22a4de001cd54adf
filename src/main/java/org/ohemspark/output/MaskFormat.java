package org.ohemspark.output;

import java.util.Locale;

/** What the job writes per image besides {@code images/}' {@code hard_mask} ({@code --masks}). */
public enum MaskFormat {
  /** Nothing more (the default). */
  NONE,
  /** {@code masks/<image_id>.png}: {@link MaskPngs}. */
  PNG;

  /**
   * @throws IllegalArgumentException for anything but {@code none} or {@code png}
   */
  public static MaskFormat parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("masks must be 'none' or 'png', got '" + s + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
