package org.ohemspark.core;

import java.io.Serializable;

/**
 * The OHEM rule applied to one group (the dataset, or one image): the figures of
 * {@code shared/golden/README.md}.
 *
 * @param mean mean loss over kept pixels in nats; {@code null} where PyTorch returns NaN
 *     (nothing kept: no valid pixel, or {@code n_min = 0} and no hard pixel)
 * @param nValid pixels whose label is not the ignore index
 * @param nMin {@code n_valid // factor}
 * @param nHard valid pixels with {@code loss > -ln(thresh)}
 * @param nKept pixels kept ({@code n_hard}, or {@code n_min} on the top-k branch)
 * @param usedTopk whether {@code n_hard < n_min} so the {@code n_min} largest were kept
 * @param kthLoss the smallest kept loss on the top-k branch, else {@code null}
 * @param lossThreshold {@code -ln(thresh)}
 * @param rule which pixels are kept
 */
public record OhemOutcome(Double mean, long nValid, long nMin, long nHard, long nKept,
    boolean usedTopk, Double kthLoss, double lossThreshold, KeepRule rule)
    implements Serializable {

  /** {@code "OK"} when a mean exists, {@code "EMPTY"} when PyTorch would give NaN. */
  public String status() {
    return mean == null ? "EMPTY" : "OK";
  }

  /**
   * Applies the rule to a group's first-pass figures.
   *
   * @param topk the top-{@code n_min} of the group's valid losses; needed only when
   *     {@link #needsTopK} is true, else ignored (may be null)
   */
  public static OhemOutcome of(OhemParams params, long nValid, long nHard, double sumHard,
      TopK topk) {
    long nMin = params.nMin(nValid);
    double t = params.lossThreshold();
    if (nHard < nMin) {
      if (topk == null || topk.k() != nMin) {
        throw new IllegalArgumentException("the top-" + nMin + " is needed");
      }
      return new OhemOutcome(topk.mean(), nValid, nMin, nHard, nMin, true, topk.kth(), t,
          new KeepRule(topk.kth(), topk.tiesKept()));
    }
    if (nHard == 0) {
      return new OhemOutcome(null, nValid, nMin, 0, 0, false, null, t, KeepRule.NONE);
    }
    return new OhemOutcome(sumHard / nHard, nValid, nMin, nHard, nHard, false, null, t,
        new KeepRule(t, 0));
  }

  /** Whether the rule takes the top-k branch for these counts ({@code n_hard < n_min}). */
  public static boolean needsTopK(OhemParams params, long nValid, long nHard) {
    return nHard < params.nMin(nValid);
  }

  /** The OHEM rule over one image alone ({@code --group-by image}). */
  public static OhemOutcome ofImage(OhemParams params, ImageLosses img) {
    TopK topk = null;
    if (needsTopK(params, img.nValid(), img.nHard())) {
      topk = TopKSearch.of(img, params.ignoreIndex(), params.nMin(img.nValid()));
    }
    return of(params, img.nValid(), img.nHard(), img.sumHard(), topk);
  }
}
