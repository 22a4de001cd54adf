package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.OhemParams;
import org.ohemspark.testing.NpyBytes;
import org.ohemspark.testing.SparkTestSession;

/**
 * Numbers at the edges through the Spark path, against independent arithmetic: float16 logits
 * at +-65504, n_min = 0 with no hard pixel (PyTorch's NaN), nothing but ignored pixels. The
 * golden cases cover ties, a single class and logits 1e4 apart.
 */
class EdgeNumbersTest {
  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("edges");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** float16 bits of +65504 and -65504. */
  private static final int HALF_MAX = 0x7bff;
  private static final int HALF_MIN = 0xfbff;

  private Path dataset(int[] halfLogits, int c, int h, int w, int[] labels) throws IOException {
    Files.createDirectories(dir.resolve("logits"));
    Files.createDirectories(dir.resolve("labels"));
    Files.write(dir.resolve("logits/a.npy"), NpyBytes.file("<f2", false, new long[] {c, h, w},
        NpyBytes.shorts(ByteOrder.LITTLE_ENDIAN, halfLogits)));
    Files.write(dir.resolve("labels/a.npy"), NpyBytes.file("<i8", false, new long[] {h, w},
        NpyBytes.longs(ByteOrder.LITTLE_ENDIAN, java.util.Arrays.stream(labels)
            .asLongStream().toArray())));
    return dir;
  }

  @Test
  void float16AtItsLimits() throws IOException {
    // 2 classes, 1x4 pixels; class 0 logit +65504, class 1 logit -65504 everywhere.
    // labels 0,1,1,255: losses 0, 131008, 131008, ignored. n_valid 3, n_min 3 // 1 = 3.
    int[] logits = {HALF_MAX, HALF_MAX, HALF_MAX, HALF_MAX, HALF_MIN, HALF_MIN, HALF_MIN,
        HALF_MIN};
    Path d = dataset(logits, 2, 1, 4, new int[] {0, 1, 1, 255});
    try (OhemMiner.Result r = OhemMiner.on(spark).params(OhemParams.DEFAULTS.withFactor(1))
        .mineDirectory(d.toString())) {
      MiningSummary s = r.summary();
      assertEquals(3, s.nValid());
      assertEquals(2, s.nHard());
      assertEquals(3, s.nMin());
      // top-k of 3: 131008, 131008, 0 -> mean 2 * 131008 / 3
      assertEquals(2 * 131008.0 / 3, s.mean(), 1e-9);
      assertEquals(0.0, s.kthLoss());
      assertEquals(3, r.hardPixels().count());
    }
  }

  @Test
  void nMinZeroWithoutHardPixelIsEmptyNotZero() throws IOException {
    // 15 confident pixels: n_min = 15 // 16 = 0 and none hard: PyTorch's mean of nothing, NaN
    int[] logits = new int[2 * 3 * 5];
    java.util.Arrays.fill(logits, 0, 15, 0x4900); // class 0: 10.0
    Path d = dataset(logits, 2, 3, 5, new int[15]);
    try (OhemMiner.Result r = OhemMiner.on(spark).mineDirectory(d.toString())) {
      assertNull(r.summary().mean());
      assertEquals("EMPTY", r.summary().status());
      assertEquals(0, r.summary().nKept());
      assertEquals(0, r.hardPixels().count());
    }
  }

  @Test
  void onlyIgnoredPixelsIsEmpty() throws IOException {
    int[] labels = new int[6];
    java.util.Arrays.fill(labels, 255);
    Path d = dataset(new int[3 * 2 * 3], 3, 2, 3, labels);
    try (OhemMiner.Result r = OhemMiner.on(spark).groupBy(GroupBy.IMAGE)
        .mineDirectory(d.toString())) {
      assertNull(r.summary().mean());
      assertEquals(0, r.summary().nValid());
      assertEquals(1, r.summary().nImagesEmpty());
      assertNull(r.images().first().getAs("ohem_mean"));
    }
  }
}
