package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.testing.SparkTestSession;

/**
 * {@code --masks png} (and {@code masks=png} in a configuration file): every image's
 * {@code masks/<image_id>.png}, decoded with ImageIO, is 0 off its {@code hard_pixels/} rows and
 * {@code 1 + label} on them; 8-bit for the 5-class sample, 16-bit for 300 classes.
 */
class MaskPngsJobTest {
  private static SparkSession spark;
  private static final Path SAMPLE = Paths.get("samples", "tiny");

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("mask-pngs");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * Checks every mask file of {@code out} against its hard pixels; returns the largest value
   * seen.
   */
  private static int checkMasks(Path out, int bits) throws IOException {
    Map<String, Map<Long, Integer>> hard = new HashMap<>();
    for (Row h : spark.read().parquet(out.resolve("hard_pixels").toString()).collectAsList()) {
      hard.computeIfAbsent(h.getAs("image_id"), k -> new HashMap<>())
          .put(h.<Long>getAs("pixel_index"), h.<Integer>getAs("label"));
    }
    List<Row> images = spark.read().parquet(out.resolve("images").toString()).collectAsList();
    try (Stream<Path> files = Files.list(out.resolve("masks"))) {
      assertEquals(images.size(), files.count(), "one file per image");
    }
    int max = 0;
    long set = 0;
    for (Row img : images) {
      String id = img.getAs("image_id");
      BufferedImage png = ImageIO.read(out.resolve("masks").resolve(id + ".png").toFile());
      int h = img.getAs("height");
      int w = img.getAs("width");
      assertEquals(List.of(w, h), List.of(png.getWidth(), png.getHeight()), id);
      assertEquals(1, png.getRaster().getNumBands(), "grey: " + id);
      assertEquals(bits, png.getColorModel().getPixelSize(), id);
      Raster r = png.getRaster();
      Map<Long, Integer> kept = hard.getOrDefault(id, Map.of());
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          Integer label = kept.get((long) y * w + x);
          int v = r.getSample(x, y, 0);
          assertEquals(label == null ? 0 : 1 + label, v, id + " at y=" + y + " x=" + x);
          max = Math.max(max, v);
          set += v == 0 ? 0 : 1;
        }
      }
    }
    assertEquals(hard.values().stream().mapToLong(Map::size).sum(), set);
    assertTrue(set > 0, "some pixel is kept");
    return max;
  }

  @Test
  void eightBitMasksHoldOnePlusTheKeptLabels() throws IOException {
    Path out = tmp.resolve("out");
    JobRun r = JobRun.of(OhemMineJob::run, spark, "--input", SAMPLE.toString(), "--output",
        out.toString(), "--masks", "png");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(checkMasks(out, 8) <= 5);
    assertTrue(r.out().contains("confusion/, masks/)"), r.out());
    assertEquals("masks", new ObjectMapper().readTree(out.resolve("summary.json").toFile())
        .get("outputs").get("masks").asText());
  }

  @Test
  void sixteenBitMasksAbove254ClassesFromTheConfigurationFile() throws IOException {
    Path data = c300(tmp.resolve("c300"));
    Path conf = tmp.resolve("masks.properties");
    Files.writeString(conf, "masks=png\n");
    Path out = tmp.resolve("out");
    JobRun r = JobRun.of(OhemMineJob::run, spark, "--input", data.toString(), "--output",
        out.toString(), "--conf", conf.toString(), "--group-by", "image");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(checkMasks(out, 16) > 255, "values above 8 bits are kept");
  }

  /**
   * Three 24x20 images of 300 classes: labels {@code (7 * i + 13 * y + x) % 300} as int32 npy
   * (255 as the ignore index, as any label), logits float32 {@code [300, 24, 20]} pseudo-random
   * in [-4, 4], so the kept pixels' labels range over 0..299.
   */
  private static Path c300(Path dir) throws IOException {
    int c = 300;
    int h = 24;
    int w = 20;
    Files.createDirectories(dir.resolve("logits"));
    Files.createDirectories(dir.resolve("labels"));
    java.util.Random rnd = new java.util.Random(300);
    for (int i = 0; i < 3; i++) {
      int[] labels = new int[h * w];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          labels[y * w + x] = (7 * i + 13 * y + x) % c;
        }
      }
      float[] logits = new float[c * h * w];
      for (int k = 0; k < logits.length; k++) {
        logits[k] = rnd.nextFloat() * 8 - 4;
      }
      Files.write(dir.resolve("labels/img" + i + ".npy"), org.ohemspark.testing.NpyBytes.file(
          "<i4", false, new long[] {h, w}, org.ohemspark.testing.NpyBytes.ints(
              java.nio.ByteOrder.LITTLE_ENDIAN, labels)));
      Files.write(dir.resolve("logits/img" + i + ".npy"),
          org.ohemspark.io.NpyWriter.floats(logits, false, c, h, w));
    }
    return dir;
  }

  /** The sample as one tar whose keys are {@code <prefix><id>}. */
  private static Path sampleTar(Path dir, String prefix) throws IOException {
    org.ohemspark.testing.Tars tar = org.ohemspark.testing.Tars.create();
    for (String id : List.of("street_0001", "street_0002", "street_0003")) {
      tar.add(prefix + id + ".logits.npy",
          Files.readAllBytes(SAMPLE.resolve("logits/" + id + ".npy")));
      String label = id.equals("street_0003") ? "labels.npy" : "seg.png";
      tar.add(prefix + id + "." + label, Files.readAllBytes(SAMPLE.resolve("labels/" + id
          + (id.equals("street_0003") ? ".npy" : ".png"))));
    }
    Files.createDirectories(dir);
    Files.write(dir.resolve("shard-000000.tar"), tar.bytes());
    Files.copy(SAMPLE.resolve("dataset.json"), dir.resolve("dataset.json"));
    return dir;
  }

  /**
   * WebDataset keys with folders ({@code train/street_0001}) give sub-folders of masks/; a key
   * that is no safe file name ({@code a:b/...}) fails the job as bad input naming it, and
   * leaves no output.
   */
  @Test
  void keysWithFoldersBecomeSubFoldersAndUnsafeOnesAreRefused() throws IOException {
    Path out = tmp.resolve("out");
    JobRun r = JobRun.of(OhemMineJob::run, spark, "--input",
        sampleTar(tmp.resolve("nested"), "train/").toString(), "--output", out.toString(),
        "--masks", "png");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("masks/train/street_0001.png")));
    assertEquals(8, ImageIO.read(out.resolve("masks/train/street_0002.png").toFile())
        .getColorModel().getPixelSize());

    Path badOut = tmp.resolve("bad-out");
    JobRun bad = JobRun.of(OhemMineJob::run, spark, "--input",
        sampleTar(tmp.resolve("unsafe"), "c:").toString(), "--output", badOut.toString(),
        "--masks", "png");
    assertEquals(ExitCode.BAD_INPUT, bad.code(), bad.err());
    assertTrue(bad.err().contains("image_id='c:street_000") && bad.err().contains(
        "no safe file name for masks/<image_id>.png (it holds ':')"), bad.err());
    assertFalse(Files.exists(badOut), "nothing written");
  }

  @Test
  void noMasksByDefaultAndAnUnknownFormatIsRefused() throws IOException {
    Path out = tmp.resolve("out");
    assertEquals(ExitCode.OK, JobRun.of(OhemMineJob::run, spark, "--input", SAMPLE.toString(),
        "--output", out.toString()).code());
    assertFalse(Files.exists(out.resolve("masks")));
    JobRun bad = JobRun.of(OhemMineJob::run, spark, "--input", SAMPLE.toString(), "--output",
        tmp.resolve("out2").toString(), "--masks", "jpeg");
    assertEquals(ExitCode.BAD_ARGUMENTS, bad.code());
    assertTrue(bad.err().contains("masks must be 'none' or 'png', got 'jpeg'"), bad.err());
  }
}
