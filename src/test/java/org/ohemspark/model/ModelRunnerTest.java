package org.ohemspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.Logits;
import org.ohemspark.io.ImageDecoder.RgbImage;
import org.ohemspark.testing.TinyOnnx;

/**
 * A hand-built 1x1 convolution run by ONNX Runtime: its logits are the preprocessed input,
 * mixed by chosen weights, so each value is checked exactly against independent arithmetic.
 */
class ModelRunnerTest {
  /** y0 = x2, y1 = 2 x0 + 0.5, y2 = x1, y3 = x2 - x0: each one float rounding at most. */
  static final float[][] WEIGHTS = {{0, 0, 1}, {2, 0, 0}, {0, 1, 0}, {-1, 0, 1}};
  static final float[] BIAS = {0, 0.5f, 0, 0};
  private static final Long[] FREE = {null, 3L, null, null};
  private static final Long[] FREE_OUT = {null, 4L, null, null};
  private static final double[] MEAN = {0.485, 0.456, 0.406};
  private static final double[] STD = {0.229, 0.224, 0.225};

  static ModelSpec spec(Map<String, String> more) {
    Map<String, String> p = new java.util.HashMap<>(Map.of("scale", "1/255", "mean",
        "[0.485, 0.456, 0.406]", "std", "[0.229, 0.224, 0.225]", "output_kind", "logits"));
    p.putAll(more);
    return ModelSpec.parse("flags", null, p);
  }

  /** The conv of the preprocessed pixel, by independent float arithmetic. */
  static float[] expected(float r, float g, float b) {
    float x0 = (float) ((r / 255.0 - MEAN[0]) / STD[0]);
    float x1 = (float) ((g / 255.0 - MEAN[1]) / STD[1]);
    float x2 = (float) ((b / 255.0 - MEAN[2]) / STD[2]);
    return new float[] {x2, 2f * x0 + 0.5f, x1, x2 - x0};
  }

  private static RgbImage image(int seed, int h, int w) {
    float[] p = new float[3 * h * w];
    for (int i = 0; i < p.length; i++) {
      p[i] = (i * 31 + seed * 7) % 256;
    }
    return new RgbImage(h, w, p);
  }

  @Test
  void logitsAreTheConvOfThePreprocessedPixelsExactly() throws Exception {
    byte[] bytes = TinyOnnx.conv1x1("image", FREE, "scores", FREE_OUT, WEIGHTS, BIAS, false);
    try (OnnxModel m = OnnxModel.open(bytes, 1, "tiny.onnx")) {
      ModelSpec s = ModelCheck.resolve(spec(Map.of()), m.signature(), "tiny.onnx", 2);
      assertEquals("image", s.input());
      assertEquals(4, s.classes());
      List<RgbImage> imgs = List.of(image(1, 3, 5), image(2, 3, 5));
      List<Logits> out = new ModelRunner(m, s).run(imgs);
      assertEquals(2, out.size());
      for (int i = 0; i < 2; i++) {
        Logits l = out.get(i);
        assertEquals(4, l.channels());
        assertEquals(3, l.height());
        assertEquals(5, l.width());
        float[] p = imgs.get(i).planes();
        float[] row = new float[5];
        for (int c = 0; c < 4; c++) {
          for (int y = 0; y < 3; y++) {
            l.readRow(c, y, row, 0);
            for (int x = 0; x < 5; x++) {
              int j = y * 5 + x;
              assertEquals(expected(p[j], p[15 + j], p[30 + j])[c], row[x],
                  "image " + i + " class " + c + " at " + y + "," + x);
            }
          }
        }
      }
    }
  }

  @Test
  void probabilitiesBecomeTheirLog() throws Exception {
    byte[] bytes = TinyOnnx.conv1x1("image", FREE, "probs", FREE_OUT, WEIGHTS, BIAS, true);
    try (OnnxModel m = OnnxModel.open(bytes, 1, "softmax.onnx")) {
      ModelSpec s = ModelCheck.resolve(spec(Map.of("output_kind", "probabilities")),
          m.signature(), "softmax.onnx", 1);
      RgbImage img = image(3, 2, 2);
      Logits l = new ModelRunner(m, s).run(List.of(img)).get(0);
      float[] p = img.planes();
      for (int j = 0; j < 4; j++) {
        float[] z = expected(p[j], p[4 + j], p[8 + j]);
        double max = Math.max(Math.max(z[0], z[1]), Math.max(z[2], z[3]));
        double sum = 0;
        for (float v : z) {
          sum += Math.exp(v - max);
        }
        double[] row = new double[2];
        for (int c = 0; c < 4; c++) {
          l.readRow(c, j / 2, row, 0);
          assertEquals(z[c] - max - Math.log(sum), row[j % 2], 1e-5, "log softmax " + c);
        }
      }
    }
  }

  @Test
  void aWrongClassCountAtRunTimeFailsTheBatch() throws Exception {
    byte[] bytes = TinyOnnx.conv1x1("image", FREE, "scores", FREE_OUT, WEIGHTS, BIAS, false);
    try (OnnxModel m = OnnxModel.open(bytes, 1, "tiny.onnx")) {
      // ONNX Runtime infers C = 4 from the weights, so the check before the run would refuse
      // classes 5: bypass it, as a model whose C is only known when it runs
      ModelSpec s = spec(Map.of()).with("image", null, "scores", 5);
      ModelRunner.RunException e = assertThrows(ModelRunner.RunException.class,
          () -> new ModelRunner(m, s).run(List.of(image(1, 2, 2))));
      assertEquals("tiny.onnx: output 'scores' is [1, 4, 2, 2] for input [1, 3, 2, 2]; expected"
          + " [1, 5 (classes), h, w]", e.getMessage());
    }
  }

  @Test
  void aRunOnnxRuntimeRefusesNamesTheModelAndTheInput() throws Exception {
    byte[] bytes = TinyOnnx.conv1x1("image", new Long[] {1L, 3L, 4L, 4L}, "scores",
        new Long[] {1L, 4L, 4L, 4L}, WEIGHTS, BIAS, false);
    try (OnnxModel m = OnnxModel.open(bytes, 1, "fixed.onnx")) {
      ModelSpec s = spec(Map.of()).with("image", new int[] {2, 2}, "scores", 4);
      ModelRunner.RunException e = assertThrows(ModelRunner.RunException.class,
          () -> new ModelRunner(m, s).run(List.of(image(1, 2, 2))));
      assertTrue(e.getMessage().startsWith("fixed.onnx: the run on input 'image' [1, 3, 2, 2] "
          + "failed: "), e.getMessage());
    }
  }

  @Test
  void notAModelIsAConfigurationError() {
    ModelConfigException e = assertThrows(ModelConfigException.class,
        () -> OnnxModel.open("not a model".getBytes(), 1, "junk.onnx"));
    assertTrue(e.getMessage().startsWith("junk.onnx: not a model ONNX Runtime can load: "),
        e.getMessage());
  }

  @Test
  void sharedSessionsAreOnePerModelAndThreadCount() {
    byte[] bytes = TinyOnnx.conv1x1("image", FREE, "scores", FREE_OUT, WEIGHTS, BIAS, false);
    String h = OnnxModel.hash(bytes);
    OnnxModel a = OnnxModel.shared(h, 1, () -> bytes, "tiny.onnx");
    assertSame(a, OnnxModel.shared(h, 1, () -> {
      throw new AssertionError("loaded twice");
    }, "tiny.onnx"));
  }
}
