package org.ohemspark.core;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A mergeable histogram of non-negative losses over a range of their IEEE-754 bit patterns.
 *
 * <p>For non-negative doubles the order of values equals the order of
 * {@link Double#doubleToRawLongBits} read as integers, so bins over bit patterns are bins over
 * value ranges with exact edges. The histogram has {@value #BINS} bins; bin {@code b} holds the
 * patterns {@code [lo + b * 2^shift, lo + (b + 1) * 2^shift)}. The first level covers every
 * non-negative double ({@code lo = 0, shift = 47}); {@link #refine(int)} gives the next level
 * inside one bin (16 more bits; the fourth level has only the 2^15 bins of its parent's width),
 * so four levels resolve a double exactly. Each bin keeps the
 * count, sum, min and max of its values; a bin whose min equals its max holds one distinct value.
 *
 * <p>Histograms of disjoint data over the same range {@link #merge} by adding: they are the
 * partial state of a distributed aggregation (partition, then tree merge). Java serialization
 * writes only the non-empty bins. See {@code shared/notes/TOPK.md}.
 */
public final class LossHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bits resolved per level. */
  public static final int BITS = 16;
  /** Bins per histogram, {@code 2^BITS}. */
  public static final int BINS = 1 << BITS;

  private final long lo;
  private final int shift;
  /** Bins in use: 2^16, but fewer where the parent bin is narrower (the last level). */
  private final int bins;
  private transient long[] count;
  private transient double[] sum;
  private transient double[] min;
  private transient double[] max;

  private LossHistogram(long lo, int shift, int bins) {
    this.lo = lo;
    this.shift = shift;
    this.bins = bins;
    allocate();
  }

  private void allocate() {
    count = new long[BINS];
    sum = new double[BINS];
    min = new double[BINS];
    max = new double[BINS];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  /** An empty first-level histogram over all non-negative doubles. */
  public static LossHistogram firstLevel() {
    return new LossHistogram(0L, 63 - BITS, BINS);
  }

  /**
   * An empty histogram of {@value #BINS} bins of {@code 2^shift} patterns each from pattern
   * {@code lo} ({@link LossSketch}'s range); values outside are not counted.
   */
  static LossHistogram over(long lo, int shift) {
    return new LossHistogram(lo, shift, BINS);
  }

  /** Bins of this histogram. */
  public int bins() {
    return bins;
  }

  /** An empty histogram over the same range as this one. */
  public LossHistogram emptyCopy() {
    return new LossHistogram(lo, shift, bins);
  }

  /**
   * An empty histogram over the patterns of bin {@code b} of this one, 16 bits finer.
   *
   * @throws IllegalStateException at the last level (a bin is one pattern)
   */
  public LossHistogram refine(int b) {
    if (shift == 0) {
      throw new IllegalStateException("a last-level bin holds a single value");
    }
    int next = Math.max(shift - BITS, 0);
    return new LossHistogram(lo + ((long) b << shift), next, 1 << (shift - next));
  }

  /** Whether bins of this histogram are single bit patterns (values). */
  public boolean isLastLevel() {
    return shift == 0;
  }

  /** Adds a loss; a loss outside this histogram's range is not counted. */
  public void add(double loss) {
    long bits = Double.doubleToRawLongBits(loss);
    if (bits < lo) {
      return;
    }
    long rel = (bits - lo) >>> shift;
    if (rel >= bins) {
      return;
    }
    int b = (int) rel;
    count[b]++;
    sum[b] += loss;
    if (loss < min[b]) {
      min[b] = loss;
    }
    if (loss > max[b]) {
      max[b] = loss;
    }
  }

  /**
   * Adds the losses of the valid pixels of one image ({@code labels[i] != ignoreIndex}).
   */
  public void addValid(double[] losses, int[] labels, int ignoreIndex) {
    for (int i = 0; i < losses.length; i++) {
      if (labels[i] != ignoreIndex) {
        add(losses[i]);
      }
    }
  }

  /** Adds the losses of the valid pixels of one image ({@code img.label(i) != ignoreIndex}). */
  public void addValid(ImageLosses img, int ignoreIndex) {
    double[] losses = img.losses();
    for (int i = 0; i < losses.length; i++) {
      if (img.label(i) != ignoreIndex) {
        add(losses[i]);
      }
    }
  }

  /**
   * Adds {@code other} into this histogram and returns this.
   *
   * @throws IllegalArgumentException if the two cover different ranges
   */
  public LossHistogram merge(LossHistogram other) {
    if (other.lo != lo || other.shift != shift || other.bins != bins) {
      throw new IllegalArgumentException("cannot merge histograms over different ranges");
    }
    for (int b = 0; b < BINS; b++) {
      if (other.count[b] != 0) {
        count[b] += other.count[b];
        sum[b] += other.sum[b];
        min[b] = Math.min(min[b], other.min[b]);
        max[b] = Math.max(max[b], other.max[b]);
      }
    }
    return this;
  }

  public long count(int b) {
    return count[b];
  }

  public double sum(int b) {
    return sum[b];
  }

  public double min(int b) {
    return min[b];
  }

  public double max(int b) {
    return max[b];
  }

  /** Total number of values counted. */
  public long total() {
    long t = 0;
    for (long c : count) {
      t += c;
    }
    return t;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    int nonEmpty = 0;
    for (long c : count) {
      if (c != 0) {
        nonEmpty++;
      }
    }
    out.writeInt(nonEmpty);
    for (int b = 0; b < BINS; b++) {
      if (count[b] != 0) {
        out.writeInt(b);
        out.writeLong(count[b]);
        out.writeDouble(sum[b]);
        out.writeDouble(min[b]);
        out.writeDouble(max[b]);
      }
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    allocate();
    int nonEmpty = in.readInt();
    for (int i = 0; i < nonEmpty; i++) {
      int b = in.readInt();
      count[b] = in.readLong();
      sum[b] = in.readDouble();
      min[b] = in.readDouble();
      max[b] = in.readDouble();
    }
  }
}
