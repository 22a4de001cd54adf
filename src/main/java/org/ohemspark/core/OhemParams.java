package org.ohemspark.core;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Parameters of the OHEM cross-entropy rule, as in the reference {@code OhemCELoss}
 * (see {@code shared/golden/README.md}).
 *
 * <ul>
 *   <li>{@code thresh}: probability threshold in (0, 1]; a pixel is hard when its loss is
 *       strictly greater than {@code -ln(thresh)} (nats).</li>
 *   <li>{@code factor}: {@code n_min = n_valid / factor} (integer division), factor &ge; 0;
 *       0 drops the fraction and needs {@code minKept} (see {@link #nMin}).</li>
 *   <li>{@code minKept}: the least {@code n_min} ({@code min_kept} of HRNet's and PaddleSeg's
 *       {@code OhemCrossEntropy}), 0 for none (the reference rule).</li>
 *   <li>{@code ignoreIndex}: label value whose pixels have loss 0 and are never counted or kept.</li>
 *   <li>{@code classWeights}: optional per-class weights {@code w[y]} (PyTorch's
 *       {@code weight=}); the per-pixel loss becomes {@code w[y] * nll} and the OHEM mean is the
 *       plain mean of kept losses. {@code null} means all ones.</li>
 *   <li>{@code labelSmoothing}: {@code nn.CrossEntropyLoss(label_smoothing=E)}, E in [0, 1]:
 *       the per-pixel loss becomes {@code (1 - E) * w[y] * nll + (E / C) * sum_c w[c] *
 *       (-log p_c)} (ATen's {@code cross_entropy} with {@code reduction='none'}), 0 where
 *       ignored.</li>
 *   <li>{@code alignCorners}: the bilinear resize of logits to the labels' size as
 *       {@code F.interpolate(..., align_corners=True)} ({@link BilinearAxis}); false is
 *       PyTorch's default.</li>
 * </ul>
 *
 * @throws IllegalArgumentException from the constructor when a value is out of range
 */
public record OhemParams(double thresh, int factor, int ignoreIndex, double[] classWeights,
    long minKept, double labelSmoothing, boolean alignCorners) implements Serializable {

  /**
   * Defaults of the reference: thresh 0.7, factor 16, ignore index 255, no class weights, no
   * min_kept, no label smoothing, {@code align_corners=False}.
   */
  public static final OhemParams DEFAULTS = new OhemParams(0.7, 16, 255, null);

  /** The reference rule's parameters: no min_kept, no label smoothing, no align_corners. */
  public OhemParams(double thresh, int factor, int ignoreIndex, double[] classWeights) {
    this(thresh, factor, ignoreIndex, classWeights, 0, 0.0, false);
  }

  public OhemParams {
    if (!(thresh > 0.0 && thresh <= 1.0)) {
      throw new IllegalArgumentException("thresh must be in (0, 1], got " + thresh);
    }
    if (factor < 0) {
      throw new IllegalArgumentException("factor must be >= 0, got " + factor);
    }
    if (minKept < 0) {
      throw new IllegalArgumentException("min_kept must be >= 0, got " + minKept);
    }
    if (factor == 0 && minKept == 0) {
      throw new IllegalArgumentException("factor 0 drops the fraction of n_min and needs "
          + "min_kept >= 1 (n_min = min(n_valid, min_kept)); got factor 0 and min_kept 0");
    }
    if (!(labelSmoothing >= 0.0 && labelSmoothing <= 1.0)) {
      throw new IllegalArgumentException("label_smoothing must be in [0, 1], got "
          + labelSmoothing);
    }
    if (classWeights != null) {
      classWeights = classWeights.clone();
      for (int c = 0; c < classWeights.length; c++) {
        double w = classWeights[c];
        if (!(w >= 0.0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException(
              "class weight " + c + " must be finite and >= 0, got " + w);
        }
      }
    }
  }

  /** The loss threshold {@code -ln(thresh)} in nats, computed in double as PyTorch's float64 path. */
  public double lossThreshold() {
    return -Math.log(thresh) + 0.0; // + 0.0: thresh 1 gives 0, not -0 (same comparisons)
  }

  /**
   * {@code n_min = n_valid // factor} (the reference rule); with {@code minKept} above 0,
   * {@code min(n_valid, max(n_valid // factor, min_kept))}, and with factor 0,
   * {@code min(n_valid, min_kept)} (HRNet's and PaddleSeg's count).
   */
  public long nMin(long nValid) {
    long fraction = factor == 0 ? 0 : nValid / factor;
    return minKept == 0 ? fraction : Math.min(nValid, Math.max(fraction, minKept));
  }

  /** Weight of class {@code c} (1.0 without class weights). */
  public double weight(int c) {
    return classWeights == null ? 1.0 : classWeights[c];
  }

  public OhemParams withThresh(double t) {
    return new OhemParams(t, factor, ignoreIndex, classWeights, minKept, labelSmoothing,
        alignCorners);
  }

  public OhemParams withFactor(int f) {
    return new OhemParams(thresh, f, ignoreIndex, classWeights, minKept, labelSmoothing,
        alignCorners);
  }

  public OhemParams withIgnoreIndex(int i) {
    return new OhemParams(thresh, factor, i, classWeights, minKept, labelSmoothing,
        alignCorners);
  }

  public OhemParams withClassWeights(double[] w) {
    return new OhemParams(thresh, factor, ignoreIndex, w, minKept, labelSmoothing,
        alignCorners);
  }

  /** The same with {@code min_kept} ({@link #nMin}). */
  public OhemParams withMinKept(long k) {
    return new OhemParams(thresh, factor, ignoreIndex, classWeights, k, labelSmoothing,
        alignCorners);
  }

  /** The same with label smoothing {@code e} in [0, 1]. */
  public OhemParams withLabelSmoothing(double e) {
    return new OhemParams(thresh, factor, ignoreIndex, classWeights, minKept, e, alignCorners);
  }

  /** The same with the resize's {@code align_corners}. */
  public OhemParams withAlignCorners(boolean a) {
    return new OhemParams(thresh, factor, ignoreIndex, classWeights, minKept, labelSmoothing,
        a);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OhemParams p
        && Double.compare(p.thresh, thresh) == 0
        && p.factor == factor
        && p.ignoreIndex == ignoreIndex
        && Arrays.equals(p.classWeights, classWeights)
        && p.minKept == minKept
        && Double.compare(p.labelSmoothing, labelSmoothing) == 0
        && p.alignCorners == alignCorners;
  }

  @Override
  public int hashCode() {
    return ((Double.hashCode(thresh) * 31 * 31 + factor * 31 + ignoreIndex
        + Arrays.hashCode(classWeights)) * 31 + Long.hashCode(minKept)) * 31
        + Double.hashCode(labelSmoothing) * 2 + (alignCorners ? 1 : 0);
  }

  @Override
  public String toString() {
    return "OhemParams[thresh=" + thresh + ", factor=" + factor + ", ignoreIndex=" + ignoreIndex
        + ", classWeights=" + Arrays.toString(classWeights) + ", minKept=" + minKept
        + ", labelSmoothing=" + labelSmoothing + ", alignCorners=" + alignCorners + "]";
  }
}
