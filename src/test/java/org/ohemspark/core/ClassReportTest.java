package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-class table and confusion of a hand-computed example, nulls included. */
class ClassReportTest {
  private static final int IGNORE = 255;

  /**
   * One 2 x 4 image of 4 classes. Pixels (label, predicted, loss): (0,0,.1) (0,1,2.0)
   * (1,1,.2) (1,1,.4) (0,0,.3) (255,3,0) (2,0,3.0) (1,0,1.5). Class 3 is never a label but
   * only predicted on the ignored pixel: no valid pixel of it at all.
   */
  private static ImageLosses image(String id) {
    int[] labels = {0, 0, 1, 1, 0, IGNORE, 2, 1};
    int[] predicted = {0, 1, 1, 1, 0, 3, 0, 0};
    double[] losses = {0.1, 2.0, 0.2, 0.4, 0.3, 0.0, 3.0, 1.5};
    return new ImageLosses(id, 2, 4, labels, PredictedClasses.of(4, predicted), losses, 7, 3,
        6.5, 7.5, 3.0);
  }

  @Test
  void handComputedFiguresWithNullsWhereADenominatorIsZero() {
    ClassTotals totals = new ClassTotals().add(image("a"), IGNORE);
    // kept: losses > 1.0, i.e. (0,1,2.0), (2,0,3.0), (1,0,1.5)
    KeptConfusion kept = new KeptConfusion().add(image("a"), new KeepRule(1.0, 0), IGNORE);
    ClassReport r = ClassReport.of(totals, kept, Arrays.asList("road", null));
    List<ClassReport.ClassRow> c = r.classes();
    assertEquals(4, c.size());
    // class 0: valid 3, predicted 4 (pixels 0, 4, 6, 7), correct 2: iou 2 / 5, acc 2 / 3
    assertEquals(new ClassReport.ClassRow(0, "road", 3, 4, 2, 2.0 / 5, 2.0 / 3,
        (0.1 + 2.0 + 0.3) / 3, 1, 1.0 / 3, 1.0 / 3), c.get(0));
    // class 1: valid 3, predicted 3 (1, 2, 3), correct 2: iou 2 / 4
    assertEquals(new ClassReport.ClassRow(1, null, 3, 3, 2, 0.5, 2.0 / 3, (0.2 + 0.4 + 1.5) / 3,
        1, 1.0 / 3, 1.0 / 3), c.get(1));
    // class 2: valid 1, never predicted: iou 0, acc 0 (not null)
    assertEquals(new ClassReport.ClassRow(2, null, 1, 0, 0, 0.0, 0.0, 3.0, 1, 1.0, 1.0 / 3),
        c.get(2));
    // class 3: no valid pixel, not predicted on a valid one: every ratio over its pixels null;
    // its share of the 3 kept pixels is 0
    assertEquals(new ClassReport.ClassRow(3, null, 0, 0, 0, null, null, null, 0, null, 0.0),
        c.get(3));
    assertEquals((0.4 + 0.5 + 0.0) / 3, r.miou(), 1e-15);
    assertEquals(4.0 / 7, r.aacc(), 1e-15);
    assertEquals(List.of(
        new ClassReport.ConfusionRow(0, "road", 1, null, 1, 2.0),
        new ClassReport.ConfusionRow(1, null, 0, "road", 1, 1.5),
        new ClassReport.ConfusionRow(2, null, 0, "road", 1, 3.0)), r.confusion());
  }

  @Test
  void mergedStatesGiveTheFiguresOfTheImagesTogetherAndRankByCount() {
    ClassTotals a = new ClassTotals().add(image("a"), IGNORE);
    ClassTotals b = new ClassTotals().add(image("b"), IGNORE).add(image("c"), IGNORE);
    KeepRule rule = new KeepRule(0.25, 0);
    KeptConfusion ka = new KeptConfusion().add(image("a"), rule, IGNORE);
    KeptConfusion kb = new KeptConfusion().add(image("b"), rule, IGNORE)
        .add(image("c"), rule, IGNORE);
    ClassReport r = ClassReport.of(a.merge(b), ka.merge(kb), null);
    assertEquals(9, r.classes().get(0).nValid());
    assertEquals(6, r.classes().get(0).nCorrect());
    // kept (loss > 0.25) per image: (0,1) (1,1) (0,0) (2,0) (1,0); 3 images
    assertEquals(List.of(List.of(0, 0, 3L), List.of(0, 1, 3L), List.of(1, 0, 3L),
        List.of(1, 1, 3L), List.of(2, 0, 3L)), r.confusion().stream()
        .map(x -> List.<Object>of(x.label(), x.predicted(), x.nKept())).toList());
    assertNull(r.confusion().get(0).labelName());
  }

  @Test
  void nothingValidGivesNullMiouAndAacc() {
    ImageLosses none = new ImageLosses("z", 1, 2, new int[] {IGNORE, IGNORE},
        PredictedClasses.of(2, new int[] {1, 0}), new double[2], 0, 0, 0, 0, Double.NaN);
    ClassReport r = ClassReport.of(new ClassTotals().add(none, IGNORE),
        new KeptConfusion().add(none, KeepRule.NONE, IGNORE), null);
    assertEquals(2, r.classes().size());
    assertNull(r.miou());
    assertNull(r.aacc());
    assertEquals(List.of(), r.confusion());
  }
}
