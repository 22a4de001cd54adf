package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.Float16;
import org.ohemspark.core.Logits;
import org.ohemspark.io.ImageDecoder;
import org.ohemspark.io.NpyArray;
import org.ohemspark.model.ModelCheck;
import org.ohemspark.model.ModelRunner;
import org.ohemspark.model.ModelSpec;
import org.ohemspark.model.OnnxModel;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.SharedData;
import org.ohemspark.testing.SparkTestSession;

/**
 * The real PAN model of {@code ../shared/data/real/pan_skin_clothes_hair}
 * ({@code model_logits.onnx}) run on its two images: the logits reproduce the stored float16
 * logits within float16 rounding, and {@code ohem-mine --model} gives the folder's OHEM mean
 * within 1e-5 relative of PyTorch's on the stored logits. Skipped, with a message, where
 * {@code ../shared} is absent.
 */
class ModelRealDataTest {
  /** The model's declaration, as the folder's README states its preprocessing. */
  static final String PAN_JSON = "{\"input\": \"x.1\", \"input_size\": [512, 512], "
      + "\"resize\": \"bilinear\", \"channel_order\": \"RGB\", \"scale\": \"1/255\", "
      + "\"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225], \"layout\": \"NCHW\","
      + " \"output\": \"logits\", \"output_kind\": \"logits\", \"classes\": 4}";

  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("model-real");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Path pan() {
    return SharedData.realData().resolve("pan_skin_clothes_hair");
  }

  /** One float16 step at {@code v}: the distance to the next float16 away from zero. */
  private static double ulp16(float v) {
    short b = Float16.fromFloat(Math.abs(v));
    return Float16.toFloat(b + 1) - Float16.toFloat(b);
  }

  @Test
  void logitsReproduceTheStoredFloat16() throws Exception {
    Path dir = pan();
    byte[] model = Files.readAllBytes(dir.resolve("model_logits.onnx"));
    try (OnnxModel m = OnnxModel.open(model, 1, "model_logits.onnx")) {
      ModelSpec spec = ModelCheck.resolve(ModelSpec.parse("pan.json", PAN_JSON.getBytes(),
          Map.of()), m.signature(), "model_logits.onnx", 1);
      for (String id : List.of("000335", "000340")) {
        Path img = dir.resolve("images/" + id + ".png");
        Logits ours = new ModelRunner(m, spec).run(List.of(ImageDecoder.decode(img.toString(),
            id, Files.readAllBytes(img)))).get(0);
        Path npy = dir.resolve("logits/" + id + ".npy");
        Logits stored = NpyArray.parse(npy.toString(), Files.readAllBytes(npy)).asLogits(id);
        assertEquals(stored.channels(), ours.channels());
        assertEquals(stored.height(), ours.height());
        assertEquals(stored.width(), ours.width());
        float[] a = new float[ours.width()];
        float[] b = new float[ours.width()];
        long same = 0;
        long n = 0;
        double worst = 0;
        for (int c = 0; c < ours.channels(); c++) {
          for (int y = 0; y < ours.height(); y++) {
            ours.readRow(c, y, a, 0);
            stored.readRow(c, y, b, 0);
            for (int x = 0; x < a.length; x++) {
              double d = Math.abs(a[x] - b[x]);
              // within float16 rounding: the stored value is the float16 nearest to ours, or
              // (float32 arithmetic of two runtimes differing in the last bits) its neighbour
              assertTrue(d <= ulp16(b[x]), id + " class " + c + " at " + y + "," + x + ": "
                  + a[x] + " vs stored " + b[x]);
              worst = Math.max(worst, d);
              same += Float16.fromFloat(a[x]) == Float16.fromFloat(b[x]) ? 1 : 0;
              n++;
            }
          }
        }
        System.out.printf("%s: %d of %d logits round to the stored float16, largest "
            + "difference %.4f%n", id, same, n, worst);
        assertTrue(same > 0.99 * n, id + ": " + same + " of " + n + " round to the stored");
      }
    }
  }

  @Test
  void theJobGivesTheFoldersOhemMean() throws IOException {
    assertTheFoldersOhemMean(pan(), tmp.resolve("out"));
  }

  /**
   * The same images and labels as one WebDataset tar ({@code <id>.png}, {@code <id>.seg.png}),
   * written here from the folder: the same figures.
   */
  @Test
  void asATarTheJobGivesTheFoldersOhemMean() throws IOException {
    Path dir = pan();
    Path tars = Files.createDirectories(tmp.resolve("pan-tars"));
    org.ohemspark.testing.Tars t = org.ohemspark.testing.Tars.create();
    for (String id : List.of("000335", "000340")) {
      t.add(id + ".png", Files.readAllBytes(dir.resolve("images/" + id + ".png")))
          .add(id + ".seg.png", Files.readAllBytes(dir.resolve("labels/" + id + ".png")));
    }
    t.write(tars.resolve("pan-000000.tar"));
    Files.copy(dir.resolve("dataset.json"), tars.resolve("dataset.json"));
    assertTheFoldersOhemMean(tars, tmp.resolve("out-tars"));
  }

  /** Mines {@code input} through the PAN model into {@code out} and checks the summary. */
  private void assertTheFoldersOhemMean(Path input, Path out) throws IOException {
    Path dir = pan();
    Path json = Files.writeString(tmp.resolve("pan.json"), PAN_JSON);
    JobRun r = JobRun.of(OhemMineJob::run, spark, "--input", input.toString(), "--output",
        out.toString(), "--model", dir.resolve("model_logits.onnx").toString(), "--model-json",
        json.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile())
        .get("dataset");
    JsonNode s = JobOutputs.summary(out);
    double mean = exp.get("mean").asDouble();
    assertEquals(11.0471942, mean, 1e-7);
    assertEquals(mean, s.get("mean").asDouble(), 1e-5 * mean, "mean");
    assertEquals(exp.get("n_valid").asLong(), s.get("n_valid").asLong());
    assertEquals(exp.get("n_min").asLong(), s.get("n_min").asLong());
    assertEquals(exp.get("used_topk").asBoolean(), s.get("used_topk").asBoolean());
    assertEquals(exp.get("n_hard").asDouble(), s.get("n_hard").asDouble(),
        1e-4 * exp.get("n_hard").asDouble(), "n_hard");
    System.out.println(r.out());
  }
}
