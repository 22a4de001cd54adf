package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.testing.ArrayLogits;
import org.ohemspark.testing.Golden;

/** The OHEM rule over all images of each golden case, against PyTorch's float64 figures. */
class OhemRuleGoldenTest {

  /** The reference cases and the options' ({@code min_kept}, smoothing, align_corners). */
  static List<String> cases() {
    return Golden.casesWithOptions();
  }

  /** The rule over a group of images, with the top-k resolved from merged per-image histograms. */
  static OhemOutcome outcome(OhemParams params, List<ImageLosses> images) {
    long nValid = 0;
    long nHard = 0;
    double sumHard = 0;
    for (ImageLosses img : images) {
      nValid += img.nValid();
      nHard += img.nHard();
      sumHard += img.sumHard();
    }
    TopK topk = null;
    if (OhemOutcome.needsTopK(params, nValid, nHard)) {
      TopKSearch search = new TopKSearch(params.nMin(nValid));
      boolean done = false;
      while (!done) {
        LossHistogram merged = search.histogram();
        for (ImageLosses img : images) {
          LossHistogram part = merged.emptyCopy();
          part.addValid(img.losses(), img.labels(), params.ignoreIndex());
          merged.merge(part);
        }
        done = search.offer(merged);
        assertTrue(search.levels() <= 4, "at most four levels");
      }
      topk = search.result();
    }
    return OhemOutcome.of(params, nValid, nHard, sumHard, topk);
  }

  /** Kept flat indices {@code n*H*W + i}, tie quota assigned in image order. */
  static TreeSet<Long> kept(OhemOutcome o, List<ImageLosses> images, int ignoreIndex) {
    KeepRule rule = o.rule();
    long ties = rule.tiesKept();
    TreeSet<Long> out = new TreeSet<>();
    long offset = 0;
    for (ImageLosses img : images) {
      long eq = KeptPixels.countEqual(img, rule.cut(), ignoreIndex);
      long quota = Math.min(ties, eq);
      ties -= quota;
      final long base = offset;
      KeptPixels.forEach(img, rule.withTies(quota), ignoreIndex, (i, label, loss) -> {
        assertTrue(label != ignoreIndex, "ignored pixel kept");
        assertEquals(img.labels()[i], label);
        assertEquals(img.losses()[i], loss);
        assertTrue(out.add(base + i), "visited twice");
      });
      offset += img.pixels();
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void datasetOutcomeMatchesFloat64(String name) {
    Golden.Case gc = Golden.load(name);
    OhemParams params = gc.params().toOhemParams();
    Golden.Expected ex = gc.float64();
    List<ImageLosses> images = CrossEntropyKernelTest.compute(gc, new CrossEntropyKernel(params));
    OhemOutcome o = outcome(params, images);

    assertEquals(ex.nValid(), o.nValid(), "n_valid");
    assertEquals(ex.nMin(), o.nMin(), "n_min");
    assertEquals(ex.nHard(), o.nHard(), "n_hard");
    assertEquals(ex.nKept(), o.nKept(), "n_kept");
    assertEquals(ex.usedTopk(), o.usedTopk(), "used_topk");
    assertEquals(ex.lossThreshold(), o.lossThreshold(), 1e-15, "loss_threshold");
    if (ex.mean() == null) {
      assertNull(o.mean(), "mean");
      assertEquals("EMPTY", o.status());
    } else {
      assertNotNull(o.mean(), "mean");
      assertEquals("OK", o.status());
      assertEquals(ex.mean(), o.mean(), 1e-6 * Math.abs(ex.mean()), "float64 mean");
      assertEquals(gc.float32().mean(), o.mean(), 1e-5 * Math.abs(gc.float32().mean()),
          "float32 mean");
    }
    if (ex.kthLoss() == null) {
      assertNull(o.kthLoss(), "kth_loss");
    } else {
      assertNotNull(o.kthLoss(), "kth_loss");
      assertEquals(ex.kthLoss(), o.kthLoss(), 1e-6, "kth_loss");
    }

    TreeSet<Long> kept = kept(o, images, params.ignoreIndex());
    assertEquals(ex.nKept(), kept.size(), "kept pixels");
    // the kept mean equals the outcome's mean
    if (o.mean() != null) {
      double s = 0;
      for (long f : kept) {
        s += loss(images, f);
      }
      assertEquals(o.mean(), s / kept.size(), 1e-12 * Math.max(1, o.mean()));
    }
    TreeSet<Long> expected = new TreeSet<>();
    for (long f : ex.keptIndices()) {
      expected.add(f);
    }
    List<Long> diff = new ArrayList<>();
    for (long f : kept) {
      if (!expected.contains(f)) {
        diff.add(f);
      }
    }
    for (long f : expected) {
      if (!kept.contains(f)) {
        diff.add(f);
      }
    }
    for (long f : diff) {
      double l = loss(images, f);
      boolean boundary = Math.abs(l - ex.lossThreshold()) <= 1e-6
          || (ex.kthLoss() != null && Math.abs(l - ex.kthLoss()) <= 1e-6);
      assertTrue(boundary, name + ": flat index " + f + " (loss " + l
          + ") kept by one side only, not at the threshold or k-th loss");
    }
    if (!ex.tieAtKth()) {
      assertEquals(expected, kept, name + ": kept set without ties");
    }
  }

  private static double loss(List<ImageLosses> images, long flat) {
    int hw = images.get(0).pixels();
    return images.get((int) (flat / hw)).losses()[(int) (flat % hw)];
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void perImageOutcomeMatchesFloat64(String name) {
    Golden.Case gc = Golden.load(name);
    OhemParams params = gc.params().toOhemParams();
    List<ImageLosses> images = CrossEntropyKernelTest.compute(gc, new CrossEntropyKernel(params));
    for (int n = 0; n < images.size(); n++) {
      ImageLosses img = images.get(n);
      OhemOutcome alone = OhemOutcome.ofImage(params, img);
      // ofImage agrees with the group rule applied to one image
      OhemOutcome group = outcome(params, List.of(img));
      assertEquals(group.nKept(), alone.nKept());
      assertEquals(group.mean() == null, alone.mean() == null);
      if (group.mean() != null) {
        assertEquals(group.mean(), alone.mean(), 1e-12 * Math.max(1, group.mean()));
      }
      assertEquals(group.kthLoss(), alone.kthLoss());
      assertEquals(group.rule(), alone.rule());
      KeptPixels.Totals t = KeptPixels.totals(img, alone.rule(), params.ignoreIndex());
      assertEquals(alone.nKept(), t.count(), name + " image " + n + " kept count");
      if (alone.mean() != null) {
        assertEquals(alone.mean(), t.mean(), 1e-12 * Math.max(1, alone.mean()));
      } else {
        assertNull(t.mean());
      }
    }
    if (gc.perImage() == null) {
      return;
    }
    assertEquals(gc.perImage().size(), images.size());
    for (Golden.PerImage pi : gc.perImage()) {
      OhemOutcome o = OhemOutcome.ofImage(params, images.get(pi.image()));
      String what = name + " image " + pi.image();
      assertEquals(pi.nValid(), o.nValid(), what + " n_valid");
      assertEquals(pi.nMin(), o.nMin(), what + " n_min");
      assertEquals(pi.nHard(), o.nHard(), what + " n_hard");
      assertEquals(pi.usedTopk(), o.usedTopk(), what + " used_topk");
      if (pi.mean() == null) {
        assertNull(o.mean(), what);
      } else {
        assertEquals(pi.mean(), o.mean(), 1e-6 * Math.abs(pi.mean()), what + " mean");
      }
    }
  }

  // ----- small hand-made cases of the rule -----

  private static ImageLosses image(OhemParams p, int[] labels, double... lossesWanted) {
    // two classes, logits (0, z) with label 0 give loss ln(1 + e^z); choose z = ln(e^L - 1)
    int n = labels.length;
    double[] v = new double[2 * n];
    for (int i = 0; i < n; i++) {
      v[n + i] = Math.log(Math.expm1(lossesWanted[i]));
    }
    return new CrossEntropyKernel(p).compute("h", new ArrayLogits(2, 1, n, v), labels, 1, n);
  }

  @Test
  void nMinZeroAndNoHardPixelIsEmpty() {
    OhemParams p = OhemParams.DEFAULTS; // factor 16
    ImageLosses img = image(p, new int[] {0, 0, 0}, 0.1, 0.2, 0.3);
    OhemOutcome o = OhemOutcome.ofImage(p, img);
    assertNull(o.mean());
    assertEquals("EMPTY", o.status());
    assertEquals(0, o.nMin());
    assertEquals(0, o.nKept());
    assertEquals(KeepRule.NONE, o.rule());
    assertEquals(0, KeptPixels.totals(img, o.rule(), 255).count());
  }

  @Test
  void topKBranchMeanByHand() {
    // factor 2, 6 valid pixels: n_min 3; losses 0.1, 0.3, 0.2, 0.3, 0.05, 0.3 — none hard
    // (threshold 0.357); top-3 = 0.3, 0.3, 0.3 → mean 0.3, kth 0.3, 3 ties all kept
    OhemParams p = OhemParams.DEFAULTS.withFactor(2);
    ImageLosses img = image(p, new int[] {0, 0, 0, 0, 0, 0, 255}, 0.1, 0.3, 0.2, 0.3, 0.05, 0.3,
        5.0);
    assertEquals(6, img.nValid());
    OhemOutcome o = OhemOutcome.ofImage(p, img);
    assertTrue(o.usedTopk());
    assertEquals(3, o.nKept());
    assertEquals(img.losses()[1], o.kthLoss(), 0.0);
    assertEquals(0.3, o.mean(), 1e-12);
    // factor 1: all six kept, mean of all
    OhemParams p1 = p.withFactor(1);
    OhemOutcome o1 = OhemOutcome.ofImage(p1, image(p1, new int[] {0, 0, 0, 0, 0, 0, 255},
        0.1, 0.3, 0.2, 0.3, 0.05, 0.3, 5.0));
    assertEquals((0.1 + 0.3 + 0.2 + 0.3 + 0.05 + 0.3) / 6, o1.mean(), 1e-12);
    assertEquals(0.05, o1.kthLoss(), 1e-12);
  }

  @Test
  void tieQuotaKeepsFirstPixelsInIndexOrder() {
    // factor 2, 8 valid: n_min 4; losses: 0.9 (hard) and five ties at 0.2 → kth 0.2, keep 3 ties
    OhemParams p = OhemParams.DEFAULTS.withFactor(2);
    double a = 0.2;
    ImageLosses img = image(p, new int[] {0, 0, 0, 0, 0, 0, 0, 0}, a, 0.1, a, 0.9, a, 0.1, a, a);
    OhemOutcome o = OhemOutcome.ofImage(p, img);
    assertTrue(o.usedTopk());
    assertEquals(1, o.nHard());
    assertEquals(3, o.rule().tiesKept());
    List<Integer> seen = new ArrayList<>();
    KeptPixels.forEach(img, o.rule(), 255, (i, label, loss) -> seen.add(i));
    assertEquals(List.of(0, 2, 3, 4), seen);
    assertEquals(5, KeptPixels.countEqual(img, o.rule().cut(), 255));
  }

  @Test
  void ignoredPixelsAreNeverKeptEvenAtAZeroCut() {
    // C = 1: every loss is 0; n_min = 2 of 4 valid; kth = 0; ignored pixels come first
    OhemParams p = OhemParams.DEFAULTS.withFactor(2);
    ImageLosses img = new CrossEntropyKernel(p).compute("z",
        new ArrayLogits(1, 1, 6, new double[6]), new int[] {255, 255, 0, 0, 0, 0}, 1, 6);
    OhemOutcome o = OhemOutcome.ofImage(p, img);
    assertEquals(0.0, o.mean());
    assertEquals(0.0, o.kthLoss());
    List<Integer> seen = new ArrayList<>();
    KeptPixels.forEach(img, o.rule(), 255, (i, label, loss) -> seen.add(i));
    assertEquals(List.of(2, 3), seen);
  }

  @Test
  void ofRejectsAMissingOrWrongTopK() {
    OhemParams p = OhemParams.DEFAULTS.withFactor(2);
    assertTrue(OhemOutcome.needsTopK(p, 10, 4));
    assertFalse(OhemOutcome.needsTopK(p, 10, 5));
    assertThrows(IllegalArgumentException.class, () -> OhemOutcome.of(p, 10, 4, 4.0, null));
    assertThrows(IllegalArgumentException.class,
        () -> OhemOutcome.of(p, 10, 4, 4.0, new TopK(4, 1.0, 3, 3.0, 1)));
    OhemOutcome hard = OhemOutcome.of(p, 10, 5, 7.5, null);
    assertEquals(1.5, hard.mean());
    assertEquals(new KeepRule(p.lossThreshold(), 0), hard.rule());
  }
}
