package org.ohemspark.core;

import java.io.Serializable;

/**
 * A small mergeable histogram of losses for the mining report: {@value #BINS} bins of
 * {@code 1 / }{@value #PER_NAT} nat from 0, the last bin also counting every larger loss
 * (64 nats and more, and +Infinity), plus the largest loss seen. O(bins) state (16 KiB),
 * whatever the data; states of disjoint data {@link #merge} by adding, so it is the partial
 * state of a distributed aggregation. Unlike {@link LossHistogram} (bins over bit patterns, for
 * the exact top-k) its bins are equal widths in nats, which is what a chart shows.
 * {@link #coarsened} gives at most a given number of display bins up to the largest loss.
 */
public final class LossBins implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bins per nat. */
  public static final int PER_NAT = 32;
  /** Bins; the last counts every loss from {@code (BINS - 1) / PER_NAT} nats up. */
  public static final int BINS = 64 * PER_NAT;

  private final long[] count = new long[BINS];
  private double max = 0;

  /** Adds one loss (nats, &ge; 0; NaN is not counted). */
  public void add(double loss) {
    if (!(loss >= 0)) {
      return;
    }
    int b = loss >= BINS / (double) PER_NAT ? BINS - 1
        : Math.min(BINS - 1, (int) (loss * PER_NAT));
    count[b]++;
    if (loss > max) {
      max = loss;
    }
  }

  /** Adds the losses of the valid pixels of one image ({@code label != ignoreIndex}). */
  public void addValid(ImageLosses img, int ignoreIndex) {
    double[] losses = img.losses();
    for (int i = 0; i < losses.length; i++) {
      if (img.label(i) != ignoreIndex) {
        add(losses[i]);
      }
    }
  }

  /** Adds {@code o} into this state and returns this. */
  public LossBins merge(LossBins o) {
    for (int b = 0; b < BINS; b++) {
      count[b] += o.count[b];
    }
    max = Math.max(max, o.max);
    return this;
  }

  /** The count of bin {@code b}. */
  public long count(int b) {
    return count[b];
  }

  /** The largest loss added (0 when none). */
  public double max() {
    return max;
  }

  /** Losses counted. */
  public long total() {
    long t = 0;
    for (long c : count) {
      t += c;
    }
    return t;
  }

  /**
   * The counts merged {@code f} fine bins at a time, where {@code f} is the least whole factor
   * that covers the bins up to the last non-empty one in at most {@code maxBins} display bins
   * (so the chart ends at the largest loss).
   *
   * @param maxBins at most this many display bins (&ge; 1)
   */
  public Coarse coarsened(int maxBins) {
    int last = 0;
    for (int b = BINS - 1; b >= 0; b--) {
      if (count[b] != 0) {
        last = b;
        break;
      }
    }
    int f = Math.max(1, (last + maxBins) / maxBins); // ceil((last + 1) / maxBins)
    int n = last / f + 1;
    long[] out = new long[n];
    for (int b = 0; b <= last; b++) {
      out[b / f] += count[b];
    }
    return new Coarse((double) f / PER_NAT, out);
  }

  /**
   * Display bins: bin {@code i} counts losses in {@code [i * width, (i + 1) * width)} nats, the
   * last one also every larger loss.
   */
  public record Coarse(double width, long[] counts) {}
}
