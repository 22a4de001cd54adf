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
 *   <li>{@code factor}: {@code n_min = n_valid / factor} (integer division), factor &ge; 1.</li>
 *   <li>{@code ignoreIndex}: label value whose pixels have loss 0 and are never counted or kept.</li>
 *   <li>{@code classWeights}: optional per-class weights {@code w[y]} (PyTorch's
 *       {@code weight=}); the per-pixel loss becomes {@code w[y] * nll} and the OHEM mean is the
 *       plain mean of kept losses. {@code null} means all ones.</li>
 * </ul>
 *
 * @throws IllegalArgumentException from the constructor when a value is out of range
 */
public record OhemParams(double thresh, int factor, int ignoreIndex, double[] classWeights)
    implements Serializable {

  /** Defaults of the reference: thresh 0.7, factor 16, ignore index 255, no class weights. */
  public static final OhemParams DEFAULTS = new OhemParams(0.7, 16, 255, null);

  public OhemParams {
    if (!(thresh > 0.0 && thresh <= 1.0)) {
      throw new IllegalArgumentException("thresh must be in (0, 1], got " + thresh);
    }
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be >= 1, got " + factor);
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

  /** {@code n_min = n_valid // factor}. */
  public long nMin(long nValid) {
    return nValid / factor;
  }

  /** Weight of class {@code c} (1.0 without class weights). */
  public double weight(int c) {
    return classWeights == null ? 1.0 : classWeights[c];
  }

  public OhemParams withThresh(double t) {
    return new OhemParams(t, factor, ignoreIndex, classWeights);
  }

  public OhemParams withFactor(int f) {
    return new OhemParams(thresh, f, ignoreIndex, classWeights);
  }

  public OhemParams withIgnoreIndex(int i) {
    return new OhemParams(thresh, factor, i, classWeights);
  }

  public OhemParams withClassWeights(double[] w) {
    return new OhemParams(thresh, factor, ignoreIndex, w);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OhemParams p
        && Double.compare(p.thresh, thresh) == 0
        && p.factor == factor
        && p.ignoreIndex == ignoreIndex
        && Arrays.equals(p.classWeights, classWeights);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(thresh) * 31 * 31 + factor * 31 + ignoreIndex
        + Arrays.hashCode(classWeights);
  }

  @Override
  public String toString() {
    return "OhemParams[thresh=" + thresh + ", factor=" + factor + ", ignoreIndex=" + ignoreIndex
        + ", classWeights=" + Arrays.toString(classWeights) + "]";
  }
}
