package org.ohemspark.mining;

import java.util.Locale;

/** How the top-k branch of the OHEM rule finds the k-th loss. */
public enum TopKMode {
  /**
   * Exactly: the losses are cached and the distributed top-k refines a histogram over their
   * bit patterns until the k-th value is one pattern ({@link DistributedTopK}).
   */
  EXACT,
  /**
   * From one pass over the data, nothing cached: a {@link org.ohemspark.core.LossSketch} built
   * in the loss pass bounds the k-th loss and the mean ({@link ApproxTotals}); only the summary
   * is written.
   */
  APPROX;

  /**
   * @throws IllegalArgumentException for anything but {@code exact} or {@code approx}
   */
  public static TopKMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("topk must be 'exact' or 'approx', got '" + s + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
