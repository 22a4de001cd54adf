package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ohemspark.testing.ArrayLogits;

class ImageLossComputerTest {

  private static ImageRecord record(int[] stored) {
    // C = 3, 1 x 4, logits (0, ln 2, ln 5): softmax (1/8, 2/8, 5/8) at every pixel
    double[] v = new double[3 * 4];
    for (int x = 0; x < 4; x++) {
      v[4 + x] = Math.log(2);
      v[8 + x] = Math.log(5);
    }
    return new ImageRecord("im1", "shard-3.tar", new ArrayLogits(3, 1, 4, v), 1, 4, stored);
  }

  @Test
  void appliesTheLabelConventionBeforeTheKernel() {
    ImageLossComputer c = new ImageLossComputer(OhemParams.DEFAULTS,
        LabelConvention.REDUCE_ZERO_LABEL, 3);
    ImageLosses l = c.compute(record(new int[] {0, 1, 2, 3}));
    assertEquals(3, l.nValid());
    assertArrayEquals(new int[] {255, 0, 1, 2}, l.labels());
    assertEquals(0.0, l.losses()[0]);
    assertEquals(Math.log(8), l.losses()[1], 1e-14);
    assertEquals(Math.log(4), l.losses()[2], 1e-14);
    assertEquals(Math.log(8.0 / 5), l.losses()[3], 1e-14);
  }

  @Test
  void classCountMismatchNamesSourceAndId() {
    ImageLossComputer c = new ImageLossComputer(OhemParams.DEFAULTS, LabelConvention.TRAIN_IDS,
        19);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> c.compute(record(new int[4])));
    assertEquals("shard-3.tar", e.source());
    assertEquals("im1", e.imageId());
    assertTrue(e.getMessage().contains("19") && e.getMessage().contains("3"), e.getMessage());
  }

  /**
   * Without a declared class count, class weights of another count than the logits' C are only
   * seen per image: still a bad record, but its message names the option and says the
   * configuration is at fault, not the image.
   */
  @Test
  void classWeightsOfAnotherCountBlameTheConfigurationNotTheImage() {
    ImageLossComputer c = new ImageLossComputer(OhemParams.DEFAULTS.withClassWeights(
        new double[] {1, 2, 3, 4, 5}), LabelConvention.TRAIN_IDS, null);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> c.compute(record(new int[4])));
    assertEquals("shard-3.tar", e.source());
    assertEquals("im1", e.imageId());
    assertEquals("the class weights (--class-weights / class_weights) have 5 entries but the "
        + "logits have C = 3 classes: a configuration mismatch, not a data error; give one "
        + "weight per class (declare classes, e.g. --classes 3, to have it refused before any "
        + "image is read)",
        e.reason());
  }

  @Test
  void kernelErrorsGetTheRecordSource() {
    ImageLossComputer c = new ImageLossComputer(OhemParams.DEFAULTS, LabelConvention.TRAIN_IDS,
        null);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> c.compute(record(new int[] {0, 1, 7, 2})));
    assertEquals("shard-3.tar", e.source());
    assertEquals("im1", e.imageId());
    assertTrue(e.getMessage().contains("label 7"), e.getMessage());
  }

  /**
   * ImageRecord documents storedLabels as the values before the label convention: computing a
   * record must not rewrite them, or a second computation of the same record (a retried or
   * recomputed task holding the record) maps the labels twice.
   */
  @Test
  void computingDoesNotRewriteTheRecordsStoredLabels() {
    ImageLossComputer c = new ImageLossComputer(OhemParams.DEFAULTS,
        LabelConvention.REDUCE_ZERO_LABEL, 3);
    ImageRecord r = record(new int[] {0, 1, 2, 3});
    ImageLosses first = c.compute(r);
    assertArrayEquals(new int[] {0, 1, 2, 3}, r.storedLabels(), "stored labels rewritten");
    ImageLosses second = c.compute(r);
    assertEquals(first.nValid(), second.nValid());
    assertArrayEquals(first.losses(), second.losses());
  }
}
