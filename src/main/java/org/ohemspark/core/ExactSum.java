package org.ohemspark.core;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * A sum of doubles that does not depend on the order they are added or merged in: each value is
 * added as its exact binary expansion ({@code new BigDecimal(double)}), and the total is rounded
 * to the nearest double once, at the end. Partial sums built by different Spark tasks therefore
 * merge to the same bits in any order, so reruns print byte-identical results. It costs an
 * allocation per value: use it for per-image partial sums (O(images)), not per pixel.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;
  private BigDecimal sum = BigDecimal.ZERO;

  /**
   * Adds {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   */
  public ExactSum add(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("ExactSum: not a finite value: " + value);
    }
    sum = sum.add(new BigDecimal(value));
    return this;
  }

  /** Adds the values of {@code other}; returns this. */
  public ExactSum merge(ExactSum other) {
    sum = sum.add(other.sum);
    return this;
  }

  /** The exact sum rounded once to the nearest double. */
  public double toDouble() {
    return sum.doubleValue();
  }
}
