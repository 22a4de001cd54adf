package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.LossSketch;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.DatasetDirectory;
import org.ohemspark.source.SyntheticImages;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.SparkTestSession;

/**
 * The one-pass approximate top-k ({@link OhemMiner#estimate}) against the exact mode and
 * PyTorch: its bounds hold the exact k-th loss and mean on every golden case (reference and
 * options) and on generated datasets of 1x and 16x (4 and 64 images), its counts are exact, and
 * the threshold branch is exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApproxTopKTest {
  SparkSession spark;

  @BeforeAll
  void start() {
    spark = SparkTestSession.create("approx-topk");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  static Stream<String> cases() {
    return Golden.casesWithOptions().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void boundsHoldPyTorchsFigures(String name) {
    Golden.Case c = Golden.load(name);
    Golden.Expected e = c.float64();
    OhemMiner.Estimate est = OhemMiner.on(spark).params(c.params().toOhemParams())
        .partitions(2).estimate(new DatasetDirectory(c.dir().toString()));
    MiningSummary s = est.summary();
    assertEquals(e.nValid(), s.nValid(), "n_valid");
    assertEquals(e.nMin(), s.nMin(), "n_min");
    assertEquals(e.nHard(), s.nHard(), "n_hard");
    assertEquals(e.nKept(), s.nKept(), "n_kept");
    assertEquals(e.usedTopk(), s.usedTopk(), "used_topk");
    if (!e.usedTopk()) {
      assertNull(est.bounds(), "the threshold branch is exact");
      if (e.mean() == null) {
        assertNull(s.mean());
      } else {
        assertEquals(e.mean(), s.mean(), 1e-6 * e.mean(), "mean");
      }
      return;
    }
    LossSketch.Bounds b = est.bounds();
    assertNotNull(b);
    assertTrue(b.kthLo() - 1e-6 <= e.kthLoss() && e.kthLoss() <= b.kthHi() + 1e-6,
        name + " kth " + e.kthLoss() + " in " + b);
    assertTrue(b.meanLo() * (1 - 1e-6) <= e.mean() && e.mean() <= b.meanHi() * (1 + 1e-6),
        name + " mean " + e.mean() + " in " + b);
  }

  /** 1x and 16x generated datasets: the bounds hold the exact mode's figures to the bit. */
  @Test
  void boundsHoldTheExactModesFiguresOnGeneratedData() {
    SyntheticImage.Spec spec = new SyntheticImage.Spec(19, 64, 128, 1, 11, 3);
    for (int images : new int[] {4, 64}) {
      SyntheticImages source = new SyntheticImages(spec, images, true);
      OhemMiner.Estimate est = OhemMiner.on(spark).estimate(source);
      try (OhemMiner.Result exact = OhemMiner.on(spark).mine(source)) {
        MiningSummary x = exact.summary();
        MiningSummary a = est.summary();
        assertTrue(x.usedTopk(), "the default rule takes the top-k branch here");
        assertEquals(x.nValid(), a.nValid());
        assertEquals(x.nHard(), a.nHard());
        assertEquals(x.nKept(), a.nKept());
        LossSketch.Bounds b = est.bounds();
        String what = images + " images: exact mean " + x.mean() + " kth " + x.kthLoss() + ", "
            + b;
        assertTrue(b.kthLo() <= x.kthLoss() && x.kthLoss() <= b.kthHi(), what);
        assertTrue(b.meanLo() <= x.mean() && x.mean() <= b.meanHi(), what);
        // a fine bin spans 2^-10 of its values: the bounds are that tight or tighter
        assertTrue(b.kthHi() - b.kthLo() <= x.kthLoss() * 0x1p-10, what);
        assertTrue(b.meanHi() - b.meanLo() <= x.mean() * 0x1p-10, what);
        assertEquals(exact.classReport().miou(), est.miou(), 0.0);
        assertEquals(exact.classReport().aacc(), est.aacc(), 0.0);
      }
    }
  }

  @Test
  void onlyTheDatasetScopeInFailfast() {
    DatasetDirectory d = new DatasetDirectory(Golden.load("seed_example").dir().toString());
    assertThrows(IllegalStateException.class,
        () -> OhemMiner.on(spark).groupBy(GroupBy.IMAGE).estimate(d));
    assertThrows(IllegalStateException.class,
        () -> OhemMiner.on(spark).mode(BadRecordMode.PERMISSIVE).estimate(d));
  }

  @Test
  void aBadRecordStopsThePassNamingTheImage() {
    SyntheticImage.Spec spec = new SyntheticImage.Spec(5, 16, 16, 1, 11, 1);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> OhemMiner.on(spark).params(OhemParams.DEFAULTS)
            .estimate(new SyntheticImages(spec, 12, false, 3)));
    assertTrue(e.getMessage().contains("image_id="), e.getMessage());
  }
}
