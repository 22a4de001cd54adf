package org.ohemspark.ml;

import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ohemspark.core.OhemParams;
import org.ohemspark.mining.GroupBy;

/**
 * The Params both ML stages share, made once here with their docs, defaults and validators,
 * and read back into the engine's {@link OhemParams}: {@code thresh} 0.7 (in (0, 1]),
 * {@code factor} 16 (&gt;= 0; 0 needs {@code minKept}), {@code minKept} 0, {@code ignoreIndex}
 * 255, {@code classWeights} (unset: none), {@code labelSmoothing} 0 (in [0, 1]),
 * {@code alignCorners} false, and the input's column names {@code imageIdCol},
 * {@code logitsCol}, {@code labelsCol} (default {@code image_id}, {@code logits},
 * {@code labels}: the shard schema's, {@code org.ohemspark.source.ShardSchema}). The meaning of
 * each is the job's (docs/configuration.md).
 */
final class StageParams {
  private StageParams() {}

  static DoubleParam thresh(Params owner) {
    return new DoubleParam(owner, "thresh", "probability threshold: a pixel is hard when its "
        + "loss > -ln(thresh) (strict), in (0, 1]", ParamValidators.inRange(0, 1, false, true));
  }

  static IntParam factor(Params owner) {
    return new IntParam(owner, "factor", "n_min = n_valid // factor; 0 drops the fraction and "
        + "needs minKept", ParamValidators.gtEq(0));
  }

  static LongParam minKept(Params owner) {
    return new LongParam(owner, "minKept", "the least n_min: n_min = min(n_valid, "
        + "max(n_valid // factor, minKept)); with factor 0, min(n_valid, minKept)",
        ParamValidators.gtEq(0));
  }

  static IntParam ignoreIndex(Params owner) {
    return new IntParam(owner, "ignoreIndex", "label whose pixels are ignored (loss 0, never "
        + "counted or kept)");
  }

  static DoubleArrayParam classWeights(Params owner) {
    return new DoubleArrayParam(owner, "classWeights", "per-class loss weights w[c] in class "
        + "order, as PyTorch's weight= (unset: none)");
  }

  static DoubleParam labelSmoothing(Params owner) {
    return new DoubleParam(owner, "labelSmoothing", "label smoothing E of "
        + "nn.CrossEntropyLoss(label_smoothing=E), in [0, 1]",
        ParamValidators.inRange(0, 1, true, true));
  }

  static BooleanParam alignCorners(Params owner) {
    return new BooleanParam(owner, "alignCorners", "resize smaller logits to the labels as "
        + "F.interpolate(..., align_corners=True)");
  }

  static Param<String> groupByParam(Params owner) {
    return new Param<>(owner, "groupBy", "the OHEM rule over the whole dataset as one batch "
        + "(dataset), over each image alone (image), or over each training batch, by the "
        + "frame's batch column (batch)",
        ParamValidators.inArray(List.of("dataset", "image", "batch")));
  }

  static Param<String> column(Params owner, String name, String what) {
    return new Param<>(owner, name, "input column of " + what + " (shard schema)");
  }

  /** Sets the shared defaults on {@code p}, whose params these are. */
  static void setDefaults(Params p) {
    p.setDefault(p.getParam("thresh"), 0.7);
    p.setDefault(p.getParam("factor"), 16);
    p.setDefault(p.getParam("minKept"), 0L);
    p.setDefault(p.getParam("ignoreIndex"), 255);
    p.setDefault(p.getParam("labelSmoothing"), 0.0);
    p.setDefault(p.getParam("alignCorners"), false);
    p.setDefault(p.getParam("imageIdCol"), "image_id");
    p.setDefault(p.getParam("logitsCol"), "logits");
    p.setDefault(p.getParam("labelsCol"), "labels");
  }

  /**
   * The engine's parameters from a stage's values.
   *
   * @throws IllegalArgumentException for a combination no single param refuses (factor 0
   *     without minKept)
   */
  static OhemParams ohemParams(Params p) {
    double[] weights = p.isDefined(p.getParam("classWeights"))
        ? (double[]) p.getOrDefault(p.getParam("classWeights")) : null;
    return new OhemParams((Double) value(p, "thresh"), (Integer) value(p, "factor"),
        (Integer) value(p, "ignoreIndex"), weights, (Long) value(p, "minKept"),
        (Double) value(p, "labelSmoothing"), (Boolean) value(p, "alignCorners"));
  }

  /** The stage's grouping. */
  static GroupBy grouping(Params p) {
    return GroupBy.parse((String) value(p, "groupBy"));
  }

  /**
   * The frame with the stage's column names as the shard schema's ({@code image_id},
   * {@code logits}, {@code labels}).
   *
   * @throws IllegalArgumentException when a named column is missing, or a frame holds both a
   *     renamed column and one of the shard schema's name
   */
  static Dataset<Row> canonical(Params p, Dataset<?> frame) {
    Dataset<Row> df = frame.toDF();
    for (String[] c : new String[][] {{"imageIdCol", "image_id"}, {"logitsCol", "logits"},
        {"labelsCol", "labels"}}) {
      String given = (String) value(p, c[0]);
      if (given.equals(c[1])) {
        continue;
      }
      List<String> cols = List.of(df.columns());
      if (!cols.contains(given)) {
        throw new IllegalArgumentException(c[0] + " '" + given + "' is not a column of the "
            + "DataFrame (columns: " + cols + ")");
      }
      if (cols.contains(c[1])) {
        throw new IllegalArgumentException(c[0] + " is '" + given + "' but the DataFrame "
            + "also has a column '" + c[1] + "': drop or rename one");
      }
      df = df.withColumnRenamed(given, c[1]);
    }
    return df;
  }

  static Object value(Params p, String name) {
    return p.getOrDefault(p.getParam(name));
  }
}
