package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeptPixelsTest {
  // 2 x 4 image; pixel 5 is ignored (its loss 0.9 must never be kept)
  private static final int[] LABELS = {0, 1, 2, 1, 0, 255, 2, 1};
  private static final double[] LOSSES = {0.5, 0.1, 0.9, 0.5, 0.2, 0.9, 0.5, 0.7};
  private static final ImageLosses IMG = new ImageLosses("a", 2, 4, LABELS,
      PredictedClasses.zeros(3, 8), LOSSES, 7, 0, 0, 0, 0.9);

  @Test
  void aboveTheCut() {
    assertArrayEquals(new int[] {0, 2, 3, 6, 7},
        KeptPixels.indices(IMG, new KeepRule(0.3, 0), 255));
  }

  @Test
  void tiesAtTheCutInPixelOrder() {
    // loss > 0.5: pixels 2 and 7; of the three ties at 0.5 (pixels 0, 3, 6) the first two
    assertArrayEquals(new int[] {0, 2, 3, 7},
        KeptPixels.indices(IMG, new KeepRule(0.5, 2), 255));
    KeptPixels.Totals t = KeptPixels.totals(IMG, new KeepRule(0.5, 2), 255);
    assertEquals(4, t.count());
    assertEquals(0.5 + 0.9 + 0.5 + 0.7, t.sum(), 1e-15);
  }

  @Test
  void nothingKept() {
    assertArrayEquals(new int[0], KeptPixels.indices(IMG, KeepRule.NONE, 255));
  }
}
