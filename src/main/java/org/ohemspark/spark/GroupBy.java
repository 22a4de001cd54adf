package org.ohemspark.spark;

import java.util.Locale;

/** The scope the OHEM rule is applied over. */
public enum GroupBy {
  /** One group: every valid pixel of the dataset (PyTorch's whole batch). */
  DATASET,
  /** One group per image; each image gets its own n_min, threshold test and top-k. */
  IMAGE;

  /**
   * @throws IllegalArgumentException for anything but {@code dataset} or {@code image}
   */
  public static GroupBy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("group-by must be 'dataset' or 'image', got '" + s + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
