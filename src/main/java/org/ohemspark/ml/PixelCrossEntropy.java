package org.ohemspark.ml;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.mining.PixelLossColumns;

/**
 * Per-pixel softmax cross-entropy of each image as a Spark ML {@link Transformer}: to a
 * DataFrame in the shard schema (one row per image, logits {@code [C, h, w]}, labels
 * {@code [H, W]}; see {@link OhemEvaluator}) it adds {@code losses} ({@code array<double>},
 * {@code [H*W]} row-major, nats, 0 where ignored, as {@code F.cross_entropy(...,
 * reduction='none')}), {@code n_valid} and {@code mean_loss} ({@link PixelLossColumns}),
 * computed on the executors by the job's kernel. Params: {@code ignoreIndex},
 * {@code classWeights}, {@code labelSmoothing}, {@code alignCorners} and the column names
 * ({@link StageParams}); the OHEM ones ({@code thresh}, {@code factor}, {@code minKept}) are
 * there too so that one param map serves both stages, and do not change the losses.
 *
 * <p>Persistence: {@link #save} and {@link #load}.
 *
 * @throws IllegalArgumentException from {@link #transform} and {@link #transformSchema} when
 *     the frame is not in the shard schema or already has an output column
 */
public final class PixelCrossEntropy extends Transformer implements DefaultParamsWritable,
    SharedParamSetters<PixelCrossEntropy> {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final DoubleParam thresh;
  private final IntParam factor;
  private final LongParam minKept;
  private final IntParam ignoreIndex;
  private final DoubleArrayParam classWeights;
  private final DoubleParam labelSmoothing;
  private final BooleanParam alignCorners;
  private final Param<String> imageIdCol;
  private final Param<String> logitsCol;
  private final Param<String> labelsCol;

  public PixelCrossEntropy() {
    this(Identifiable.randomUID("pixelCrossEntropy"));
  }

  /** With a given uid (Spark's persistence calls this). */
  public PixelCrossEntropy(String uid) {
    this.uid = uid;
    thresh = StageParams.thresh(this);
    factor = StageParams.factor(this);
    minKept = StageParams.minKept(this);
    ignoreIndex = StageParams.ignoreIndex(this);
    classWeights = StageParams.classWeights(this);
    labelSmoothing = StageParams.labelSmoothing(this);
    alignCorners = StageParams.alignCorners(this);
    imageIdCol = StageParams.column(this, "imageIdCol", "the image ids");
    logitsCol = StageParams.column(this, "logitsCol", "the logits");
    labelsCol = StageParams.column(this, "labelsCol", "the labels");
    StageParams.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The frame with the three loss columns (lazily: computed when the result is read). */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Dataset<Row> canonical = StageParams.canonical(this, dataset);
    Dataset<Row> out = PixelLossColumns.of(canonical, StageParams.ohemParams(this));
    // the caller's column names back
    for (String[] c : new String[][] {{"imageIdCol", "image_id"}, {"logitsCol", "logits"},
        {"labelsCol", "labels"}}) {
      String given = (String) StageParams.value(this, c[0]);
      if (!given.equals(c[1])) {
        out = out.withColumnRenamed(c[1], given);
      }
    }
    return out;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return PixelLossColumns.schema(schema);
  }

  @Override
  public PixelCrossEntropy copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Spark's reader of a saved stage (used by {@code Pipeline} loading). */
  public static MLReader<PixelCrossEntropy> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a stage saved with {@link #save}. */
  public static PixelCrossEntropy load(String path) {
    return read().load(path);
  }

  // ----- params and fluent setters -----

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

  public Param<String> imageIdCol() {
    return imageIdCol;
  }

  public Param<String> logitsCol() {
    return logitsCol;
  }

  public Param<String> labelsCol() {
    return labelsCol;
  }
}
