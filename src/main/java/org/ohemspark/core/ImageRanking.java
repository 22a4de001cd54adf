package org.ohemspark.core;

import java.io.Serializable;
import java.util.Comparator;

/**
 * The one definition of the order of images in {@code images/}'s {@code rank}: the image
 * contributing most to the OHEM loss first, i.e. {@code kept_loss_sum} (the sum of its kept
 * pixels' losses, nats) descending, ties broken by {@code image_id} ascending. Rank 1 is the
 * first image; ranks are dense, {@code 1..n_images}, since ids are unique.
 *
 * <p>Sums compare as {@link Double#compare} after adding {@code 0.0} (so {@code -0.0} equals
 * {@code 0.0}, and NaN is the largest), ids by Unicode code point: both as Spark SQL orders
 * {@code double} and {@code string} columns (binary UTF-8 order), so a Spark sort on
 * {@link #SUM_COLUMN} descending and {@link #ID_COLUMN} ascending gives this order too.
 */
public final class ImageRanking {
  private ImageRanking() {}

  /** The column of {@code images/} ordered first, descending. */
  public static final String SUM_COLUMN = "kept_loss_sum";

  /** The column of {@code images/} breaking ties, ascending. */
  public static final String ID_COLUMN = "image_id";

  /**
   * An image's sort key: its {@code kept_loss_sum} (nats) and its id. A class, not a record:
   * Spark's Kryo cannot build its field serializer for records (the keys are shuffled).
   */
  public static final class Key implements Comparable<Key>, Serializable {
    private static final long serialVersionUID = 1L;
    private final double keptLossSum;
    private final String imageId;

    public Key(double keptLossSum, String imageId) {
      this.keptLossSum = keptLossSum;
      this.imageId = imageId;
    }

    public double keptLossSum() {
      return keptLossSum;
    }

    public String imageId() {
      return imageId;
    }

    @Override
    public int compareTo(Key o) {
      return compare(keptLossSum, imageId, o.keptLossSum, o.imageId);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && compareTo(k) == 0;
    }

    @Override
    public int hashCode() {
      return Double.hashCode(keptLossSum + 0.0) * 31 + imageId.hashCode();
    }

    @Override
    public String toString() {
      return "(" + keptLossSum + ", " + imageId + ")";
    }
  }

  /** {@link #compare} over {@link Key}s; serializable (Spark sorts and partitions with it). */
  public static final Comparator<Key> ORDER = new KeyOrder();

  /**
   * Negative when image {@code a} ranks before image {@code b} (a smaller rank), positive when
   * after, 0 only for equal sums and ids.
   */
  public static int compare(double sumA, String idA, double sumB, String idB) {
    int c = Double.compare(sumB + 0.0, sumA + 0.0); // descending; -0.0 + 0.0 is 0.0
    return c != 0 ? c : compareIds(idA, idB);
  }

  /** Ids by code point (as UTF-8 bytes compare), not by UTF-16 unit as {@code String} does. */
  static int compareIds(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static final class KeyOrder implements Comparator<Key>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Key a, Key b) {
      return a.compareTo(b);
    }
  }
}
