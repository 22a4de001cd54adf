package org.ohemspark.core;

/**
 * Walks the pixels one image keeps under a {@link KeepRule}, in {@code pixel_index} order:
 * valid pixels with {@code loss > cut}, and the first {@code tiesKept} valid pixels with
 * {@code loss == cut}. Ignored pixels are never kept.
 */
public final class KeptPixels {
  private KeptPixels() {}

  /** Receives a kept pixel: {@code pixelIndex = y * W + x}, its label and loss (nats). */
  @FunctionalInterface
  public interface Visitor {
    void accept(int pixelIndex, int label, double loss);
  }

  /** Count and sum of the kept losses of one image. */
  public record Totals(long count, double sum) {
    /** Mean kept loss, or null when nothing is kept. */
    public Double mean() {
      return count == 0 ? null : sum / count;
    }
  }

  /** Visits the kept pixels of {@code img} in ascending pixel index. */
  public static void forEach(ImageLosses img, KeepRule rule, int ignoreIndex, Visitor v) {
    final double cut = rule.cut();
    long ties = rule.tiesKept();
    final double[] losses = img.losses();
    for (int i = 0; i < losses.length; i++) {
      int label = img.label(i);
      if (label == ignoreIndex) {
        continue;
      }
      double l = losses[i];
      if (l > cut) {
        v.accept(i, label, l);
      } else if (l == cut && ties > 0) {
        ties--;
        v.accept(i, label, l);
      }
    }
  }

  /** The pixel indices {@link #forEach} visits, ascending, in an array of exactly that size. */
  public static int[] indices(ImageLosses img, KeepRule rule, int ignoreIndex) {
    int[] out = new int[(int) totals(img, rule, ignoreIndex).count()];
    int[] n = {0};
    forEach(img, rule, ignoreIndex, (i, label, loss) -> out[n[0]++] = i);
    return out;
  }

  /** Count and sum of what {@link #forEach} visits. */
  public static Totals totals(ImageLosses img, KeepRule rule, int ignoreIndex) {
    long[] n = {0};
    double[] s = {0};
    forEach(img, rule, ignoreIndex, (i, label, loss) -> {
      n[0]++;
      s[0] += loss;
    });
    return new Totals(n[0], s[0]);
  }

  /**
   * Count and sum of the losses at {@code kept} ({@link #indices}), summed in that order: the
   * same bits as {@link #totals} for the same rule.
   */
  public static Totals totals(ImageLosses img, int[] kept) {
    double[] losses = img.losses();
    double s = 0;
    for (int i : kept) {
      s += losses[i];
    }
    return new Totals(kept.length, s);
  }

  /** Number of valid pixels of {@code img} whose loss is exactly {@code value}. */
  public static long countEqual(ImageLosses img, double value, int ignoreIndex) {
    long n = 0;
    double[] losses = img.losses();
    for (int i = 0; i < losses.length; i++) {
      if (losses[i] == value && img.label(i) != ignoreIndex) {
        n++;
      }
    }
    return n;
  }
}
