package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.SparkTestSession;

/**
 * Every PyTorch golden case through the whole Spark path (directory listing, executors' kernel,
 * distributed top-k, outputs): the float64 mean within 1e-6 relative, the counts, and the kept
 * set equal to PyTorch's but for pixels within 1e-6 of the threshold or the k-th loss; where
 * ties make PyTorch's choice arbitrary, the kept ties must be the first in
 * (image_id, pixel_index) order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenSparkTest {
  SparkSession spark;

  @BeforeAll
  void start() {
    spark = newSession();
  }

  /** The class's one session: a subclass runs the same cases in a session of its own. */
  SparkSession newSession() {
    return SparkTestSession.create("golden");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  /** The reference cases and the options' ({@code min_kept}, smoothing, align_corners). */
  static Stream<String> cases() {
    return Golden.casesWithOptions().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void datasetScopeMatchesPyTorch(String name) {
    Golden.Case c = Golden.load(name);
    try (OhemMiner.Result r = OhemMiner.on(spark).params(c.params().toOhemParams())
        .partitions(2).mineDirectory(c.dir().toString())) {
      checkDatasetScope(c, r);
    }
  }

  /**
   * A dataset-scope run {@code r} over case {@code c}'s images gives PyTorch's figures, kept
   * set and tie order, and an {@code images/} row per image.
   */
  static void checkDatasetScope(Golden.Case c, OhemMiner.Result r) {
    Golden.Expected e = c.float64();
    MiningSummary s = r.summary();
    assertEquals(c.images(), s.nImages());
    assertEquals(e.nValid(), s.nValid(), "n_valid");
    assertEquals(e.nMin(), s.nMin(), "n_min");
    assertEquals(e.nHard(), s.nHard(), "n_hard");
    assertEquals(e.usedTopk(), s.usedTopk(), "used_topk");
    assertEquals(e.nKept(), s.nKept(), "n_kept");
    assertEquals(e.lossThreshold(), s.lossThreshold(), 1e-15);
    if (e.mean() == null) {
      assertNull(s.mean(), "PyTorch gives NaN: mean must be null");
      assertEquals("EMPTY", s.status());
    } else {
      assertEquals("OK", s.status());
      assertEquals(e.mean(), s.mean(), 1e-6 * Math.abs(e.mean()) + 1e-12, "mean");
    }
    if (e.usedTopk()) {
      assertNotNull(s.kthLoss());
      assertEquals(e.kthLoss(), s.kthLoss(), 1e-6, "kth_loss");
    } else {
      assertNull(s.kthLoss());
    }
    List<Row> kept = r.hardPixels().collectAsList();
    checkKeptSet(c, e, kept, s);
    checkTieOrder(c, r, kept);
    checkImagesTable(c, r.images().collectAsList(), s);
    // the per-class states merged from the executors (under Kryo too, KryoGoldenSparkTest)
    long classValid = 0;
    long classKept = 0;
    for (org.ohemspark.core.ClassReport.ClassRow row : r.classReport().classes()) {
      classValid += row.nValid();
      classKept += row.nKept();
    }
    assertEquals(s.nValid(), classValid, "classes n_valid sums to n_valid");
    assertEquals(s.nKept(), classKept, "classes n_kept sums to n_kept");
    assertEquals(s.nKept(), r.classReport().confusion().stream()
        .mapToLong(org.ohemspark.core.ClassReport.ConfusionRow::nKept).sum(),
        "confusion n_kept sums to n_kept");
  }

  private static void checkKeptSet(Golden.Case c, Golden.Expected e, List<Row> rows,
      MiningSummary s) {
    long hw = (long) c.height() * c.width();
    TreeSet<Long> ours = new TreeSet<>();
    for (Row r : rows) {
      long flat = Integer.parseInt(r.getString(0)) * hw + r.getLong(1);
      assertTrue(ours.add(flat), "pixel emitted twice: " + flat);
      assertEquals(r.getLong(1), (long) r.getInt(2) * c.width() + r.getInt(3), "pixel_index");
    }
    assertEquals(s.nKept(), ours.size(), "one hard_pixels row per kept pixel");
    TreeSet<Long> theirs = new TreeSet<>();
    for (long k : e.keptIndices()) {
      theirs.add(k);
    }
    float[] pyLoss = Golden.readFloat32(c.dir().resolve("losses_f32.npy"), c.labelsShape());
    List<Long> differ = new ArrayList<>();
    for (long k : union(ours, theirs)) {
      if (ours.contains(k) != theirs.contains(k)) {
        double l = pyLoss[(int) k];
        boolean nearCut = Math.abs(l - e.lossThreshold()) < 1e-6
            || (e.kthLoss() != null && Math.abs(l - e.kthLoss()) < 1e-6);
        if (!nearCut) {
          differ.add(k);
        }
      }
    }
    assertTrue(differ.isEmpty(), "kept set differs from PyTorch at " + differ);
  }

  /** On the top-k branch, the kept pixels at the k-th loss are a prefix in (id, pixel) order. */
  private static void checkTieOrder(Golden.Case c, OhemMiner.Result r, List<Row> kept) {
    if (!r.summary().usedTopk()) {
      return;
    }
    double kth = r.summary().kthLoss();
    long hw = (long) c.height() * c.width();
    TreeSet<Long> keptFlat = new TreeSet<>();
    for (Row row : kept) {
      keptFlat.add(Integer.parseInt(row.getString(0)) * hw + row.getLong(1));
    }
    TreeSet<Long> tied = new TreeSet<>();
    for (Row row : r.lossFrame().collectAsList()) {
      ImageLosses img = LossFrame.fromRow(row);
      long base = Integer.parseInt(img.imageId()) * hw;
      for (int i = 0; i < img.pixels(); i++) {
        if (img.label(i) != c.params().ignoreIndex() && img.losses()[i] == kth) {
          tied.add(base + i);
        }
      }
    }
    boolean gap = false;
    for (long k : tied) {
      if (!keptFlat.contains(k)) {
        gap = true;
      } else {
        assertFalse(gap, "tie at pixel " + k + " kept after an earlier tie was dropped");
      }
    }
    assertTrue(tied.stream().anyMatch(keptFlat::contains), "the k-th loss itself is kept");
  }

  private static TreeSet<Long> union(TreeSet<Long> a, TreeSet<Long> b) {
    TreeSet<Long> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  private static void checkImagesTable(Golden.Case c, List<Row> images, MiningSummary s) {
    assertEquals(c.images(), images.size());
    long valid = 0;
    long kept = 0;
    for (Row r : images) {
      assertEquals(c.height(), r.getInt(1));
      assertEquals(c.width(), r.getInt(2));
      valid += r.getLong(3);
      kept += r.getLong(5);
    }
    assertEquals(s.nValid(), valid);
    assertEquals(s.nKept(), kept);
  }

  static Stream<String> perImageCases() {
    return Golden.casesWithOptions().stream().filter(n -> Golden.load(n).perImage() != null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("perImageCases")
  void imageScopeMatchesPyTorchPerImage(String name) {
    Golden.Case c = Golden.load(name);
    try (OhemMiner.Result r = OhemMiner.on(spark).params(c.params().toOhemParams())
        .groupBy(GroupBy.IMAGE).partitions(2).mineDirectory(c.dir().toString())) {
      Map<String, Row> byId = new HashMap<>();
      for (Row row : r.images().collectAsList()) {
        byId.put(row.getString(0), row);
      }
      double sumMeans = 0;
      int withMean = 0;
      for (Golden.PerImage p : c.perImage()) {
        Row row = byId.get(Golden.Case.imageId(p.image()));
        assertEquals(p.nValid(), row.<Long>getAs("n_valid"));
        assertEquals(p.nMin(), row.<Long>getAs("n_min"));
        assertEquals(p.nHard(), row.<Long>getAs("n_hard"));
        assertEquals(p.usedTopk(), row.<Boolean>getAs("used_topk"));
        Double ours = row.getAs("ohem_mean");
        if (p.mean() == null) {
          assertNull(ours);
        } else {
          assertEquals(p.mean(), ours, 1e-6 * Math.abs(p.mean()));
          assertEquals(ours, row.<Double>getAs("mean_kept_loss"), 1e-15);
          sumMeans += p.mean();
          withMean++;
        }
      }
      assertEquals(sumMeans / withMean, r.summary().mean(), 1e-6 * Math.abs(sumMeans / withMean));
      assertEquals(r.summary().nKept(), r.hardPixels().count());
      assertEquals(c.images(), r.imageOutcomes().computed(),
          "each image's own rule (its top-k) selected once for images/ and hard_pixels/");
    }
  }
}
