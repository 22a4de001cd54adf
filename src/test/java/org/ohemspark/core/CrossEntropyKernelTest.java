package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.io.NpyArray;
import org.ohemspark.testing.ArrayLogits;
import org.ohemspark.testing.Golden;

class CrossEntropyKernelTest {

  static List<String> cases() {
    return Golden.casesWithOptions();
  }

  @Test
  void allSixteenGoldenCasesArePresent() {
    assertEquals(16, Golden.cases().size(), Golden.cases().toString());
  }

  /** Decodes and computes every image of a case with one kernel. */
  static List<ImageLosses> compute(Golden.Case gc, CrossEntropyKernel kernel) {
    List<ImageLosses> out = new ArrayList<>();
    for (int n = 0; n < gc.images(); n++) {
      String id = Golden.Case.imageId(n);
      Logits logits = NpyArray.parse(gc.logitsFile(n).toString(), gc.logitsBytes(n))
          .asLogits(id);
      int[] dims = new int[2];
      int[] labels = NpyArray.parse(gc.labelsFile(n).toString(), gc.labelsBytes(n))
          .asLabels(id, dims);
      assertEquals(gc.height(), dims[0]);
      assertEquals(gc.width(), dims[1]);
      out.add(kernel.compute(id, logits, labels, dims[0], dims[1]));
    }
    return out;
  }

  /** Every golden case with each row arithmetic: the scalar loops and the one the job uses. */
  static List<Arguments> casesAndMaths() {
    List<Arguments> out = new ArrayList<>();
    for (String name : Golden.casesWithOptions()) {
      out.add(Arguments.of(name, "scalar"));
      out.add(Arguments.of(name, "best"));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("casesAndMaths")
  void perPixelLossMatchesPyTorch(String name, String impl) {
    Golden.Case gc = Golden.load(name);
    OhemParams params = gc.params().toOhemParams();
    RowMath math = impl.equals("scalar") ? RowMath.scalar() : RowMath.best();
    List<ImageLosses> images = compute(gc, new CrossEntropyKernel(params, math));
    float[] ref = gc.lossesF32();
    int hw = gc.height() * gc.width();
    long nValid = 0;
    long nHard = 0;
    for (int n = 0; n < images.size(); n++) {
      ImageLosses img = images.get(n);
      assertEquals(Golden.Case.imageId(n), img.imageId());
      assertEquals(gc.height(), img.height());
      assertEquals(gc.width(), img.width());
      assertEquals(hw, img.pixels());
      long valid = 0;
      long hard = 0;
      double sumHard = 0;
      double sumLoss = 0;
      double max = Double.NaN;
      for (int i = 0; i < hw; i++) {
        double loss = img.losses()[i];
        String where = name + " image " + n + " pixel " + i;
        if (img.labels()[i] == params.ignoreIndex()) {
          assertEquals(0L, Double.doubleToRawLongBits(loss), where + " ignored must be +0.0");
          assertEquals(0f, ref[n * hw + i], where);
          continue;
        }
        assertTrue(loss >= 0 && Double.isFinite(loss), where + " loss " + loss);
        assertEquals(ref[n * hw + i], loss, 1e-5, where);
        valid++;
        sumLoss += loss;
        max = Double.isNaN(max) ? loss : Math.max(max, loss);
        if (loss > params.lossThreshold()) {
          hard++;
          sumHard += loss;
        }
      }
      assertEquals(valid, img.nValid(), name + " image " + n + " n_valid");
      assertEquals(hard, img.nHard(), name + " image " + n + " n_hard");
      assertEquals(sumHard, img.sumHard(), 1e-9 * Math.max(1, sumHard));
      assertEquals(sumLoss, img.sumLoss(), 1e-9 * Math.max(1, sumLoss));
      assertEquals(max, img.maxLoss(), 0.0);
      nValid += img.nValid();
      nHard += img.nHard();
    }
    assertEquals(gc.float64().nValid(), nValid, name + " n_valid");
    assertEquals(gc.float64().nHard(), nHard, name + " n_hard");
  }

  /** One kernel reused across images of different shapes, classes and resize gives the same. */
  @Test
  void reusedKernelGivesTheSameLossesAsFreshOnes() {
    OhemParams p = OhemParams.DEFAULTS;
    String[] order = {"ade_150_classes", "bilinear_upsample", "seed_example",
        "bilinear_upsample", "topk_path", "ade_150_classes", "mixed_with_ignore",
        "bilinear_upsample"};
    CrossEntropyKernel shared = new CrossEntropyKernel(p);
    for (String name : order) {
      Golden.Case gc = Golden.load(name);
      assertEquals(p, gc.params().toOhemParams(), name);
      List<ImageLosses> a = compute(gc, shared);
      List<ImageLosses> b = compute(gc, new CrossEntropyKernel(p));
      for (int n = 0; n < a.size(); n++) {
        assertArrayEquals(b.get(n).losses(), a.get(n).losses(), name + " image " + n);
      }
    }
  }

  private static ImageLosses one(OhemParams p, int label, double... logitsPerClass) {
    return new CrossEntropyKernel(p).compute("px", new ArrayLogits(logitsPerClass.length, 1, 1,
        logitsPerClass.clone()), new int[] {label}, 1, 1);
  }

  @Test
  void onePixelByHand() {
    double ln3 = Math.log(3);
    // softmax(0, ln 3) = (1/4, 3/4)
    assertEquals(Math.log(4), one(OhemParams.DEFAULTS, 0, 0, ln3).losses()[0], 1e-15);
    assertEquals(Math.log(4.0 / 3.0), one(OhemParams.DEFAULTS, 1, 0, ln3).losses()[0], 1e-15);
    // three classes, class weights (w[y] * nll)
    double nll2 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
    OhemParams w = OhemParams.DEFAULTS.withClassWeights(new double[] {1, 1, 0.5});
    assertEquals(0.5 * nll2, one(w, 2, 1, 2, 3).losses()[0], 1e-14);
    double nll0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
    assertEquals(nll0, one(w, 0, 1, 2, 3).losses()[0], 1e-14);
    // equal logits: ln C
    assertEquals(Math.log(5), one(OhemParams.DEFAULTS, 3, 7, 7, 7, 7, 7).losses()[0], 1e-14);
  }

  @Test
  void onePixelFiguresAndThreshold() {
    // loss ln 4 = 1.386 > -ln 0.7 = 0.357: hard
    ImageLosses hard = one(OhemParams.DEFAULTS, 0, 0, Math.log(3));
    assertEquals(1, hard.nValid());
    assertEquals(1, hard.nHard());
    assertEquals(Math.log(4), hard.sumHard(), 1e-15);
    assertEquals(Math.log(4), hard.maxLoss(), 1e-15);
    // loss ln(4/3) = 0.288 < 0.357: not hard
    ImageLosses easy = one(OhemParams.DEFAULTS, 1, 0, Math.log(3));
    assertEquals(1, easy.nValid());
    assertEquals(0, easy.nHard());
    assertEquals(0.0, easy.sumHard());
  }

  @Test
  void magnitude1e4NeitherOverflowsNorLosesTheTarget() {
    // [C=3, h=1, w=4]; pixel x: channel values
    double[] v = {
        1e4, -1e4, 1e4, 1e4, // c = 0
        -1e4, 1e4, 1e4, 1e4, // c = 1
        0, 0, 1e4, -1e4}; // c = 2
    int[] labels = {1, 1, 2, 2};
    ImageLosses r = new CrossEntropyKernel(OhemParams.DEFAULTS)
        .compute("big", new ArrayLogits(3, 1, 4, v), labels, 1, 4);
    double[] l = r.losses();
    for (double x : l) {
      assertTrue(Double.isFinite(x), "finite: " + x);
    }
    assertEquals(2e4, l[0], 1e-9); // ln(1 + e^-2e4 + e^-1e4) + 2e4
    assertEquals(0.0, l[1], 1e-12); // the target is the max, others far below
    assertEquals(Math.log(3), l[2], 1e-12); // three equal logits 1e4
    assertEquals(2e4 + Math.log(2), l[3], 1e-9); // lse = 1e4 + ln 2, target -1e4
    assertEquals(3, r.nHard()); // 2e4, ln 3 = 1.1, 2e4: hard; 0 not
  }

  @Test
  void nanLogitThrowsWithImageIdAndPosition() {
    double[] v = new double[2 * 3 * 4];
    v[(1 * 3 + 2) * 4 + 3] = Double.NaN; // c=1, y=2, x=3
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> new CrossEntropyKernel(OhemParams.DEFAULTS).compute("img_0042",
            new ArrayLogits(2, 3, 4, v), new int[12], 3, 4));
    assertTrue(e.getMessage().contains("img_0042"), e.getMessage());
    assertTrue(e.getMessage().contains("c=1") && e.getMessage().contains("y=2")
        && e.getMessage().contains("x=3"), e.getMessage());
    assertEquals("img_0042", e.imageId());
  }

  @Test
  void infiniteLogitThrowsWithImageIdAndPosition() {
    double[] v = new double[3 * 2 * 5];
    v[(2 * 2 + 0) * 5 + 4] = Double.POSITIVE_INFINITY; // c=2, y=0, x=4
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> new CrossEntropyKernel(OhemParams.DEFAULTS).compute("im7",
            new ArrayLogits(3, 2, 5, v), new int[10], 2, 5));
    assertTrue(e.getMessage().contains("im7"), e.getMessage());
    assertTrue(e.getMessage().contains("c=2") && e.getMessage().contains("y=0")
        && e.getMessage().contains("x=4"), e.getMessage());
  }

  /**
   * Classes masked with -inf, as PyTorch allows: logits [3, 1, 2] = {{0.5, 1}, {2, -inf},
   * {-inf, -1}}, labels {0, 2}. PyTorch 1.13's {@code F.cross_entropy(reduction='none')} gives
   * 1.7014133930206299 and 2.1269280910491943 in float32; in double, ln(e^0.5 + e^2) - 0.5 and
   * ln(e^1 + e^-1) + 1. Both the float path (float32 logits) and the double path agree.
   */
  @Test
  void negativeInfinityOfAnotherClassIsAllowedAsInPyTorch() {
    double inf = Double.NEGATIVE_INFINITY;
    double[] v = {0.5, 1.0, 2.0, inf, inf, -1.0};
    float[] f = {0.5f, 1f, 2f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f};
    double want0 = Math.log(Math.exp(0.5) + Math.exp(2.0)) - 0.5;
    double want1 = Math.log(Math.exp(1.0) + Math.exp(-1.0)) + 1.0;
    for (RowMath math : new RowMath[] {RowMath.scalar(), RowMath.best()}) {
      for (Logits logits : new Logits[] {new ArrayLogits(3, 1, 2, v),
          FloatLogitsPathTest.float32(f, 3, 1, 2)}) {
        ImageLosses r = new CrossEntropyKernel(OhemParams.DEFAULTS, math)
            .compute("masked", logits, new int[] {0, 2}, 1, 2);
        String where = math.name() + " floatExact=" + logits.floatExact();
        assertEquals(want0, r.losses()[0], 1e-6, where);
        assertEquals(want1, r.losses()[1], 1e-6, where);
        assertEquals(1.7014133930206299, r.losses()[0], 1e-6, where + " (PyTorch)");
        assertEquals(2.1269280910491943, r.losses()[1], 1e-6, where + " (PyTorch)");
        assertEquals(2, r.nHard(), where);
      }
    }
  }

  /**
   * Where the label's own logit is -inf PyTorch gives an infinite loss (and an infinite OHEM
   * mean): a bad record naming the pixel, the label and the logit. All logits -inf at a pixel
   * (PyTorch: NaN) and a -inf that would be resized (its bilinear neighbours become NaN) are
   * bad records too.
   */
  @Test
  void negativeInfinityThatMakesALossInfiniteOrUndefinedIsABadRecord() {
    double inf = Double.NEGATIVE_INFINITY;
    for (RowMath math : new RowMath[] {RowMath.scalar(), RowMath.best()}) {
      BadRecordException label = assertThrows(BadRecordException.class,
          () -> new CrossEntropyKernel(OhemParams.DEFAULTS, math).compute("lbl",
              new ArrayLogits(3, 1, 2, new double[] {0.5, 1.0, 2.0, inf, inf, -1.0}),
              new int[] {0, 1}, 1, 2));
      assertTrue(label.getMessage().contains("loss Infinity at (y=0, x=1) for label 1 (its "
          + "logit -Infinity)"), math.name() + ": " + label.getMessage());
      assertEquals("lbl", label.imageId());

      BadRecordException all = assertThrows(BadRecordException.class,
          () -> new CrossEntropyKernel(OhemParams.DEFAULTS, math).compute("all",
              new ArrayLogits(2, 1, 3, new double[] {0, inf, 1, 0, inf, 1}),
              new int[] {0, 255, 1}, 1, 3));
      assertTrue(all.getMessage().contains("all 2 logits at (y=0, x=1) are -Infinity"),
          math.name() + ": " + all.getMessage());
    }
    double[] small = new double[2 * 2 * 2];
    small[3] = inf; // c=0, y=1, x=1
    BadRecordException resized = assertThrows(BadRecordException.class,
        () -> new CrossEntropyKernel(OhemParams.DEFAULTS).compute("rs",
            new ArrayLogits(2, 2, 2, small), new int[16], 4, 4));
    assertTrue(resized.getMessage().contains("logit -Infinity at (c=0, y=1, x=1): logits that "
        + "are resized"), resized.getMessage());
  }

  @Test
  void nonFiniteLogitIsFoundInWideRowsByBothImplementations() {
    // width 37: vector lanes plus a scalar tail; bad values in the body and in the tail
    for (RowMath math : new RowMath[] {RowMath.scalar(), RowMath.best()}) {
      for (int x : new int[] {3, 17, 36}) {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
          double[] v = new double[4 * 3 * 37];
          v[(2 * 3 + 1) * 37 + x] = bad; // c=2, y=1
          BadRecordException e = assertThrows(BadRecordException.class,
              () -> new CrossEntropyKernel(OhemParams.DEFAULTS, math).compute("wide",
                  new ArrayLogits(4, 3, 37, v), new int[3 * 37], 3, 37));
          assertTrue(e.getMessage().contains("c=2") && e.getMessage().contains("y=1")
              && e.getMessage().contains("x=" + x), math.name() + " " + e.getMessage());
        }
      }
    }
  }

  @Test
  void nonFiniteLogitIsCaughtOnTheResizePathToo() {
    double[] v = new double[2 * 2 * 2];
    v[5] = Double.NaN; // c=1, y=0, x=1
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> new CrossEntropyKernel(OhemParams.DEFAULTS).compute("rs",
            new ArrayLogits(2, 2, 2, v), new int[16], 4, 4));
    assertTrue(e.getMessage().contains("rs") && e.getMessage().contains("c=1"),
        e.getMessage());
  }

  @Test
  void labelOutsideClassRangeThrowsWithTheValue() {
    double[] v = new double[3 * 2 * 2];
    int[][] bad = {{0, 3, 1, 255}, {-1, 0, 0, 0}, {0, 0, 254, 0}};
    for (int[] labels : bad) {
      BadRecordException e = assertThrows(BadRecordException.class,
          () -> new CrossEntropyKernel(OhemParams.DEFAULTS).compute("lab9",
              new ArrayLogits(3, 2, 2, v), labels, 2, 2));
      int value = labels[0] == -1 ? -1 : labels[1] == 3 ? 3 : 254;
      assertTrue(e.getMessage().contains("label " + value), e.getMessage());
      assertTrue(e.getMessage().contains("lab9"), e.getMessage());
    }
    // the ignore index is accepted whatever C is, and counts as not valid
    ImageLosses ok = new CrossEntropyKernel(OhemParams.DEFAULTS)
        .compute("ok", new ArrayLogits(3, 2, 2, v), new int[] {0, 255, 2, 255}, 2, 2);
    assertEquals(2, ok.nValid());
    assertEquals(Math.log(3), ok.losses()[0], 1e-15);
    assertEquals(0.0, ok.losses()[1]);
  }

  @Test
  void ignoreIndexZeroMakesClassZeroIgnored() {
    double[] v = {0, 1, 2, 3, 3, 2, 1, 0}; // [C=2, 1, 4]
    OhemParams p = OhemParams.DEFAULTS.withIgnoreIndex(0);
    ImageLosses r = new CrossEntropyKernel(p).compute("z", new ArrayLogits(2, 1, 4, v),
        new int[] {0, 1, 0, 1}, 1, 4);
    assertEquals(2, r.nValid());
    assertEquals(0.0, r.losses()[0]);
    assertEquals(Math.log(Math.exp(1) + Math.exp(2)) - 2, r.losses()[1], 1e-14);
  }

  @Test
  void mismatchedLabelCountOrClassWeightsThrow() {
    double[] v = new double[2 * 2 * 2];
    assertThrows(BadRecordException.class, () -> new CrossEntropyKernel(OhemParams.DEFAULTS)
        .compute("a", new ArrayLogits(2, 2, 2, v), new int[3], 2, 2));
    OhemParams w3 = OhemParams.DEFAULTS.withClassWeights(new double[] {1, 1, 1});
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> new CrossEntropyKernel(w3).compute("b", new ArrayLogits(2, 2, 2, v), new int[4],
            2, 2));
    assertTrue(e.getMessage().contains("3"), e.getMessage());
  }

  @Test
  void upsampledLogitsFollowBilinearInterpolation() {
    // C=2, h=1, w=2 → H=1, W=4: channel 0 = (0, 4), channel 1 = 0. Along x (in=2, out=4):
    // src = max((d + 0.5) / 2 - 0.5, 0) = 0, 0.25, 0.75, 1.25 → values 0, 1, 3, 4.
    double[] v = {0, 4, 0, 0};
    ImageLosses r = new CrossEntropyKernel(OhemParams.DEFAULTS)
        .compute("up", new ArrayLogits(2, 1, 2, v), new int[] {1, 1, 1, 1}, 1, 4);
    double[] expectLogit = {0, 1, 3, 4};
    for (int x = 0; x < 4; x++) {
      double l0 = expectLogit[x];
      double loss = Math.log(Math.exp(l0) + 1) - 0;
      assertEquals(loss, r.losses()[x], 1e-14, "x=" + x);
    }
  }

  @Test
  void zeroLossIsPositiveZero() {
    // weight -0.0 passes OhemParams (-0.0 >= 0) and gives -0.0 * nll; the loss must be +0.0,
    // since the top-k search orders losses by their bit patterns
    OhemParams p = OhemParams.DEFAULTS.withClassWeights(new double[] {-0.0, 1});
    ImageLosses r = one(p, 0, 0, Math.log(3));
    assertEquals(0L, Double.doubleToRawLongBits(r.losses()[0]));
    ImageLosses r2 = one(OhemParams.DEFAULTS, 0, 100, -100);
    assertEquals(0L, Double.doubleToRawLongBits(r2.losses()[0]));
  }

  /** Naive reference: bilinear (align_corners=False) per pixel, then log-sum-exp. */
  private static double[] naive(ArrayLogits l, int[] labels, int height, int width) {
    int c = l.channels();
    int h = l.height();
    int w = l.width();
    double[] out = new double[height * width];
    for (int y = 0; y < height; y++) {
      double sy = Math.max((y + 0.5) * h / height - 0.5, 0);
      int y0 = Math.min((int) sy, h - 1);
      int y1 = Math.min(y0 + 1, h - 1);
      double ly = sy - y0;
      for (int x = 0; x < width; x++) {
        double sx = Math.max((x + 0.5) * w / width - 0.5, 0);
        int x0 = Math.min((int) sx, w - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double lx = sx - x0;
        double[] z = new double[c];
        double m = Double.NEGATIVE_INFINITY;
        for (int ch = 0; ch < c; ch++) {
          double[] v = l.values();
          int base = ch * h * w;
          z[ch] = (1 - ly) * ((1 - lx) * v[base + y0 * w + x0] + lx * v[base + y0 * w + x1])
              + ly * ((1 - lx) * v[base + y1 * w + x0] + lx * v[base + y1 * w + x1]);
          m = Math.max(m, z[ch]);
        }
        double s = 0;
        for (double zc : z) {
          s += Math.exp(zc - m);
        }
        out[y * width + x] = Math.log(s) + m - z[labels[y * width + x]];
      }
    }
    return out;
  }

  @Test
  void resizedLogitsMatchANaiveBilinearReference() {
    java.util.Random r = new java.util.Random(11);
    int[][] sizes = {{4, 5, 16, 20}, {7, 5, 3, 4}, {3, 3, 8, 2}, {1, 6, 5, 6}, {9, 2, 9, 7},
        {5, 7, 5, 7}, {2, 2, 17, 3}, {6, 6, 2, 11}};
    CrossEntropyKernel shared = new CrossEntropyKernel(OhemParams.DEFAULTS);
    for (int[] s : sizes) {
      int c = 1 + r.nextInt(5);
      double[] v = new double[c * s[0] * s[1]];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextGaussian() * 4;
      }
      int[] labels = new int[s[2] * s[3]];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = r.nextInt(c);
      }
      ArrayLogits l = new ArrayLogits(c, s[0], s[1], v);
      double[] want = naive(l, labels, s[2], s[3]);
      double[] got = shared.compute("rs", l, labels.clone(), s[2], s[3]).losses();
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-12 * Math.max(1, want[i]),
            java.util.Arrays.toString(s) + " pixel " + i);
      }
    }
  }
}
