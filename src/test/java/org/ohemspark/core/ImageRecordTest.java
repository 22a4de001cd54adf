package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ohemspark.testing.ArrayLogits;

/** Which resizes count as changing the aspect ratio (a warning, never an error). */
class ImageRecordTest {
  private static boolean differs(int h, int w, int labelH, int labelW) {
    return new ImageRecord("id", "src", new ArrayLogits(1, h, w, new double[h * w]), labelH,
        labelW, new int[labelH * labelW]).aspectDiffers();
  }

  @Test
  void outputStridesKeepTheAspectRatioTransposesDoNot() {
    assertEquals(false, differs(64, 64, 64, 64), "same size");
    assertEquals(false, differs(90, 120, 360, 480), "CamVid at 1/4");
    assertEquals(false, differs(65, 65, 513, 513), "stride 8, ceil");
    assertEquals(false, differs(128, 256, 1024, 2048), "Cityscapes at 1/8");
    assertEquals(false, differs(12, 16, 50, 64), "stride 4, ceil on one side");
    assertEquals(false, differs(4, 5, 16, 20), "the golden bilinear_upsample case");
    assertEquals(false, differs(32, 32, 16, 16), "proportional downsampling");
    assertEquals(true, differs(64, 48, 64, 64), "one side shorter");
    assertEquals(true, differs(64, 64, 48, 64), "labels of another shape");
    assertEquals(true, differs(512, 256, 256, 512), "transposed");
  }
}
