package org.ohemspark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.source.ShardSchema;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.GoldenShards;
import org.ohemspark.testing.SparkTestSession;

/**
 * The Spark ML stages on every PyTorch case (the reference rule's and the options'), given as
 * a DataFrame in the shard schema: {@link OhemEvaluator}'s OHEM mean within 1e-6 relative of
 * PyTorch's float64 mean in both scopes, {@link PixelCrossEntropy}'s losses within 1e-5 of
 * PyTorch's {@code losses_f32}; the other metrics against the cases' own figures; both stages
 * in a {@link Pipeline} and after save/load round trips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MlStagesTest {
  SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  void start() {
    spark = SparkTestSession.create("ml-stages");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  static List<String> cases() {
    return Golden.casesWithOptions();
  }

  /** A case's images as shard rows, one partition per two images. */
  Dataset<Row> frame(Golden.Case c) {
    return spark.createDataFrame(GoldenShards.rows(c), ShardSchema.SCHEMA).repartition(2);
  }

  /** An evaluator with a case's parameters. */
  static OhemEvaluator evaluator(Golden.Params p) {
    OhemEvaluator e = new OhemEvaluator().setThresh(p.thresh()).setFactor(p.factor())
        .setMinKept(p.minKept()).setIgnoreIndex(p.ignoreIndex())
        .setLabelSmoothing(p.labelSmoothing()).setAlignCorners(p.alignCorners());
    if (p.classWeights() != null) {
      e.setClassWeights(p.classWeights());
    }
    return e;
  }

  static PixelCrossEntropy pixels(Golden.Params p) {
    PixelCrossEntropy t = new PixelCrossEntropy().setIgnoreIndex(p.ignoreIndex())
        .setLabelSmoothing(p.labelSmoothing()).setAlignCorners(p.alignCorners());
    if (p.classWeights() != null) {
      t.setClassWeights(p.classWeights());
    }
    return t;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluatorGivesPyTorchsMeanInBothScopes(String name) {
    Golden.Case c = Golden.load(name);
    Dataset<Row> df = frame(c);
    OhemEvaluator e = evaluator(c.params());
    assertFalse(e.isLargerBetter());
    double mean = e.evaluate(df);
    Double want = c.float64().mean();
    if (want == null) {
      assertTrue(Double.isNaN(mean), "EMPTY gives NaN, as PyTorch: " + mean);
    } else {
      assertEquals(want, mean, 1e-6 * Math.abs(want), "float64 mean");
    }
    // the image scope on the reference cases (the options' per-image figures: GoldenSparkTest)
    if (c.perImage() != null && !name.startsWith(Golden.OPTIONS)) {
      double sum = 0;
      int n = 0;
      for (Golden.PerImage pi : c.perImage()) {
        if (pi.mean() != null) {
          sum += pi.mean();
          n++;
        }
      }
      double perImage = e.setMetricName("ohem").setGroupBy("image").evaluate(df);
      assertEquals(sum / n, perImage, 1e-6 * sum / n, "mean of the per-image means");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void pixelCrossEntropyGivesPyTorchsLosses(String name) {
    Golden.Case c = Golden.load(name);
    List<Row> rows = pixels(c.params()).transform(frame(c)).orderBy("image_id").collectAsList();
    float[] ref = c.lossesF32();
    int hw = c.height() * c.width();
    long valid = 0;
    assertEquals(c.images(), rows.size());
    for (int n = 0; n < rows.size(); n++) {
      Row r = rows.get(n);
      assertEquals(Golden.Case.imageId(n), r.getAs("image_id"));
      List<Double> losses = r.getList(r.fieldIndex("losses"));
      assertEquals(hw, losses.size());
      double sum = 0;
      for (int i = 0; i < hw; i++) {
        assertEquals(ref[n * hw + i], losses.get(i), 1e-5, name + " image " + n + " pixel " + i);
        sum += losses.get(i);
      }
      long nValid = r.getAs("n_valid");
      valid += nValid;
      if (nValid == 0) {
        assertTrue(r.isNullAt(r.fieldIndex("mean_loss")));
      } else {
        assertEquals(sum / nValid, (double) r.getAs("mean_loss"), 1e-12 * Math.max(1, sum));
      }
    }
    assertEquals(c.float64().nValid(), valid);
  }

  /**
   * The other metrics and the one-pass mode on cases of both branches: kept_fraction and
   * mean_loss from the cases' own figures, approx within 2^-10 of the exact mean (its bounds are
   * checked on every case in {@code ApproxTopKTest}).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"topk_path", "mixed_with_ignore",
      "golden_options/label_smoothing_weights", "golden_options/min_kept_above_fraction"})
  void otherMetricsAndTheOnePassMode(String name) {
    Golden.Case c = Golden.load(name);
    Dataset<Row> df = frame(c);
    OhemEvaluator e = evaluator(c.params());
    assertEquals((double) c.float64().nKept() / c.float64().nValid(),
        e.setMetricName("kept_fraction").evaluate(df), 1e-15);
    float[] ref = c.lossesF32();
    double sum = 0;
    for (float f : ref) {
      sum += f;
    }
    assertEquals(sum / c.float64().nValid(), e.setMetricName("mean_loss").evaluate(df),
        1e-5 * sum / c.float64().nValid());
    double want = c.float64().mean();
    assertEquals(want, e.setMetricName("ohem").setTopk("approx").evaluate(df),
        0x1p-10 * want, "approx mean");
  }

  /** miou against PyTorch's per-class figures (golden_classes), larger is better. */
  @Test
  void miouIsPyTorchsAndLargerIsBetter() throws Exception {
    for (String name : List.of("seed_example", "mixed_with_ignore", "ade_150_classes")) {
      Golden.Case c = Golden.load(name);
      JsonNode ref = new ObjectMapper().readTree(Golden.root().resolveSibling("golden_classes")
          .resolve(name + ".json").toFile());
      OhemEvaluator e = evaluator(c.params()).setMetricName("miou");
      assertTrue(e.isLargerBetter());
      assertEquals(ref.get("miou").asDouble(), e.evaluate(frame(c)), 1e-12, name);
    }
  }

  @Test
  void bothStagesWorkInAPipelineAndAfterSaveAndLoad() throws Exception {
    Golden.Case c = Golden.load(Golden.OPTIONS + "/label_smoothing_weights");
    Dataset<Row> df = frame(c);
    PixelCrossEntropy stage = pixels(c.params());
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {stage});
    PipelineModel model = pipeline.fit(df);
    List<Row> first = model.transform(df).orderBy("image_id").select("losses").collectAsList();
    String dir = tmp.resolve("pipeline").toString();
    model.write().overwrite().save(dir);
    PipelineModel back = PipelineModel.load(dir);
    assertEquals(first, back.transform(df).orderBy("image_id").select("losses")
        .collectAsList());
    PixelCrossEntropy loaded = (PixelCrossEntropy) back.stages()[0];
    assertEquals(c.params().labelSmoothing(), loaded.getOrDefault(loaded.labelSmoothing()));

    OhemEvaluator e = evaluator(c.params()).setMetricName("ohem");
    String path = tmp.resolve("evaluator").toString();
    e.save(path);
    OhemEvaluator e2 = OhemEvaluator.load(path);
    assertEquals(e.uid(), e2.uid());
    for (org.apache.spark.ml.param.Param<?> param : e.params()) {
      assertTrue(java.util.Objects.deepEquals(e.getOrDefault(param),
          e2.getOrDefault(e2.getParam(param.name()))), param.name());
      assertEquals(e.isSet(param), e2.isSet(e2.getParam(param.name())), param.name());
    }
    assertEquals(java.util.Set.of("thresh", "factor", "minKept", "ignoreIndex", "classWeights",
        "labelSmoothing", "alignCorners", "groupBy", "metricName", "topk", "imageIdCol",
        "logitsCol",
        "labelsCol"), java.util.Arrays.stream(e.params()).map(
            org.apache.spark.ml.param.Param::name).collect(java.util.stream.Collectors.toSet()));
    assertEquals(e.evaluate(df), e2.evaluate(df), 0.0);
    assertEquals(c.float64().mean(), e2.evaluate(df), 1e-6 * c.float64().mean());
    // the evaluator on the pipeline's output: the added columns are not read
    assertEquals(e.evaluate(df), e2.evaluate(model.transform(df)), 0.0);
  }

  @Test
  void columnsMayHaveOtherNames() {
    Golden.Case c = Golden.load("seed_example");
    Dataset<Row> df = frame(c).withColumnRenamed("logits", "scores")
        .withColumnRenamed("labels", "mask").withColumnRenamed("image_id", "key");
    OhemEvaluator e = evaluator(c.params()).setLogitsCol("scores").setLabelsCol("mask")
        .setImageIdCol("key");
    assertEquals(c.float64().mean(), e.evaluate(df), 1e-6 * c.float64().mean());
    Dataset<Row> out = pixels(c.params()).setLogitsCol("scores").setLabelsCol("mask")
        .setImageIdCol("key").transform(df);
    assertTrue(List.of(out.columns()).containsAll(List.of("key", "scores", "mask", "losses")));
    assertEquals(c.images(), out.count());
  }

  @Test
  void badFramesAndParamsAreRefusedWithTheirNames() {
    Golden.Case c = Golden.load("seed_example");
    Dataset<Row> df = frame(c);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new OhemEvaluator().evaluate(df.drop("labels")));
    assertTrue(missing.getMessage().contains("labels"), missing.getMessage());
    IllegalArgumentException renamed = assertThrows(IllegalArgumentException.class,
        () -> new OhemEvaluator().setLogitsCol("scores").evaluate(df));
    assertTrue(renamed.getMessage().contains("logitsCol 'scores' is not a column"),
        renamed.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new OhemEvaluator().setThresh(0));
    assertThrows(IllegalArgumentException.class,
        () -> new OhemEvaluator().setMetricName("accuracy"));
    IllegalArgumentException factor0 = assertThrows(IllegalArgumentException.class,
        () -> new OhemEvaluator().setFactor(0).evaluate(df));
    assertTrue(factor0.getMessage().contains("needs min_kept"), factor0.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> new PixelCrossEntropy().transform(new PixelCrossEntropy().transform(df)));
    assertTrue(twice.getMessage().contains("'losses'"), twice.getMessage());
  }
}
