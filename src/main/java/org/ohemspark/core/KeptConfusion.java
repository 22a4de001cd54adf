package org.ohemspark.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The kept (hard) pixels of some images counted by {@code (label, predicted)} pair, a
 * mergeable O(C^2) state: for each pair, the number of kept pixels with that label and that
 * predicted class (argmax), and the sum of their losses. Row sums are the kept pixels per label.
 *
 * <p>Which pixels are kept is each image's {@link KeepRule} ({@link KeptPixels}, ignored pixels
 * never). Loss sums are summed per image in pixel order, in double, then added exactly across
 * images ({@link ExactSum}), so the figures do not depend on the partitioning or the merge
 * order. Cells are {@code [C, C]} row-major by label, {@code C} the largest class count of the
 * images added; a cell's exact sum exists only once a pixel falls in it. A state is for one
 * thread (it reuses per-image scratch arrays).
 */
public final class KeptConfusion implements Serializable {
  private static final long serialVersionUID = 1L;

  private int classes;
  private long[] count = new long[0];
  /** Null where the cell is empty. */
  private ExactSum[] lossSum = new ExactSum[0];
  private transient long[] imageCount;
  private transient double[] imageSum;

  /** Adds the kept pixels of {@code img} under {@code rule}. */
  public KeptConfusion add(ImageLosses img, KeepRule rule, int ignoreIndex) {
    int c = img.classes();
    grow(c);
    int cells = classes * classes;
    if (imageCount == null || imageCount.length < cells) {
      imageCount = new long[cells];
      imageSum = new double[cells];
    }
    long[] n = imageCount;
    double[] s = imageSum;
    int stride = classes;
    KeptPixels.forEach(img, rule, ignoreIndex, (i, label, loss) -> {
      int cell = label * stride + img.predicted(i);
      n[cell]++;
      s[cell] += loss;
    });
    for (int k = 0; k < cells; k++) {
      if (n[k] != 0) {
        count[k] += n[k];
        if (lossSum[k] == null) {
          lossSum[k] = new ExactSum();
        }
        lossSum[k].add(s[k]);
        n[k] = 0;
        s[k] = 0;
      }
    }
    return this;
  }

  /** Adds the cells of {@code o}; returns this. */
  public KeptConfusion merge(KeptConfusion o) {
    grow(o.classes);
    for (int l = 0; l < o.classes; l++) {
      for (int p = 0; p < o.classes; p++) {
        int from = l * o.classes + p;
        if (o.count[from] == 0) {
          continue;
        }
        int to = l * classes + p;
        count[to] += o.count[from];
        if (lossSum[to] == null) {
          lossSum[to] = new ExactSum();
        }
        lossSum[to].merge(o.lossSum[from]);
      }
    }
    return this;
  }

  /** Re-lays the cells out for {@code c} classes when that is more than now. */
  private void grow(int c) {
    if (c <= classes) {
      return;
    }
    long[] nc = new long[c * c];
    ExactSum[] ns = new ExactSum[c * c];
    for (int l = 0; l < classes; l++) {
      System.arraycopy(count, l * classes, nc, l * c, classes);
      System.arraycopy(lossSum, l * classes, ns, l * c, classes);
    }
    classes = c;
    count = nc;
    lossSum = ns;
    imageCount = null;
    imageSum = null;
  }

  /** {@code C}: the largest class count of the images added (0 when none). */
  public int classes() {
    return classes;
  }

  /** Kept pixels labelled {@code label} and predicted {@code predicted}. */
  public long count(int label, int predicted) {
    return count[label * classes + predicted];
  }

  /** Sum of their losses, nats, rounded once (0 for an empty cell). */
  public double lossSum(int label, int predicted) {
    ExactSum s = lossSum[label * classes + predicted];
    return s == null ? 0.0 : s.toDouble();
  }

  /** Kept pixels labelled {@code label}, whatever their prediction. */
  public long keptOfLabel(int label) {
    long n = 0;
    for (int p = 0; p < classes; p++) {
      n += count[label * classes + p];
    }
    return n;
  }

  /** All kept pixels. */
  public long kept() {
    return Arrays.stream(count).sum();
  }
}
