package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.ModelDatasets;
import org.ohemspark.testing.SparkTestSession;
import org.ohemspark.testing.Tars;
import org.ohemspark.testing.TinyOnnx;

/**
 * {@code ohem-mine --model} on WebDataset tars of images ({@code <key>.png} and a label
 * member): the tiny 1x1-conv model gives on tars exactly the summary, {@code images/} and
 * {@code hard_pixels/} of the same images as a directory and as Parquet shards (and of their
 * logits stored); bad samples are those of logits tars, named by tar, member and key, in every
 * mode.
 */
class ModelTarsTest {
  private static SparkSession spark;

  @TempDir
  static Path tmp;

  private static Path images;
  private static Path model;
  private static Path storedOut;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTestSession.create("model-tars");
    images = tmp.resolve("images-dir");
    Path stored = tmp.resolve("stored-dir");
    ModelDatasets.write(images, stored);
    model = TinyOnnx.write(tmp.resolve("tiny.onnx"), ModelDatasets.model());
    Files.writeString(tmp.resolve("tiny.json"), ModelDatasets.MODEL_JSON);
    storedOut = tmp.resolve("out-stored");
    JobRun r = run("--input", stored.toString(), "--output", storedOut.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JobRun run(String... args) {
    return JobRun.of(OhemMineJob::run, spark, args);
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds sample {@code key}: the image and label of {@code id} of the image directory. */
  private static Tars sample(Tars t, String key, String id) {
    return t.add(key + ".png", read(images.resolve("images/" + id + ".png")))
        .add(key + ".seg.png", read(images.resolve("labels/" + id + ".png")));
  }

  private static void assertSameOutputs(Path expected, Path actual) throws IOException {
    assertEquals(JobOutputs.figures(JobOutputs.summary(expected)),
        JobOutputs.figures(JobOutputs.summary(actual)));
    assertEquals(JobOutputs.imageRows(spark, expected), JobOutputs.imageRows(spark, actual));
    assertEquals(JobOutputs.hardRows(spark, expected), JobOutputs.hardRows(spark, actual));
  }

  @Test
  void directoryShardsAndTarsOfTheSameImagesGiveTheSameOutputs() throws IOException {
    Path dirOut = tmp.resolve("out-dir");
    JobRun d = run("--input", images.toString(), "--output", dirOut.toString(), "--model",
        model.toString());
    assertEquals(ExitCode.OK, d.code(), d.err());
    assertSameOutputs(storedOut, dirOut);

    Path shards = ModelDatasets.toShards(spark, images, tmp.resolve("image-shards"));
    Path shardsOut = tmp.resolve("out-shards");
    JobRun s = run("--input", shards.toString(), "--output", shardsOut.toString(), "--model",
        model.toString());
    assertEquals(ExitCode.OK, s.code(), s.err());
    assertSameOutputs(dirOut, shardsOut);

    // a and b in one tar (the label of b as label.png, other members passed over), c alone
    Path tars = tmp.resolve("image-tars");
    Tars t0 = sample(Tars.create(), "a", "a").add("a.json", "{}".getBytes())
        .add("b.png", read(images.resolve("images/b.png")))
        .add("b.logits.npy", new byte[10])
        .add("b.label.png", read(images.resolve("labels/b.png")));
    t0.write(tars.resolve("shard-000000.tar"));
    sample(Tars.create(), "c", "c").write(tars.resolve("shard-000001.tar"));
    Files.copy(images.resolve("dataset.json"), tars.resolve("dataset.json"));
    for (String batch : List.of("1", "2")) {
      Path out = tmp.resolve("out-tars-" + batch);
      JobRun r = run("--input", tars.toString(), "--output", out.toString(), "--model",
          model.toString(), "--model-batch", batch); // --format auto: tars
      assertEquals(ExitCode.OK, r.code(), r.err());
      assertSameOutputs(dirOut, out);
      assertEquals(3, JobOutputs.summary(out).get("n_images").asInt());
    }
    Path one = tmp.resolve("out-one-tar");
    JobRun r = run("--input", tars.resolve("shard-000001.tar").toString(), "--output",
        one.toString(), "--model", model.toString(), "--format", "webdataset");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertEquals(1, JobOutputs.summary(one).get("n_images").asInt());
    assertEquals(List.of("c"), spark.read().parquet(one.resolve("images").toString())
        .select("image_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  /** The offset of the header of the member {@code name} in tar bytes (512-byte blocks). */
  private static int headerOf(byte[] tar, String name) {
    for (int at = 0; at + 512 <= tar.length; at += 512) {
      if (new String(tar, at, 100, java.nio.charset.StandardCharsets.ISO_8859_1)
          .startsWith(name + "\0")) {
        return at;
      }
    }
    throw new AssertionError("no member " + name);
  }

  /**
   * Damaged tars of images, as CorruptShardModesTest damages logits tars: [tar bytes, key the
   * FAILFAST message names (or null), phrase of its reason].
   */
  private static Map<String, Object[]> damagedTars() {
    Map<String, Object[]> k = new LinkedHashMap<>();
    byte[] t1 = sample(sample(sample(Tars.create(), "t1_a", "a"), "t1_b", "b"), "t1_x", "c")
        .bytes();
    // cut inside t1_x's image data: its header stays whole
    k.put("truncated", new Object[] {Arrays.copyOf(t1, headerOf(t1, "t1_x.png") + 600),
        "t1_x", "truncated"});
    k.put("missing_label", new Object[] {sample(Tars.create(), "t2_a", "a")
        .add("t2_m.png", read(images.resolve("images/b.png"))).add("t2_m.json", new byte[5])
        .add("t2_b.png", read(images.resolve("images/c.png")))
        .add("t2_b.seg.png", read(images.resolve("labels/c.png"))).bytes(),
        "t2_m", "no label member"});
    k.put("missing_image", new Object[] {sample(Tars.create(), "t3_a", "b")
        .add("t3_n.seg.png", read(images.resolve("labels/a.png"))).bytes(),
        "t3_n", "no image member t3_n.jpg, t3_n.jpeg or t3_n.png"});
    // t4_r whole twice (both copies are bad); t4_s whole, then a stray member of t4_s
    k.put("repeated_key", new Object[] {sample(sample(sample(sample(Tars.create(), "t4_r", "a"),
        "t4_s", "b"), "t4_c", "c"), "t4_r", "c").add("t4_s.json", new byte[2]).bytes(), "t4_r",
        "duplicate"});
    byte[] t5 = sample(sample(Tars.create(), "t5_a", "c"), "t5_c", "a").bytes();
    int h = headerOf(t5, "t5_c.png");
    Arrays.fill(t5, h, h + 512, (byte) 0x7f);
    k.put("corrupt_header", new Object[] {t5, null, "cannot read tar"});
    k.put("two_images", new Object[] {sample(Tars.create(), "t6_d", "a")
        .add("t6_d.jpg", new byte[3]).bytes(), "t6_d", "two image members"});
    return k;
  }

  /** The good samples of {@link #damagedTars}, key -> image id of the directory. */
  private static Map<String, String> goodTarSamples() {
    Map<String, String> g = new LinkedHashMap<>();
    g.put("t1_a", "a");
    g.put("t1_b", "b");
    g.put("t2_a", "a");
    g.put("t2_b", "c");
    g.put("t3_a", "b");
    g.put("t4_s", "b");
    g.put("t4_c", "c");
    g.put("t5_a", "c");
    g.put("t7_a", "a");
    return g;
  }

  @Test
  void badSamplesFailFastNamingTarAndKey() throws IOException {
    for (Map.Entry<String, Object[]> e : damagedTars().entrySet()) {
      Path data = tmp.resolve("ff-" + e.getKey());
      sample(Tars.create(), "ok", "a").write(data.resolve("shard-000000.tar"));
      Files.write(data.resolve("shard-000001.tar"), (byte[]) e.getValue()[0]);
      Files.copy(images.resolve("dataset.json"), data.resolve("dataset.json"));
      Path out = tmp.resolve("ff-out-" + e.getKey());
      JobRun r = run("--input", data.toString(), "--output", out.toString(), "--model",
          model.toString());
      assertEquals(ExitCode.BAD_INPUT, r.code(), e.getKey() + ": " + r.err());
      assertTrue(r.err().contains("shard-000001.tar"), e.getKey() + " names the tar: " + r.err());
      if (e.getValue()[1] != null) {
        assertTrue(r.err().contains("image_id='" + e.getValue()[1] + "'"),
            e.getKey() + " names the key: " + r.err());
      }
      assertTrue(r.err().toLowerCase(Locale.ROOT).contains((String) e.getValue()[2]),
          e.getKey() + ": " + r.err());
      assertFalse(Files.exists(out), "a failed run commits no output");
    }
  }

  @Test
  void aCorruptImageFailsFastNamingItsMember() throws IOException {
    Path data = tmp.resolve("ff-corrupt-image");
    sample(Tars.create(), "ok", "a").add("bad.png", "not a png".getBytes())
        .add("bad.seg.png", read(images.resolve("labels/a.png")))
        .write(data.resolve("shard-000000.tar"));
    JobRun r = run("--input", data.toString(), "--output", tmp.resolve("ff-ci-out").toString(),
        "--model", model.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("image_id='bad' source=file:"
        + data.resolve("shard-000000.tar") + "!/bad.png: not a readable image (expected PNG or "
        + "JPEG, 9 bytes)"), r.err());
  }

  @Test
  void lenientModesSetBadSamplesAsideAndGiveTheGoodSamplesResult() throws IOException {
    Path clean = tmp.resolve("clean");
    Tars c = Tars.create();
    goodTarSamples().forEach((key, id) -> sample(c, key, id));
    c.write(clean.resolve("shard-000000.tar"));
    Files.copy(images.resolve("dataset.json"), clean.resolve("dataset.json"));
    Path cleanOut = tmp.resolve("clean-out");
    JobRun cr = run("--input", clean.toString(), "--output", cleanOut.toString(), "--model",
        model.toString());
    assertEquals(ExitCode.OK, cr.code(), cr.err());
    assertEquals(goodTarSamples().size(), JobOutputs.summary(cleanOut).get("n_images").asInt());

    Path data = Files.createDirectories(tmp.resolve("damaged"));
    int i = 0;
    for (Object[] v : damagedTars().values()) {
      Files.write(data.resolve(String.format("shard-%06d.tar", i++)), (byte[]) v[0]);
    }
    // a corrupt image member, found by the decoder, beside a good sample
    sample(Tars.create(), "t7_a", "a").add("t7_b.png", "not a png".getBytes())
        .add("t7_b.seg.png", read(images.resolve("labels/a.png")))
        .write(data.resolve(String.format("shard-%06d.tar", i)));
    Files.copy(images.resolve("dataset.json"), data.resolve("dataset.json"));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("t1_x", "cannot read tar member t1_x.png: java.io.IOException: Truncated "
        + "TAR archive; the rest of the tar is unreadable");
    expected.put("t2_m", "sample has no label member t2_m.seg.png");
    expected.put("t3_n", "sample has no image member t3_n.jpg, t3_n.jpeg or t3_n.png");
    expected.put("t4_r", "duplicate image id: 2 records, from [");
    expected.put("t4_s", "duplicate key: it appears again");
    expected.put(null, "cannot read tar after member t5_a.seg.png");
    expected.put("t6_d", "two image members: [t6_d.png, t6_d.jpg]");
    expected.put("t7_b", "not a readable image (expected PNG or JPEG, 9 bytes)");
    LenientModes.giveTheCleanResult(spark, data, cleanOut, tmp.resolve("lenient-").toString(),
        9, "--model", model.toString(), "--model-batch", "2");
    List<Row> q = spark.read().parquet(tmp.resolve("lenient-PERMISSIVE/quarantine").toString())
        .orderBy("image_id", "source").collectAsList();
    assertEquals(9, q.size(), q.toString());
    for (Row row : q) {
      String id = row.getString(0);
      assertTrue(expected.containsKey(id), "unexpected bad record " + row);
      assertTrue(row.getString(2).contains(expected.get(id)), row.toString());
      assertTrue(row.getString(1).contains("shard-00000"), "source names the tar: " + row);
    }
    assertEquals(2, q.stream().filter(r -> "t4_r".equals(r.getString(0))).count());
    Row truncated = q.stream().filter(r -> "t1_x".equals(r.getString(0))).findFirst()
        .orElseThrow();
    assertTrue(truncated.getString(1).endsWith("shard-000000.tar!/t1_x.png"),
        truncated.toString());
    Row corrupt = q.stream().filter(r -> "t7_b".equals(r.getString(0))).findFirst()
        .orElseThrow();
    assertTrue(corrupt.getString(1).endsWith("shard-000006.tar!/t7_b.png"), corrupt.toString());
    assertNull(q.get(0).getString(0), "the unreadable rest of a tar has no key");
    assertTrue(q.get(0).getString(1).endsWith("shard-000004.tar"), q.get(0).toString());
  }
}
