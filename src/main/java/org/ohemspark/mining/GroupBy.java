package org.ohemspark.mining;

import java.util.Locale;
import org.ohemspark.source.ImageSource;

/** The scope the OHEM rule is applied over. */
public enum GroupBy {
  /** One group: every valid pixel of the dataset (PyTorch's whole batch). */
  DATASET,
  /** One group per image; each image gets its own n_min, threshold test and top-k. */
  IMAGE,
  /**
   * One group per training batch (an image's {@code batch}: {@link ImageSource#batches}), each
   * one OHEM call as in training ({@link BatchOutcomes}).
   */
  BATCH;

  /**
   * @throws IllegalArgumentException for anything but {@code dataset}, {@code image} or
   *     {@code batch}
   */
  public static GroupBy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("group-by must be 'dataset', 'image' or 'batch', got '"
          + s + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
