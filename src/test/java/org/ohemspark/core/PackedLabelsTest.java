package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Labels come back exactly, in the narrowest type their span allows. */
class PackedLabelsTest {

  private static void check(int bytes, int... labels) {
    PackedLabels p = PackedLabels.of(labels);
    assertEquals(bytes, p.bytesPerLabel(), "bytes per label");
    assertEquals(labels.length, p.length());
    for (int i = 0; i < labels.length; i++) {
      assertEquals(labels[i], p.get(i), "label " + i);
    }
    assertArrayEquals(labels, p.toArray());
  }

  @Test
  void usualLabelSetsTakeOneByte() {
    check(1, 0, 18, 255, 7); // Cityscapes train ids, ignore 255
    check(1, -100, 0, 149, 3); // ADE20K with PyTorch's ignore_index -100: span 249
    check(1, 0, 1, 150, 255); // reduce_zero_label: 0..149 and 255
    check(1, 0, 0, 0); // ignore_index 0 and nothing else
    check(1, -128, 127); // span 255, signed
    check(1, Integer.MAX_VALUE - 255, Integer.MAX_VALUE); // an offset near the top
    check(1); // no pixel
  }

  @Test
  void widerSpansTakeShortsThenInts() {
    check(2, 0, 256); // span 256: one more than a byte holds
    check(2, -1, 65534); // span 65535
    check(4, -1, 65535); // span 65536
    check(4, Integer.MIN_VALUE, 0, Integer.MAX_VALUE); // span 2^32 - 1: no overflow
  }

  @Test
  void theImageKeepsItsLabelsPackedAndGivesThemBack() {
    int[] labels = {255, 0, 18, 255};
    ImageLosses img = new ImageLosses("a", 2, 2, labels, PredictedClasses.zeros(19, 4),
        new double[] {0, 1.5, 2.5, 0}, 2, 1, 2.5, 4.0, 2.5);
    labels[1] = 9; // the image took a copy
    assertEquals(1, img.packedLabels().bytesPerLabel());
    assertEquals(0, img.label(1));
    assertArrayEquals(new int[] {255, 0, 18, 255}, img.labels());
  }
}
