package org.ohemspark.ml;

import java.util.List;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.ohemspark.core.ClassReport;
import org.ohemspark.mining.MiningSummary;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.source.FrameShards;

/**
 * The OHEM cross-entropy of a DataFrame of images as a Spark ML {@link Evaluator}, computed on
 * the executors by the job's engine ({@link OhemMiner}): no pixel reaches the driver.
 *
 * <p>Input: a DataFrame in the shard schema ({@code org.ohemspark.source.ShardSchema}: what
 * {@code spark.read().parquet(shardsDir)} gives for the shards {@code jobs/ohem-ingest.sh}
 * writes): one row per image, logits {@code [C, h, w]} and labels {@code [H, W]} (after the label
 * convention). The columns of the image id, logits and labels may have other names
 * ({@code imageIdCol}, {@code logitsCol}, {@code labelsCol}).
 *
 * <p>{@code metricName}: {@code ohem} (default: the OHEM mean in nats, the job's
 * {@code summary.json} {@code mean}; NaN where the job's status is {@code EMPTY}, as PyTorch),
 * {@code mean_loss} (mean loss of all valid pixels), {@code miou} (mean IoU of the argmax
 * against the labels over classes with one) or {@code kept_fraction} ({@code n_kept /
 * n_valid}). Only {@code miou} is larger-is-better. The other params are {@link StageParams}',
 * {@code groupBy} ({@code dataset} | {@code image} | {@code batch}, by the frame's {@code batch}
 * column) and {@code topk} ({@code exact} |
 * {@code approx}: one pass, nothing cached, the OHEM mean an estimate within guaranteed bounds,
 * {@link OhemMiner#estimate}).
 *
 * <p>Persistence: {@link #save} and {@link #load} (Spark's params metadata format).
 *
 * @throws org.apache.spark.SparkException from {@link #evaluate} when a row is a bad record
 *     (its message names the image id and the value)
 */
public final class OhemEvaluator extends Evaluator implements DefaultParamsWritable,
    SharedParamSetters<OhemEvaluator> {
  private static final long serialVersionUID = 1L;
  private static final List<String> METRICS = List.of("ohem", "mean_loss", "miou",
      "kept_fraction");

  private final String uid;
  private final DoubleParam thresh;
  private final IntParam factor;
  private final LongParam minKept;
  private final IntParam ignoreIndex;
  private final DoubleArrayParam classWeights;
  private final DoubleParam labelSmoothing;
  private final BooleanParam alignCorners;
  private final Param<String> groupBy;
  private final Param<String> metricName;
  private final Param<String> topk;
  private final Param<String> imageIdCol;
  private final Param<String> logitsCol;
  private final Param<String> labelsCol;

  public OhemEvaluator() {
    this(Identifiable.randomUID("ohemEvaluator"));
  }

  /** With a given uid (Spark's persistence calls this). */
  public OhemEvaluator(String uid) {
    this.uid = uid;
    thresh = StageParams.thresh(this);
    factor = StageParams.factor(this);
    minKept = StageParams.minKept(this);
    ignoreIndex = StageParams.ignoreIndex(this);
    classWeights = StageParams.classWeights(this);
    labelSmoothing = StageParams.labelSmoothing(this);
    alignCorners = StageParams.alignCorners(this);
    groupBy = StageParams.groupByParam(this);
    metricName = new Param<>(this, "metricName", "ohem (the OHEM mean), mean_loss, miou or "
        + "kept_fraction", ParamValidators.inArray(METRICS));
    topk = new Param<>(this, "topk", "exact (the losses cached, the k-th found exactly) or "
        + "approx (one pass, nothing cached: the ohem metric is an estimate within guaranteed "
        + "bounds, OhemMiner.estimate; dataset scope only)",
        ParamValidators.inArray(List.of("exact", "approx")));
    imageIdCol = StageParams.column(this, "imageIdCol", "the image ids");
    logitsCol = StageParams.column(this, "logitsCol", "the logits");
    labelsCol = StageParams.column(this, "labelsCol", "the labels");
    StageParams.setDefaults(this);
    setDefault(groupBy, "dataset");
    setDefault(metricName, "ohem");
    setDefault(topk, "exact");
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * The metric over every row of {@code dataset}, computed on the executors.
   *
   * @throws IllegalArgumentException when the DataFrame is not in the shard schema, a named
   *     column is missing, or factor is 0 without minKept
   */
  @Override
  public double evaluate(Dataset<?> dataset) {
    FrameShards source = new FrameShards(StageParams.canonical(this, dataset));
    OhemMiner miner = OhemMiner.on(dataset.sparkSession())
        .params(StageParams.ohemParams(this)).groupBy(StageParams.grouping(this));
    if (getOrDefault(topk).equals("approx")) {
      OhemMiner.Estimate e = miner.estimate(source);
      return metric(getMetricName(), e.summary(), e.miou(), e.meanLoss());
    }
    try (OhemMiner.Result r = miner.mine(source)) {
      double sum = 0;
      long n = 0;
      for (ClassReport.ClassRow row : r.classReport().classes()) {
        if (row.meanLoss() != null) {
          sum += row.meanLoss() * row.nValid();
          n += row.nValid();
        }
      }
      return metric(getMetricName(), r.summary(), r.classReport().miou(),
          n == 0 ? null : sum / n);
    }
  }

  /** The metric of one run; NaN where it has no value (as PyTorch's mean of nothing). */
  static double metric(String name, MiningSummary s, Double miou, Double meanLoss) {
    switch (name) {
      case "ohem":
        return s.mean() == null ? Double.NaN : s.mean();
      case "kept_fraction":
        return s.nValid() == 0 ? Double.NaN : (double) s.nKept() / s.nValid();
      case "miou":
        return miou == null ? Double.NaN : miou;
      case "mean_loss":
        return meanLoss == null ? Double.NaN : meanLoss;
      default:
        throw new IllegalArgumentException("unknown metricName " + name);
    }
  }

  /** Only {@code miou} grows as the model gets better. */
  @Override
  public boolean isLargerBetter() {
    return getMetricName().equals("miou");
  }

  @Override
  public OhemEvaluator copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Spark's reader of a saved evaluator (used by {@code Pipeline} loading). */
  public static MLReader<OhemEvaluator> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads an evaluator saved with {@link #save}. */
  public static OhemEvaluator load(String path) {
    return read().load(path);
  }

  // ----- params, their getters and fluent setters -----

  public DoubleParam thresh() {
    return thresh;
  }

  public IntParam factor() {
    return factor;
  }

  public LongParam minKept() {
    return minKept;
  }

  public IntParam ignoreIndex() {
    return ignoreIndex;
  }

  public DoubleArrayParam classWeights() {
    return classWeights;
  }

  public DoubleParam labelSmoothing() {
    return labelSmoothing;
  }

  public BooleanParam alignCorners() {
    return alignCorners;
  }

  public Param<String> groupBy() {
    return groupBy;
  }

  public Param<String> metricName() {
    return metricName;
  }

  public Param<String> topk() {
    return topk;
  }

  public Param<String> imageIdCol() {
    return imageIdCol;
  }

  public Param<String> logitsCol() {
    return logitsCol;
  }

  public Param<String> labelsCol() {
    return labelsCol;
  }

  public String getMetricName() {
    return getOrDefault(metricName);
  }

  /** {@code dataset}, {@code image} or {@code batch} (the frame's {@code batch} column). */
  public OhemEvaluator setGroupBy(String v) {
    set(groupBy, v);
    return this;
  }

  /** {@code ohem}, {@code mean_loss}, {@code miou} or {@code kept_fraction}. */
  public OhemEvaluator setMetricName(String v) {
    set(metricName, v);
    return this;
  }

  /** {@code exact} or {@code approx} ({@code --topk}). */
  public OhemEvaluator setTopk(String v) {
    set(topk, v);
    return this;
  }
}
