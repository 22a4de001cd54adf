package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.NpyBytes;
import org.ohemspark.testing.SparkTestSession;

/**
 * Each kind of bad record, in each mode. The dataset is the built-in sample plus one extra, bad
 * image, so the good records are exactly the sample: in PERMISSIVE and DROPMALFORMED the summary
 * and hard pixels must equal the clean sample's, and FAILFAST must exit 3 naming the record.
 */
class BadInputModesTest {
  private static SparkSession spark;
  private static final Path SAMPLE = Paths.get("samples", "tiny");
  private static final int H = 48;
  private static final int W = 64;
  private static final int C = 5;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("bad-input");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JobRun run(String... args) {
    return JobRun.of(OhemMineJob::run, spark, args);
  }

  /** Writes one bad image (or pair of files) named {@code id} into a dataset directory. */
  interface Breaker {
    void write(Path dir, String id) throws IOException;
  }

  private static byte[] goodLogits() throws IOException {
    return Files.readAllBytes(SAMPLE.resolve("logits/street_0003.npy"));
  }

  private static byte[] goodLabelsNpy() throws IOException {
    return Files.readAllBytes(SAMPLE.resolve("labels/street_0003.npy"));
  }

  private static byte[] logitsWith(float special) {
    float[] v = new float[C * 4 * 4];
    v[17] = special;
    return NpyBytes.file("<f4", false, new long[] {C, 4, 4},
        NpyBytes.floats(ByteOrder.LITTLE_ENDIAN, v));
  }

  private static byte[] labels(int value) {
    int[] v = new int[H * W];
    v[100] = value;
    return NpyBytes.file("<i4", false, new long[] {H, W}, NpyBytes.ints(ByteOrder.LITTLE_ENDIAN,
        v));
  }

  /** Kind -> how to write it, and a phrase its reason must contain. */
  static Map<String, Object[]> kinds() {
    Map<String, Object[]> k = new LinkedHashMap<>();
    k.put("truncated_npy", new Object[] {(Breaker) (d, id) -> {
      byte[] b = goodLogits();
      Files.write(d.resolve("logits/" + id + ".npy"), Arrays.copyOf(b, b.length / 2));
      Files.write(d.resolve("labels/" + id + ".npy"), goodLabelsNpy());
    }, "truncated"});
    k.put("extra_bytes_npy", new Object[] {(Breaker) (d, id) -> {
      byte[] b = goodLogits();
      Files.write(d.resolve("logits/" + id + ".npy"), Arrays.copyOf(b, b.length + 8));
      Files.write(d.resolve("labels/" + id + ".npy"), goodLabelsNpy());
    }, "extra bytes"});
    k.put("corrupt_png", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), goodLogits());
      byte[] png = Files.readAllBytes(SAMPLE.resolve("labels/street_0001.png"));
      Files.write(d.resolve("labels/" + id + ".png"), Arrays.copyOf(png, png.length / 2));
    }, "PNG"});
    k.put("label_out_of_range", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), goodLogits());
      Files.write(d.resolve("labels/" + id + ".npy"), labels(7));
    }, "label 7"});
    k.put("nan_logits", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), logitsWith(Float.NaN));
      Files.write(d.resolve("labels/" + id + ".npy"), labels(1));
    }, "NaN"});
    k.put("inf_logits", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), logitsWith(Float.POSITIVE_INFINITY));
      Files.write(d.resolve("labels/" + id + ".npy"), labels(1));
    }, "Infinity"});
    k.put("missing_label", new Object[] {(Breaker) (d, id) ->
        Files.write(d.resolve("logits/" + id + ".npy"), goodLogits()), "no label file"});
    k.put("missing_logits", new Object[] {(Breaker) (d, id) ->
        Files.write(d.resolve("labels/" + id + ".npy"), goodLabelsNpy()), "no logits file"});
    k.put("duplicate_id", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), goodLogits());
      Files.write(d.resolve("labels/" + id + ".npy"), goodLabelsNpy());
      Files.copy(SAMPLE.resolve("labels/street_0001.png"), d.resolve("labels/" + id + ".png"));
    }, "duplicate image id"});
    k.put("unsupported_dtype", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), NpyBytes.file("<i4", false,
          new long[] {C, 4, 4}, NpyBytes.ints(ByteOrder.LITTLE_ENDIAN, new int[C * 16])));
      Files.write(d.resolve("labels/" + id + ".npy"), labels(1));
    }, "<i4"});
    k.put("wrong_rank_labels", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), goodLogits());
      Files.write(d.resolve("labels/" + id + ".npy"), NpyBytes.file("|u1", false,
          new long[] {2, H, W}, new byte[2 * H * W]));
    }, "[H,W]"});
    k.put("class_count", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), NpyBytes.file("<f4", false,
          new long[] {C + 1, 4, 4}, NpyBytes.floats(ByteOrder.LITTLE_ENDIAN,
              new float[(C + 1) * 16])));
      Files.write(d.resolve("labels/" + id + ".npy"), labels(1));
    }, "classes = 5"});
    // a label file Hadoop wrote (with its hidden .crc), then changed by another program
    k.put("stale_crc_labels", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), goodLogits());
      Path labels = d.resolve("labels/" + id + ".npy");
      try (var out = org.apache.hadoop.fs.FileSystem.getLocal(
          new org.apache.hadoop.conf.Configuration()).create(
          new org.apache.hadoop.fs.Path("file:" + labels), true)) {
        out.write(goodLabelsNpy());
      }
      Files.write(labels, labels(1));
    }, "delete the .crc file"});
    // Hadoop paths are URIs: a ':' in a file name cannot be opened through them
    k.put("colon:name", new Object[] {(Breaker) (d, id) -> {
      Files.write(d.resolve("logits/" + id + ".npy"), goodLogits());
      Files.write(d.resolve("labels/" + id + ".npy"), goodLabelsNpy());
    }, "':' in a file name"});
    return k;
  }

  static Stream<String> kindNames() {
    return kinds().keySet().stream();
  }

  private static Path sampleCopy(String name) throws IOException {
    Path dir = tmp.resolve(name);
    for (String sub : List.of("logits", "labels")) {
      Files.createDirectories(dir.resolve(sub));
      try (Stream<Path> s = Files.list(SAMPLE.resolve(sub))) {
        for (Path p : s.toList()) {
          Files.copy(p, dir.resolve(sub).resolve(p.getFileName()));
        }
      }
    }
    Files.copy(SAMPLE.resolve("dataset.json"), dir.resolve("dataset.json"));
    return dir;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kindNames")
  void failFastStopsWithExit3NamingTheRecord(String kind) throws IOException {
    String folder = kind.replace(':', '_'); // the input and output folders are Hadoop paths
    Path data = sampleCopy("ff-" + folder);
    String id = "bad_" + kind;
    ((Breaker) kinds().get(kind)[0]).write(data, id);
    Path out = tmp.resolve("ff-out-" + folder);
    JobRun r = run("--input", data.toString(), "--output", out.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("image_id='" + id + "'"), r.err());
    assertTrue(r.err().contains(id + "."), "names the file: " + r.err());
    assertTrue(r.err().contains((String) kinds().get(kind)[1]), r.err());
    if (kind.equals("label_out_of_range") || kind.equals("stale_crc_labels")) {
      assertTrue(r.err().contains("labels/" + id + ".npy"), "names the label file: " + r.err());
    }
    assertFalse(Files.exists(out), "a failed run commits no output");
  }

  @Test
  void permissiveAndDropMalformedGiveTheGoodRecordsResult() throws IOException {
    Path clean = tmp.resolve("clean-out");
    assertEquals(ExitCode.OK, run("--input", SAMPLE.toString(), "--output", clean.toString())
        .code());
    Path data = sampleCopy("all-bad-kinds");
    for (String kind : kinds().keySet()) {
      ((Breaker) kinds().get(kind)[0]).write(data, "bad_" + kind);
    }
    int nBad = kinds().size();

    LenientModes.giveTheCleanResult(spark, data, clean, tmp.resolve("lenient-").toString(),
        nBad);
    Path perm = tmp.resolve("lenient-PERMISSIVE");
    List<Row> q = spark.read().parquet(perm.resolve("quarantine").toString())
        .orderBy("image_id").collectAsList();
    assertEquals(nBad, q.size());
    for (Row row : q) {
      String kind = row.getString(0).substring("bad_".length());
      assertTrue(row.getString(2).contains((String) kinds().get(kind)[1]),
          kind + ": " + row.getString(2));
      assertTrue(row.getString(1) != null && row.getString(1).contains(row.getString(0)),
          "source names the file: " + row);
    }
  }

  @Test
  void allRecordsBadIsBadInputInEveryMode() throws IOException {
    Path data = tmp.resolve("only-bad");
    Files.createDirectories(data.resolve("logits"));
    Files.createDirectories(data.resolve("labels"));
    ((Breaker) kinds().get("nan_logits")[0]).write(data, "bad_nan");
    for (String mode : List.of("FAILFAST", "PERMISSIVE", "DROPMALFORMED")) {
      JobRun r = run("--input", data.toString(), "--output", tmp.resolve("ob-" + mode).toString(),
          "--mode", mode);
      assertEquals(ExitCode.BAD_INPUT, r.code(), mode + ": " + r.err());
      assertTrue(r.err().contains("image_id='bad_nan'"), "names the bad record: " + r.err());
    }
  }

  @Test
  void unknownModeIsABadArgument() {
    assertEquals(ExitCode.BAD_ARGUMENTS, run("--input", SAMPLE.toString(), "--mode", "LENIENT",
        "--output", tmp.resolve("x").toString()).code());
  }
}
