package org.ohemspark.core;

/**
 * Finds the exact k-th largest loss from {@link LossHistogram}s built level by level, so that
 * whoever holds the data (a Spark job, or one image's array) only ever builds histograms and the
 * searcher only ever holds one: memory O(bins), never O(values).
 *
 * <p>Protocol: {@code h = search.histogram()}; add every value to {@code h} (any number of
 * partial histograms merged); {@code search.offer(h)}; repeat while it returns false; then
 * {@link #result()}. At most four levels; it stops early as soon as the bin holding the k-th
 * value has a single distinct value (min equals max), which is the case for ties.
 */
public final class TopKSearch {
  private final long k;
  private LossHistogram range = LossHistogram.firstLevel();
  private long countAbove;
  private double sumAbove;
  private TopK result;
  private int levels;

  /**
   * @param k how many largest values to describe, {@code k >= 1}
   * @throws IllegalArgumentException if {@code k < 1}
   */
  public TopKSearch(long k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.k = k;
  }

  /** An empty histogram over the range the next pass must count. */
  public LossHistogram histogram() {
    if (result != null) {
      throw new IllegalStateException("search is finished");
    }
    return range.emptyCopy();
  }

  /**
   * Takes the merged histogram of all values for the current range.
   *
   * @return true when the k-th value is resolved
   * @throws IllegalStateException if fewer than k values were counted in total
   */
  public boolean offer(LossHistogram merged) {
    levels++;
    long cum = countAbove;
    double sumAcc = sumAbove;
    for (int b = LossHistogram.BINS - 1; b >= 0; b--) {
      long c = merged.count(b);
      if (c == 0) {
        continue;
      }
      if (cum + c >= k) {
        if (merged.isLastLevel() || merged.min(b) == merged.max(b)) {
          result = new TopK(k, merged.min(b), cum, sumAcc, c);
          return true;
        }
        countAbove = cum;
        sumAbove = sumAcc;
        range = merged.refine(b);
        return false;
      }
      cum += c;
      sumAcc += merged.sum(b);
    }
    throw new IllegalStateException("top-k of " + k + " asked, but only " + cum
        + " values were counted");
  }

  /** The resolved top-k, or null while the search goes on. */
  public TopK result() {
    return result;
  }

  /** Histogram levels offered so far (passes over the data). */
  public int levels() {
    return levels;
  }

  /** Resolves the top-k of the valid losses of one image (image scope). */
  public static TopK of(ImageLosses img, int ignoreIndex, long k) {
    TopKSearch s = new TopKSearch(k);
    while (true) {
      LossHistogram h = s.histogram();
      h.addValid(img, ignoreIndex);
      if (s.offer(h)) {
        return s.result();
      }
    }
  }

  /** Resolves the top-k of one in-memory array of valid losses. */
  public static TopK of(double[] losses, int[] labels, int ignoreIndex, long k) {
    TopKSearch s = new TopKSearch(k);
    while (true) {
      LossHistogram h = s.histogram();
      h.addValid(losses, labels, ignoreIndex);
      if (s.offer(h)) {
        return s.result();
      }
    }
  }
}
