package org.ohemspark.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-class counts of the valid pixels of some images, a mergeable O(C) state (as a sketch's
 * {@code update} / {@code merge}): for each class {@code c},
 *
 * <pre>
 *   n_valid[c]      pixels whose label is c
 *   n_predicted[c]  valid pixels whose predicted class (argmax) is c
 *   n_correct[c]    valid pixels whose label and prediction are both c
 *   loss_sum[c]     sum of the losses (nats) of the pixels labelled c
 * </pre>
 *
 * Ignored pixels count nowhere. {@code loss_sum} is summed per image in pixel order, in double,
 * and the images' sums are added exactly ({@link ExactSum}), as the dataset's own sums are, so
 * the totals do not depend on how images fall into tasks or in which order partial states merge.
 * Classes are {@code [0, C)} with {@code C} the largest class count of the images added (a state
 * grows to the other's {@code C} when merged). The per-image walk reuses one scratch array per
 * state: a state is for one thread.
 */
public final class ClassTotals implements Serializable {
  private static final long serialVersionUID = 1L;

  private long[] nValid = new long[0];
  private long[] nPredicted = new long[0];
  private long[] nCorrect = new long[0];
  private ExactSum[] lossSum = new ExactSum[0];
  /** Per-image sums by class, reused ({@code null} after deserialization: rebuilt). */
  private transient double[] imageSum;

  /**
   * Adds the valid pixels of one image.
   *
   * @param ignoreIndex the label of ignored pixels
   */
  public ClassTotals add(ImageLosses img, int ignoreIndex) {
    int c = img.classes();
    grow(c);
    if (imageSum == null || imageSum.length < c) {
      imageSum = new double[c];
    }
    double[] sums = imageSum;
    Arrays.fill(sums, 0, c, 0.0);
    boolean[] seen = new boolean[c];
    double[] losses = img.losses();
    for (int i = 0; i < losses.length; i++) {
      int label = img.label(i);
      if (label == ignoreIndex) {
        continue;
      }
      int p = img.predicted(i);
      nValid[label]++;
      nPredicted[p]++;
      if (p == label) {
        nCorrect[label]++;
      }
      sums[label] += losses[i];
      seen[label] = true;
    }
    for (int k = 0; k < c; k++) {
      if (seen[k]) {
        lossSum[k].add(sums[k]);
      }
    }
    return this;
  }

  /** Adds the counts and sums of {@code o}; returns this. */
  public ClassTotals merge(ClassTotals o) {
    grow(o.classes());
    for (int k = 0; k < o.classes(); k++) {
      nValid[k] += o.nValid[k];
      nPredicted[k] += o.nPredicted[k];
      nCorrect[k] += o.nCorrect[k];
      lossSum[k].merge(o.lossSum[k]);
    }
    return this;
  }

  private void grow(int c) {
    int old = nValid.length;
    if (c <= old) {
      return;
    }
    nValid = Arrays.copyOf(nValid, c);
    nPredicted = Arrays.copyOf(nPredicted, c);
    nCorrect = Arrays.copyOf(nCorrect, c);
    lossSum = Arrays.copyOf(lossSum, c);
    for (int k = old; k < c; k++) {
      lossSum[k] = new ExactSum();
    }
  }

  /** {@code C}: the largest class count of the images added (0 when none). */
  public int classes() {
    return nValid.length;
  }

  /** Pixels labelled {@code c}. */
  public long nValid(int c) {
    return nValid[c];
  }

  /** Valid pixels predicted {@code c}. */
  public long nPredicted(int c) {
    return nPredicted[c];
  }

  /** Valid pixels labelled and predicted {@code c}. */
  public long nCorrect(int c) {
    return nCorrect[c];
  }

  /** Sum of the losses of the pixels labelled {@code c}, nats, rounded once. */
  public double lossSum(int c) {
    return lossSum[c].toDouble();
  }
}
