package org.ohemspark.core;

import java.io.Serializable;

/**
 * The exact {@code k} largest of a multiset of non-negative losses, described without listing
 * them: the k-th largest value {@code kth}, how many values are strictly greater
 * ({@code countGreater < k}) and their sum, and how many equal {@code kth}
 * ({@code countGreater + countEqual >= k}).
 *
 * <p>The mean of the k largest is {@code (sumGreater + (k - countGreater) * kth) / k}, which is
 * the mean of {@code torch.topk(loss, k).values} whatever order ties are taken in.
 */
public record TopK(long k, double kth, long countGreater, double sumGreater, long countEqual)
    implements Serializable {

  /** How many of the values equal to {@code kth} are among the k largest. */
  public long tiesKept() {
    return k - countGreater;
  }

  /** Mean of the k largest values. */
  public double mean() {
    return (sumGreater + tiesKept() * kth) / k;
  }
}
