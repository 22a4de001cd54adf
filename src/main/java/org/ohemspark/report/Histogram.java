package org.ohemspark.report;

/**
 * A loss histogram ready to draw: bin {@code b} counts the losses in
 * {@code [b * width, (b + 1) * width)} nats; the last bin also counts every larger loss (it is
 * drawn as such).
 *
 * @param width the bin width, nats (&gt; 0)
 * @param counts the count of each bin, at least one bin
 */
public record Histogram(double width, long[] counts) {
  public Histogram {
    if (!(width > 0) || counts.length == 0) {
      throw new IllegalArgumentException("a histogram needs a positive width and a bin, got width "
          + width + " and " + counts.length + " bins");
    }
  }

  /** The number of bins. */
  public int bins() {
    return counts.length;
  }

  /** The losses counted, over all bins. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }
}
