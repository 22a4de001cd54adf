package org.ohemspark.core;

import java.io.Serializable;

/**
 * How stored label values map to training labels, as segmentation datasets define them:
 *
 * <ul>
 *   <li>{@code train_ids}: values are the labels (Cityscapes {@code *_labelTrainIds.png}).</li>
 *   <li>{@code palette_index}: the label is the palette index of a palette PNG (never its
 *       colour), or the grey value of a grey PNG (Pascal VOC).</li>
 *   <li>{@code reduce_zero_label}: 0 ("other") becomes the ignore index and every other value
 *       {@code v} becomes {@code v - 1}; a stored 255 stays ignored (ADE20K, as mmsegmentation's
 *       {@code reduce_zero_label}).</li>
 *   <li>{@code void=K}: value {@code K} becomes the ignore index (CamVid, {@code void=11}).</li>
 * </ul>
 */
public record LabelConvention(String name, int voidLabel) implements Serializable {

  public static final LabelConvention TRAIN_IDS = new LabelConvention("train_ids", -1);
  public static final LabelConvention PALETTE_INDEX = new LabelConvention("palette_index", -1);
  public static final LabelConvention REDUCE_ZERO_LABEL =
      new LabelConvention("reduce_zero_label", -1);

  /**
   * Parses {@code train_ids}, {@code palette_index}, {@code reduce_zero_label} or
   * {@code void=K}.
   *
   * @throws IllegalArgumentException for any other text
   */
  public static LabelConvention parse(String text) {
    String s = text.trim();
    switch (s) {
      case "train_ids":
        return TRAIN_IDS;
      case "palette_index":
        return PALETTE_INDEX;
      case "reduce_zero_label":
        return REDUCE_ZERO_LABEL;
      default:
        if (s.startsWith("void=")) {
          try {
            return new LabelConvention("void", Integer.parseInt(s.substring(5).trim()));
          } catch (NumberFormatException e) {
            // fall through
          }
        }
        throw new IllegalArgumentException("unknown label convention '" + text
            + "': expected train_ids, palette_index, reduce_zero_label or void=K");
    }
  }

  /** Maps stored values to labels in place and returns the array. */
  public int[] apply(int[] values, int ignoreIndex) {
    if (this.equals(REDUCE_ZERO_LABEL)) {
      for (int i = 0; i < values.length; i++) {
        int v = values[i];
        values[i] = (v == 0 || v == 255) ? ignoreIndex : v - 1;
      }
    } else if ("void".equals(name)) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] == voidLabel) {
          values[i] = ignoreIndex;
        }
      }
    }
    return values;
  }

  @Override
  public String toString() {
    return "void".equals(name) ? "void=" + voidLabel : name;
  }
}
