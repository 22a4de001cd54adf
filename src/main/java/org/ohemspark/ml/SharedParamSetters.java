package org.ohemspark.ml;

import org.apache.spark.ml.param.Params;

/**
 * The fluent setters and getters of the Params both ML stages share ({@link StageParams}), made
 * once: each stage keeps only its Param fields and their accessors ({@code thresh()}, ...),
 * which Spark ML finds by reflection on the stage's class, and inherits these. {@code T} is the
 * stage, so {@code new OhemEvaluator().setThresh(0.5).setMetricName("miou")} chains.
 *
 * <p>Values are checked by each Param's validator when set: an invalid one throws
 * {@link IllegalArgumentException} naming the param (Spark's message).
 *
 * @param <T> the stage that implements this
 */
public interface SharedParamSetters<T extends SharedParamSetters<T>> extends Params {

  /** This stage, as its own type. */
  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  private T put(String name, Object value) {
    set(getParam(name), value);
    return self();
  }

  /** Probability threshold: hard pixels have loss &gt; -ln(thresh); in (0, 1]. */
  default T setThresh(double v) {
    return put("thresh", v);
  }

  /** {@code n_min = n_valid // factor}; 0 drops the fraction and needs {@code minKept}. */
  default T setFactor(int v) {
    return put("factor", v);
  }

  /** The least {@code n_min} ({@code --min-kept}). */
  default T setMinKept(long v) {
    return put("minKept", v);
  }

  /** The label whose pixels are ignored. */
  default T setIgnoreIndex(int v) {
    return put("ignoreIndex", v);
  }

  /** Per-class loss weights {@code w[c]}, in class order, as PyTorch's {@code weight=}. */
  default T setClassWeights(double[] v) {
    return put("classWeights", v);
  }

  /** Label smoothing {@code E} of {@code nn.CrossEntropyLoss(label_smoothing=E)}. */
  default T setLabelSmoothing(double v) {
    return put("labelSmoothing", v);
  }

  /** Resize smaller logits as {@code F.interpolate(..., align_corners=True)}. */
  default T setAlignCorners(boolean v) {
    return put("alignCorners", v);
  }

  /** The input column of the image ids. */
  default T setImageIdCol(String v) {
    return put("imageIdCol", v);
  }

  /** The input column of the logits. */
  default T setLogitsCol(String v) {
    return put("logitsCol", v);
  }

  /** The input column of the labels. */
  default T setLabelsCol(String v) {
    return put("labelsCol", v);
  }

  /** The threshold set, or its default. */
  default double getThresh() {
    return (Double) getOrDefault(getParam("thresh"));
  }

  /** The factor set, or its default. */
  default int getFactor() {
    return (Integer) getOrDefault(getParam("factor"));
  }

  /** {@code minKept} set, or its default. */
  default long getMinKept() {
    return (Long) getOrDefault(getParam("minKept"));
  }

  /** The ignore index set, or its default. */
  default int getIgnoreIndex() {
    return (Integer) getOrDefault(getParam("ignoreIndex"));
  }
}
