package org.ohemspark.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.OhemParams;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.testing.NpyBytes;
import org.ohemspark.testing.Pngs;
import org.ohemspark.testing.SparkTestSession;
import org.ohemspark.testing.Tars;

/**
 * WebDataset tars through Spark: one tar per task, bad samples and keys found in two tars named
 * by tar and key, and label PNGs inside tars read right: a palette PNG gives its index where
 * Spark's image source and {@code getRGB} give colours, a 16-bit grey PNG its 16-bit value, and
 * a photo saved as a palette PNG is bad input where {@code classes} says so.
 */
class WebDatasetTarsTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("webdataset-tars");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Zero logits {@code [c, h, w]} float32: every class equally likely, loss ln(c). */
  static byte[] zeros(int c, int h, int w) {
    return NpyBytes.file("<f4", false, new long[] {c, h, w}, new byte[c * h * w * 4]);
  }

  static byte[] labels(int... v) {
    return NpyBytes.file("<i8", false, new long[] {1, v.length},
        NpyBytes.longs(ByteOrder.LITTLE_ENDIAN, java.util.Arrays.stream(v).asLongStream()
            .toArray()));
  }

  /** The BadRecordException in a cause chain (Spark wraps executor failures). */
  static BadRecordException cause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BadRecordException b) {
        return b;
      }
    }
    throw new AssertionError("no BadRecordException in " + t, t);
  }

  @Test
  void oneTarPerPartitionAndImagesInTarOrder() {
    for (int t = 0; t < 3; t++) {
      Tars.create().add("k" + t + "a.logits.npy", zeros(2, 1, 2))
          .add("k" + t + "a.labels.npy", labels(0, 1))
          .add("k" + t + "b.logits.npy", zeros(2, 1, 2))
          .add("k" + t + "b.labels.npy", labels(1, 255))
          .write(tmp.resolve(String.format("shard-%06d.tar", t)));
    }
    WebDatasetTars src = new WebDatasetTars(tmp.toString());
    assertEquals(3, src.records(spark, 0).rdd().getNumPartitions());
    assertEquals(1, src.records(spark, 1).rdd().getNumPartitions());
    try (OhemMiner.Result r = OhemMiner.on(spark).mine(src)) {
      assertEquals(6, r.summary().nImages());
      assertEquals(9, r.summary().nValid());
      assertEquals(Math.log(2), r.summary().mean(), 1e-15, "zero logits: loss ln 2 each");
      List<String> ids = r.lossFrame().select("image_id").as(org.apache.spark.sql.Encoders
          .STRING()).collectAsList();
      assertEquals(List.of("k0a", "k0b", "k1a", "k1b", "k2a", "k2b"), ids);
    }
  }

  @Test
  void sampleWithoutLabelIsBadInputNamingTarAndKey() {
    Tars.create().add("ok.logits.npy", zeros(2, 1, 1)).add("ok.labels.npy", labels(0))
        .add("lonely.logits.npy", zeros(2, 1, 1)).add("lonely.jpg", new byte[3])
        .write(tmp.resolve("shard-000000.tar"));
    BadRecordException e = cause(assertThrows(Exception.class,
        () -> OhemMiner.on(spark).mine(new WebDatasetTars(tmp.toString())).close()));
    assertEquals("lonely", e.imageId());
    assertTrue(e.source().endsWith("shard-000000.tar"), e.source());
    assertTrue(e.reason().contains("no label member lonely.seg.png"), e.reason());
  }

  @Test
  void keyInTwoTarsIsBadInputNamingBoth() {
    for (int t = 0; t < 2; t++) {
      Tars.create().add("same.logits.npy", zeros(2, 1, 1)).add("same.labels.npy", labels(0))
          .add("own" + t + ".logits.npy", zeros(2, 1, 1)).add("own" + t + ".labels.npy",
              labels(1))
          .write(tmp.resolve("shard-00000" + t + ".tar"));
    }
    BadRecordException e = cause(assertThrows(Exception.class,
        () -> new WebDatasetTars(tmp.toString()).records(spark, 0)));
    assertEquals("same", e.imageId());
    assertTrue(e.reason().contains("duplicate key") && e.reason().contains("shard-000000.tar")
        && e.reason().contains("shard-000001.tar"), e.reason());
  }

  @Test
  void noTarIsBadInput() throws IOException {
    Files.writeString(tmp.resolve("readme.txt"), "no tars here");
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> new WebDatasetTars(tmp.toString()).records(spark, 0));
    assertTrue(e.reason().contains("no WebDataset tar"), e.reason());
  }

  @Test
  void paletteLabelIsTheIndexWhereSparkImageSourceAndGetRgbGiveColours() throws IOException {
    int[] idx = {0, 1, 2, 3, 4, 5};
    byte[] png = Pngs.palette(2, 3, idx);
    Files.write(tmp.resolve("voc.png"), png);
    Row img = spark.read().format("image").load(tmp.resolve("voc.png").toString())
        .select("image.nChannels", "image.data").first();
    assertEquals(3, img.getInt(0), "Spark's image source turns the palette into BGR colours");
    byte[] bgr = img.getAs(1);
    assertEquals(100 + 3 * 2, bgr[2 * 3] & 0xff, "pixel 2: blue of palette colour 2, not 2");
    BufferedImage bi = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(0xff000000 | (255 - 14) << 16 | 80 << 8 | 106, bi.getRGB(2, 0),
        "getRGB gives the colour of index 2");

    Tars.create().add("voc.logits.npy", zeros(6, 2, 3)).add("voc.seg.png", png)
        .write(tmp.resolve("tars/shard-000000.tar"));
    try (OhemMiner.Result r = OhemMiner.on(spark).params(OhemParams.DEFAULTS.withFactor(1))
        .mine(new WebDatasetTars(tmp.resolve("tars").toString()))) {
      int[] labels = new int[6];
      for (Row p : r.hardPixels().collectAsList()) {
        labels[(int) p.getLong(1)] = p.getInt(4);
      }
      assertArrayEquals(idx, labels, "the label is the palette index");
    }
  }

  @Test
  void sixteenBitGreyLabelKeepsItsValue() throws IOException {
    byte[] png = Pngs.grey16(1, 2, new int[] {300, 2});
    Files.write(tmp.resolve("g16.png"), png);
    Row img = spark.read().format("image").load(tmp.resolve("g16.png").toString())
        .select("image.data").first();
    assertEquals(300 & 0xff, ((byte[]) img.getAs(0))[0] & 0xff,
        "Spark's image source keeps the low byte of 300");
    Tars.create().add("g.logits.npy", zeros(301, 1, 2)).add("g.label.png", png)
        .write(tmp.resolve("tars/shard-000000.tar"));
    try (OhemMiner.Result r = OhemMiner.on(spark).params(OhemParams.DEFAULTS.withFactor(1))
        .mine(new WebDatasetTars(tmp.resolve("tars").toString()))) {
      List<Row> px = r.hardPixels().sort("pixel_index").collectAsList();
      assertEquals(300, px.get(0).getInt(4));
      assertEquals(2, px.get(1).getInt(4));
    }
  }

  @Test
  void photoSavedAsPaletteIsBadInputWhereClassesSaySo() {
    int[] photo = new int[16 * 16];
    for (int i = 0; i < photo.length; i++) {
      photo[i] = (i * 37) % 256; // a quantised photo uses the whole palette
    }
    Tars.create().add("photo.logits.npy", zeros(21, 16, 16))
        .add("photo.seg.png", Pngs.palette(16, 16, photo))
        .write(tmp.resolve("shard-000000.tar"));
    BadRecordException e = cause(assertThrows(Exception.class, () -> OhemMiner.on(spark)
        .classes(21).mine(new WebDatasetTars(tmp.toString())).close()));
    assertEquals("photo", e.imageId());
    assertNotNull(e.source());
    assertTrue(e.reason().contains("outside [0, 21)"), e.reason());
  }
}
