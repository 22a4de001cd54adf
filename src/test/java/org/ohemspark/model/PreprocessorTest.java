package org.ohemspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ohemspark.io.ImageDecoder.RgbImage;

/** The preprocessing arithmetic against hand-written formulas. */
class PreprocessorTest {
  private static ModelSpec spec(String order, String size, String resize) {
    return ModelSpec.parse("flags", null, Map.of("scale", "1/255", "mean", "[0.485, 0.456, "
        + "0.406]", "std", "[0.229, 0.224, 0.225]", "output_kind", "logits", "channel_order",
        order, "input_size", size, "resize", resize));
  }

  /** A 2x3 image, planes R, G, B. */
  private static final RgbImage IMG = new RgbImage(2, 3, new float[] {
      0, 10, 20, 30, 40, 255, // R
      1, 11, 21, 31, 41, 251, // G
      2, 12, 22, 32, 42, 252}); // B

  private static final double[] MEAN = {0.485, 0.456, 0.406};
  private static final double[] STD = {0.229, 0.224, 0.225};

  @Test
  void noResizeIsScaleMeanStdPerChannel() {
    for (String order : new String[] {"RGB", "BGR"}) {
      float[] out = new float[1 + 18];
      new Preprocessor(spec(order, "none", "none")).fill(IMG, out, 1);
      for (int k = 0; k < 3; k++) {
        int plane = order.equals("RGB") ? k : 2 - k;
        for (int i = 0; i < 6; i++) {
          double v = IMG.planes()[plane * 6 + i];
          assertEquals((float) ((v / 255 - MEAN[k]) / STD[k]), out[1 + k * 6 + i],
              order + " channel " + k + " pixel " + i);
        }
      }
    }
  }

  @Test
  void bilinearUpsamplingFollowsAlignCornersFalse() {
    // 2x3 -> 4x6 (scale 0.5 per axis): src = max(0.5 * (d + 0.5) - 0.5, 0)
    float[] out = new float[3 * 24];
    new Preprocessor(spec("RGB", "[4, 6]", "bilinear")).fill(IMG, out, 0);
    double[] srcY = {0, 0.25, 0.75, 1};
    double[] srcX = {0, 0.25, 0.75, 1.25, 1.75, 2};
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        int y0 = (int) srcY[y];
        int y1 = Math.min(y0 + 1, 1);
        double ly = srcY[y] - y0;
        int x0 = (int) srcX[x];
        int x1 = Math.min(x0 + 1, 2);
        double lx = srcX[x] - x0;
        double top = (1 - lx) * IMG.planes()[y0 * 3 + x0] + lx * IMG.planes()[y0 * 3 + x1];
        double bottom = (1 - lx) * IMG.planes()[y1 * 3 + x0] + lx * IMG.planes()[y1 * 3 + x1];
        double v = (1 - ly) * top + ly * bottom;
        assertEquals((float) ((v / 255 - MEAN[0]) / STD[0]), out[y * 6 + x], 1e-6,
            "pixel " + y + "," + x);
      }
    }
    // the corners are the source's corners exactly
    assertEquals((float) ((255.0 / 255 - MEAN[0]) / STD[0]), out[23]);
  }

  @Test
  void anotherSizeWithoutResizeDoesNotFit() {
    assertFalse(new Preprocessor(spec("RGB", "[4, 6]", "none")).fits(IMG));
  }
}
