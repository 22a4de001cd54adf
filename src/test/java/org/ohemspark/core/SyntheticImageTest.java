package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.ohemspark.io.NpyArray;
import org.ohemspark.io.NpyWriter;

class SyntheticImageTest {
  private static final SyntheticImage.Spec SPEC =
      new SyntheticImage.Spec(19, 256, 256, 1, SyntheticImage.Spec.DEFAULT_MARGIN, 3);

  @Test
  void sameSpecAndIndexGiveTheSameBitsAndOtherIndicesDiffer() {
    SyntheticImage a = SyntheticImage.generate(SPEC, 5);
    SyntheticImage b = SyntheticImage.generate(SPEC, 5);
    assertArrayEquals(a.labels(), b.labels());
    assertArrayEquals(a.logits(), b.logits());
    assertFalse(Arrays.equals(a.logits(), SyntheticImage.generate(SPEC, 6).logits()));
    assertFalse(Arrays.equals(a.logits(), SyntheticImage.generate(
        new SyntheticImage.Spec(19, 256, 256, 1, SyntheticImage.Spec.DEFAULT_MARGIN, 4), 5)
        .logits()));
  }

  @Test
  void shapesLabelsAndIgnoredBoundaries() {
    SyntheticImage.Spec s = new SyntheticImage.Spec(7, 128, 160, 4, 11, 0);
    SyntheticImage img = SyntheticImage.generate(s, 0);
    assertEquals(128 * 160, img.labels().length);
    assertEquals(7 * 32 * 40, img.logits().length);
    long ignored = Arrays.stream(img.labels()).filter(v -> v == 255).count();
    assertTrue(ignored > 0 && ignored < img.labels().length / 10, "ignored " + ignored);
    assertTrue(Arrays.stream(img.labels()).allMatch(v -> v == 255 || (v >= 0 && v < 7)));
    for (float v : img.logits()) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void defaultMarginIsModelLikeAndTakesTheTopKBranchAtFactor16() {
    CrossEntropyKernel k = new CrossEntropyKernel(OhemParams.DEFAULTS);
    long valid = 0;
    long hard = 0;
    for (int i = 0; i < 4; i++) {
      SyntheticImage img = SyntheticImage.generate(SPEC, i);
      ImageLosses l = k.compute("s", NpyArray.parse("s.npy", NpyWriter.floats(img.logits(),
          false, 19, 256, 256)).asLogits("s"), img.labels(), 256, 256);
      valid += l.nValid();
      hard += l.nHard();
    }
    double hardFraction = (double) hard / valid;
    assertTrue(hardFraction > 0.01 && hardFraction < 1.0 / 16, "hard fraction " + hardFraction);
    assertTrue(OhemOutcome.needsTopK(OhemParams.DEFAULTS, valid, hard));
  }

  @Test
  void badSpecsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SyntheticImage.Spec(0, 8, 8, 1, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new SyntheticImage.Spec(256, 8, 8, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SyntheticImage.Spec(3, 8, 8, 9, 1, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new SyntheticImage.Spec(3, 8, 8, 1, Double.NaN, 0));
  }
}
