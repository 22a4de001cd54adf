package org.ohemspark.core;

import java.io.Serializable;

/**
 * A one-pass, mergeable summary of the valid losses from which the top-{@code k} mean and the
 * k-th loss are bounded ({@code --topk approx}): a histogram over the losses' IEEE-754 bit
 * patterns ({@link LossHistogram}) of {@value LossHistogram#BINS} bins, 1024 per power of two
 * from {@code 2^-24} to {@code 2^40} (a bin spans at most 2^-10, 0.098%, of its values), each
 * with its count, sum, min and max, and one bin below (losses under {@code 2^-24}, 0 included)
 * and one above. 2 MB whatever the data's size; partial sketches of disjoint data
 * {@link #merge} by adding.
 *
 * <p>The bounds of {@link #topK} are guaranteed, not probabilistic: the k-th largest value lies
 * in the bin where the cumulative count from the top reaches {@code k}, so between that bin's
 * min and max; the top-k sum is the sum of the bins above plus the {@code r} largest of that
 * bin, whose sum lies between {@code max(r min, S - (c - r) max, S r / c)} and
 * {@code min(r max, S - (c - r) min)} (bin count {@code c}, sum {@code S}), widened by
 * the worst rounding of a recursive sum of {@code n} doubles, {@code (n - 1) 2^-53} of the sum of
 * their magnitudes (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 4.2), so they
 * hold whatever the order of the additions.
 */
public final class LossSketch implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Smallest loss of the fine bins: {@code 2^-24}. */
  public static final double LOWEST = 0x1p-24;
  /** Largest loss of the fine bins, exclusive: {@code 2^40}. */
  public static final double HIGHEST = 0x1p40;
  private static final int SHIFT = 42; // 52 - 10 mantissa bits per bin

  private final LossHistogram fine = LossHistogram.over(Double.doubleToRawLongBits(LOWEST),
      SHIFT);
  private final Bin below = new Bin();
  private final Bin above = new Bin();

  /** One out-of-range bin. */
  private static final class Bin implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void add(double v) {
      count++;
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }

    void merge(Bin o) {
      count += o.count;
      sum += o.sum;
      min = Math.min(min, o.min);
      max = Math.max(max, o.max);
    }
  }

  /** Adds one loss (nats, finite, {@code >= 0}). */
  public void add(double loss) {
    if (loss < LOWEST) {
      below.add(loss);
    } else if (loss >= HIGHEST) {
      above.add(loss);
    } else {
      fine.add(loss);
    }
  }

  /** Adds the losses of one image's valid pixels. */
  public void addValid(ImageLosses img, int ignoreIndex) {
    double[] losses = img.losses();
    for (int i = 0; i < losses.length; i++) {
      if (img.label(i) != ignoreIndex) {
        add(losses[i]);
      }
    }
  }

  /** Adds {@code o} (a sketch of other losses) into this one and returns this. */
  public LossSketch merge(LossSketch o) {
    fine.merge(o.fine);
    below.merge(o.below);
    above.merge(o.above);
    return this;
  }

  /** Losses added. */
  public long count() {
    return fine.total() + below.count + above.count;
  }

  /**
   * The top-{@code k} figures of the losses added.
   *
   * @param k the count kept, {@code 1 <= k <= count()}
   * @throws IllegalArgumentException for another {@code k}
   */
  public Bounds topK(long k) {
    long n = count();
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("k = " + k + " outside [1, " + n + "]");
    }
    double sumAbove = 0; // the bins above the k-th's, summed
    double magnitude = 0; // of every value summed into a bound, for the rounding term
    long before = 0;
    // the bins from the top: above, the fine bins downwards, below
    int bins = fine.bins();
    for (int i = -1; i <= bins; i++) {
      long c;
      double s;
      double mn;
      double mx;
      if (i == -1) {
        c = above.count;
        s = above.sum;
        mn = above.min;
        mx = above.max;
      } else if (i == bins) {
        c = below.count;
        s = below.sum;
        mn = below.min;
        mx = below.max;
      } else {
        int b = bins - 1 - i;
        c = fine.count(b);
        s = fine.sum(b);
        mn = fine.min(b);
        mx = fine.max(b);
      }
      if (c == 0) {
        continue;
      }
      if (before + c < k) {
        before += c;
        sumAbove += s;
        magnitude += s;
        continue;
      }
      long r = k - before;
      double kthLo = mn;
      double kthHi = mx;
      if (r == c) {
        kthHi = mn; // the r-th largest of c values is their smallest
      } else if (r == 1) {
        kthLo = mx; // and the first, their largest
      }
      double lo = Math.max(Math.max(r * mn, s - (c - r) * mx), s * ((double) r / c));
      double hi = Math.min(r * mx, s - (c - r) * mn);
      double est = Math.min(Math.max(s * ((double) r / c), lo), hi);
      double kthEst = c == 1 ? mx : mx - (mx - mn) * ((double) (r - 1) / (c - 1));
      magnitude += s;
      // rounding of the sums (every bin's, then the merges): at most (n - 1) u of the magnitudes
      double rounding = (n - 1) * 0x1p-53 * magnitude * 1.0001 + Double.MIN_NORMAL;
      return new Bounds(k, kthEst, kthLo, kthHi, (sumAbove + est) / k,
          Math.max(0, (sumAbove + lo - rounding) / k), (sumAbove + hi + rounding) / k, c);
    }
    throw new IllegalStateException("counts do not reach k = " + k);
  }

  /**
   * Bounds of the top-k of a sketch.
   *
   * @param k the count kept ({@code n_min})
   * @param kth an estimate of the k-th largest loss (by rank within its bin, linearly between
   *     the bin's max and min)
   * @param kthLo a lower bound of the exact k-th largest loss (guaranteed)
   * @param kthHi an upper bound (guaranteed)
   * @param mean an estimate of the mean of the k largest (the bin's share of its sum)
   * @param meanLo a lower bound of the exact mean of the k largest (guaranteed)
   * @param meanHi an upper bound (guaranteed)
   * @param rankError how many values share the k-th's bin: the estimate's rank is within this
   *     of {@code k}
   */
  public record Bounds(long k, double kth, double kthLo, double kthHi, double mean,
      double meanLo, double meanHi, long rankError) implements Serializable {}
}
