package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.mining.GroupBy;
import org.ohemspark.mining.HardPixels;
import org.ohemspark.mining.ImageRanks;
import org.ohemspark.mining.ImageReport;
import org.ohemspark.testing.FaultyFileSystem;
import org.ohemspark.testing.SparkTestSession;

/**
 * The {@code ohem-mine} job as a user runs it, in-process: the built-in sample against its
 * PyTorch reference, the three outputs and their schemas, exit codes for bad arguments and bad
 * input, refusing to overwrite, and identical reruns.
 */
class OhemMineJobTest {
  private static SparkSession spark;
  private static final Path SAMPLE = Paths.get("samples", "tiny");

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("job");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Exit code, stdout and stderr of one run. */
  private static JobRun run(String... args) {
    return JobRun.of(OhemMineJob::run, spark, args);
  }

  private static JsonNode json(Path p) throws IOException {
    return new ObjectMapper().readTree(p.toFile());
  }

  /**
   * report.html is written by default (the sample has no pictures: its label masks stand in),
   * report_images in the configuration file sets the worst images shown, and --no-report
   * writes none (the rest of the output is unchanged).
   */
  @Test
  void theReportIsWrittenUnlessNoReportIsGiven() throws IOException {
    Path conf = tmp.resolve("job.properties");
    Files.writeString(conf, "report_images=2\n");
    Path out = tmp.resolve("with");
    JobRun r = run("--input", SAMPLE.toString(), "--output", out.toString(), "--conf",
        conf.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    String html = Files.readString(out.resolve("report.html"));
    assertEquals(2, html.split("<article class=\"worst-card\"", -1).length - 1);
    assertTrue(html.contains("labels (no picture), kept pixels"));
    Path none = tmp.resolve("without");
    r = run("--input", SAMPLE.toString(), "--output", none.toString(), "--no-report");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertFalse(Files.exists(none.resolve("report.html")));
    assertTrue(Files.exists(none.resolve("summary.json")));
    assertFalse(r.out().contains("report.html"), r.out());
  }

  /**
   * classes/ and confusion/ beside the other outputs, named from --class-names (a blank line is
   * a class without a name), the same figures as summary.json's classes array; classes/ sums to
   * the summary's counts and confusion/ to hard_pixels/ grouped by (label, predicted).
   */
  @Test
  void classTablesAreWrittenWithTheNamesOfTheNamesFile() throws IOException {
    Path out = tmp.resolve("out");
    Path names = tmp.resolve("names.txt");
    Files.writeString(names, "background\nskin\n\nhair\nother\n\n");
    JobRun r = run("--input", SAMPLE.toString(), "--output", out.toString(), "--class-names",
        names.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode s = json(out.resolve("summary.json"));
    List<Row> classes = spark.read().parquet(out.resolve("classes").toString())
        .sort("class_id").collectAsList();
    assertEquals(Arrays.asList(org.ohemspark.mining.ClassTables.CLASSES_SCHEMA.fieldNames()),
        Arrays.asList(spark.read().parquet(out.resolve("classes").toString()).schema()
            .fieldNames()));
    assertEquals(5, classes.size());
    assertEquals(5, s.get("classes").size());
    assertEquals(Arrays.asList("background", "skin", null, "hair", "other"),
        classes.stream().map(x -> x.<String>getAs("class_name")).toList());
    long valid = 0;
    long kept = 0;
    long correct = 0;
    for (int k = 0; k < 5; k++) {
      Row row = classes.get(k);
      JsonNode j = s.get("classes").get(k);
      for (String f : List.of("n_valid", "n_predicted", "n_correct", "n_kept")) {
        assertEquals(j.get(f).asLong(), row.<Long>getAs(f), f + " of class " + k);
      }
      for (String f : List.of("iou", "acc", "mean_loss", "kept_fraction", "kept_share")) {
        Double v = row.getAs(f);
        assertEquals(j.get(f).isNull() ? null : j.get(f).asDouble(), v, f + " of class " + k);
      }
      valid += row.<Long>getAs("n_valid");
      kept += row.<Long>getAs("n_kept");
      correct += row.<Long>getAs("n_correct");
    }
    assertEquals(s.get("n_valid").asLong(), valid);
    assertEquals(s.get("n_kept").asLong(), kept);
    assertEquals((double) correct / valid, s.get("aacc").asDouble(), 1e-15);
    assertTrue(s.get("miou").isNumber());

    Dataset<Row> hard = spark.read().parquet(out.resolve("hard_pixels").toString());
    List<Row> byPair = hard.groupBy("label", "predicted").count()
        .sort(org.apache.spark.sql.functions.desc("count"), hard.col("label"),
            hard.col("predicted")).collectAsList();
    List<Row> conf = spark.read().parquet(out.resolve("confusion").toString()).collectAsList();
    assertEquals(byPair.size(), conf.size());
    for (int j = 0; j < conf.size(); j++) {
      assertEquals(List.of(byPair.get(j).getInt(0), byPair.get(j).getInt(1),
          byPair.get(j).getLong(2)), List.of(conf.get(j).<Integer>getAs("label"),
          conf.get(j).<Integer>getAs("predicted"), conf.get(j).<Long>getAs("n_kept")),
          "confusion row " + j);
    }
    assertTrue(r.out().contains("classes/, confusion/"), r.out());
  }

  @Test
  void classNamesOfAnotherCountThanTheDeclaredClassesAreRefused() throws IOException {
    Path names = tmp.resolve("names.txt");
    Files.writeString(names, "a\nb\n");
    JobRun r = run("--input", SAMPLE.toString(), "--output", tmp.resolve("out").toString(),
        "--class-names", names.toString());
    assertEquals(ExitCode.BAD_ARGUMENTS, r.code(), r.err());
    assertTrue(r.err().contains("2 class names (--class-names " + names + ") but classes = 5"),
        r.err());
  }

  @Test
  void sampleMatchesPyTorchAndWritesTheThreeOutputs() throws IOException {
    Path out = tmp.resolve("out");
    JobRun r = run("--input", SAMPLE.toString(), "--output", out.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode exp = json(SAMPLE.resolve("expected.json")).get("dataset");
    JsonNode s = json(out.resolve("summary.json"));
    assertEquals("OK", s.get("status").asText());
    double mean = exp.get("mean").asDouble();
    assertEquals(mean, s.get("mean").asDouble(), 1e-6 * mean);
    assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "OHEM mean: %.7f", mean)),
        r.out());
    for (String k : List.of("n_valid", "n_min", "n_hard", "n_kept")) {
      assertEquals(exp.get(k).asLong(), s.get(k).asLong(), k);
    }
    assertEquals(3, s.get("n_images").asLong());
    assertFalse(r.err().contains("aspect ratio"), "no resize here: " + r.err());
    assertEquals("palette_index", s.get("params").get("label_convention").asText(),
        "dataset.json is read");

    Dataset<Row> images = spark.read().parquet(out.resolve("images").toString());
    assertEquals(ImageRanks.schema(ImageReport.schema(GroupBy.DATASET)).fieldNames().length,
        images.schema().fieldNames().length);
    assertEquals(Arrays.asList(ImageRanks.schema(ImageReport.schema(GroupBy.DATASET))
        .fieldNames()),
        Arrays.asList(images.schema().fieldNames()));
    assertEquals(3, images.count());
    Dataset<Row> hard = spark.read().parquet(out.resolve("hard_pixels").toString());
    assertEquals(Arrays.asList(HardPixels.SCHEMA.fieldNames()),
        Arrays.asList(hard.schema().fieldNames()));
    assertEquals(s.get("n_kept").asLong(), hard.count());
    double threshold = s.get("loss_threshold").asDouble();
    assertEquals(0, hard.filter(hard.col("loss").leq(threshold)).count(),
        "threshold branch keeps only loss > -ln(thresh)");
    assertEquals(0, hard.filter(hard.col("label").equalTo(255)).count(), "no ignored pixel");
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of("out"), files.map(p -> p.getFileName().toString())
          .collect(Collectors.toList()), "no staging directory left behind");
    }
  }

  @Test
  void imageScopeGivesEachImagesOwnMean() throws IOException {
    Path out = tmp.resolve("out");
    JobRun r = run("--input", SAMPLE.toString(), "--output", out.toString(), "--group-by", "image");
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode exp = json(SAMPLE.resolve("expected.json")).get("per_image");
    for (Row row : spark.read().parquet(out.resolve("images").toString()).collectAsList()) {
      JsonNode e = exp.get(row.<String>getAs("image_id"));
      double mean = e.get("mean").asDouble();
      assertEquals(mean, row.<Double>getAs("ohem_mean"), 1e-6 * mean);
      assertEquals(e.get("used_topk").asBoolean(), row.<Boolean>getAs("used_topk"));
      assertEquals(e.get("n_kept").asLong(), row.<Long>getAs("n_kept"));
    }
    JsonNode s = json(out.resolve("summary.json"));
    assertEquals("image", s.get("group_by").asText());
    assertEquals(1, s.get("n_images_topk").asLong());
  }

  @Test
  void rerunRefusesWithoutOverwriteAndReplacesWithIt() throws IOException {
    Path out = tmp.resolve("out");
    assertEquals(ExitCode.OK, run("--input", SAMPLE.toString(), "--output", out.toString())
        .code());
    byte[] first = Files.readAllBytes(out.resolve("summary.json"));
    List<Row> firstRows = spark.read().parquet(out.resolve("hard_pixels").toString())
        .orderBy("image_id", "pixel_index").collectAsList();
    JobRun again = run("--input", SAMPLE.toString(), "--output", out.toString());
    assertEquals(ExitCode.BAD_ARGUMENTS, again.code());
    assertTrue(again.err().contains("--overwrite"), again.err());
    JobRun over = run("--input", SAMPLE.toString(), "--output", out.toString(), "--overwrite");
    assertEquals(ExitCode.OK, over.code(), over.err());
    assertEquals(new String(first, StandardCharsets.UTF_8),
        Files.readString(out.resolve("summary.json")), "reruns write identical summaries");
    assertEquals(firstRows, spark.read().parquet(out.resolve("hard_pixels").toString())
        .orderBy("image_id", "pixel_index").collectAsList(), "and the same hard pixels");
  }

  @Test
  void overwriteNeverReplacesTheInput() throws IOException {
    Path data = tmp.resolve("data");
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      for (Path f : files.collect(Collectors.toList())) {
        Files.copy(f, data.resolve(SAMPLE.relativize(f).toString()));
      }
    }
    List<Path> before;
    try (Stream<Path> files = Files.walk(data)) {
      before = files.sorted().collect(Collectors.toList());
    }
    String[][] outputs = {{data.toString(), "is the input"},
        {tmp.toString(), "contains the input"},
        {data.resolve("logits").toString(), "lies inside the input"}};
    for (String[] o : outputs) {
      JobRun r = run("--input", data.toString(), "--output", o[0], "--overwrite");
      assertEquals(ExitCode.BAD_ARGUMENTS, r.code(), o[0] + ": " + r.err());
      assertTrue(r.err().contains(o[1]), r.err());
      try (Stream<Path> files = Files.walk(data)) {
        assertEquals(before, files.sorted().collect(Collectors.toList()),
            "the input is untouched, no staging directory left: " + o[0]);
      }
    }
  }

  @Test
  void logitsStretchedToAnotherAspectRatioAreReported() throws IOException {
    Path data = tmp.resolve("stretch");
    Files.createDirectories(data.resolve("logits"));
    Files.createDirectories(data.resolve("labels"));
    byte[] labels = org.ohemspark.testing.NpyBytes.file("|u1", false, new long[] {16, 16},
        new byte[256]);
    // 'a' at 1/4 size (a model's output stride), 'b' with one side cut (not a resize)
    Files.write(data.resolve("logits/a.npy"), org.ohemspark.testing.NpyBytes.file("<f4", false,
        new long[] {3, 4, 4}, new byte[3 * 16 * 4]));
    Files.write(data.resolve("logits/b.npy"), org.ohemspark.testing.NpyBytes.file("<f4", false,
        new long[] {3, 4, 6}, new byte[3 * 24 * 4]));
    Files.write(data.resolve("labels/a.npy"), labels);
    Files.write(data.resolve("labels/b.npy"), labels);
    JobRun r = run("--input", data.toString(), "--output", tmp.resolve("o").toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.err().contains("warning: 1 image(s) have logits of another aspect ratio")
        && r.err().contains("image_id='b' logits [3,4,6] labels [16,16]"), r.err());
  }

  @Test
  void badArgumentsExitWith2() {
    assertEquals(ExitCode.BAD_ARGUMENTS, run("--input", SAMPLE.toString(), "--bogus").code());
    JobRun t = run("--input", SAMPLE.toString(), "--output", tmp.resolve("o").toString(),
        "--thresh", "1.5");
    assertEquals(ExitCode.BAD_ARGUMENTS, t.code());
    assertTrue(t.err().contains("thresh"), t.err());
    assertEquals(ExitCode.BAD_ARGUMENTS, run("--input", tmp.resolve("nope").toString()).code());
    assertEquals(ExitCode.BAD_ARGUMENTS, run("--input", SAMPLE.toString(), "--group-by",
        "batch", "--output", tmp.resolve("o2").toString()).code());
    assertEquals(ExitCode.BAD_ARGUMENTS, run("--output", tmp.resolve("o3").toString()).code(),
        "no input");
  }

  /**
   * Class weights of another count than the classes: a configuration mistake. With the class
   * count declared (samples/tiny's dataset.json: 5) it is a bad parameter, exit 2, before any
   * image is read; without it every image fails as a bad record (exit 3 in FAILFAST) whose
   * message names the option and says the configuration, not the image, is at fault.
   */
  @Test
  void classWeightsOfAnotherCountAreAConfigurationMistake() throws IOException {
    Path out = tmp.resolve("weights-out");
    JobRun declared = run("--input", SAMPLE.toString(), "--output", out.toString(),
        "--class-weights", "1,2,3");
    assertEquals(ExitCode.BAD_ARGUMENTS, declared.code(), declared.err());
    assertEquals("ohem-mine: bad parameter: class_weights has 3 entries (--class-weights) but "
        + "classes = 5 (dataset.json): give one weight per class, in class order\n",
        declared.err());
    assertFalse(Files.exists(out));

    Path data = copySample();
    Files.writeString(data.resolve("dataset.json"), "{\"label_convention\": "
        + "\"palette_index\"}");
    JobRun perImage = run("--input", data.toString(), "--output", out.toString(),
        "--class-weights", "1,2,3");
    assertEquals(ExitCode.BAD_INPUT, perImage.code(), perImage.err());
    assertTrue(perImage.err().startsWith("ohem-mine: bad input: bad record image_id='street_")
        && perImage.err().contains("the class weights (--class-weights / class_weights) have 3 "
            + "entries but the logits have C = 5 classes: a configuration mismatch, not a data "
            + "error"), perImage.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void confFileIsReadAndFlagsWin() throws IOException {
    Path conf = tmp.resolve("job.properties");
    Files.writeString(conf, "factor=1\nthresh=0.99\n");
    Path out = tmp.resolve("out");
    JobRun r = run("--input", SAMPLE.toString(), "--output", out.toString(), "--conf",
        conf.toString(), "--thresh", "0.7");
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode s = json(out.resolve("summary.json"));
    assertEquals(1, s.get("params").get("factor").asInt());
    assertEquals(0.7, s.get("params").get("thresh").asDouble());
    assertEquals(s.get("n_valid").asLong(), s.get("n_min").asLong(), "factor 1: n_min = n_valid");
    assertTrue(s.get("used_topk").asBoolean());
    Files.writeString(conf, "fator=1\n");
    JobRun bad = run("--input", SAMPLE.toString(), "--output", tmp.resolve("o").toString(),
        "--conf", conf.toString());
    assertEquals(ExitCode.BAD_ARGUMENTS, bad.code());
    assertTrue(bad.err().contains("fator"), bad.err());
  }

  private Path copySample() throws IOException {
    Path dir = tmp.resolve("data");
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

  private void assertBadInput(Path data, String... mustMention) {
    Path out = tmp.resolve("out-bad");
    JobRun r = run("--input", data.toString(), "--output", out.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    for (String m : mustMention) {
      assertTrue(r.err().contains(m), "stderr should mention '" + m + "': " + r.err());
    }
    assertFalse(Files.exists(out), "no output for a failed run");
  }

  @Test
  void labelWithoutLogitsIsBadInput() throws IOException {
    Path data = copySample();
    Files.delete(data.resolve("logits/street_0002.npy"));
    assertBadInput(data, "street_0002", "no logits");
  }

  @Test
  void labelOutOfRangeIsBadInput() throws IOException {
    Path data = copySample();
    Files.writeString(data.resolve("dataset.json"), "{\"classes\": 5, \"ignore_index\": 0}");
    assertBadInput(data, "label 255", "outside [0, 5)");
  }

  /**
   * A FAILFAST bad record prints one line, the job's: under the jobs' log configuration
   * (conf/log4j2.properties) Spark logs nothing about the failed task, not even TaskSetManager's
   * "Task 0 in stage 0.0 failed 1 times; aborting job".
   */
  @Test
  void aFailfastBadRecordPrintsOnlyTheJobsLine() throws IOException {
    Path data = copySample();
    Files.writeString(data.resolve("dataset.json"), "{\"classes\": 5, \"ignore_index\": 0}");
    Path out = tmp.resolve("quiet-out");
    List<String> logged = JobLog.capture(() -> {
      JobRun r = run("--input", data.toString(), "--output", out.toString());
      assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
      assertTrue(r.err().startsWith("ohem-mine: bad input: bad record image_id='street_")
          && r.err().contains("outside [0, 5)") && r.err().lines().count() == 1, r.err());
    });
    assertEquals(List.of(), logged, "Spark's log under conf/log4j2.properties");
  }

  /**
   * A task that fails for another reason than a bad record (here the storage client throws) is
   * not hidden by the quiet log configuration: the job prints Spark's whole error, with the
   * executor's exception and stack trace, and exits 1.
   */
  @Test
  void anUnexpectedTaskFailureIsPrintedWholeWithExit1() {
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    hadoop.set("fs." + FaultyFileSystem.SCHEME + ".impl", FaultyFileSystem.class.getName());
    try {
      List<String> logged = JobLog.capture(() -> {
        JobRun r = run("--input", FaultyFileSystem.SCHEME + ":" + SAMPLE.toAbsolutePath(),
            "--output", tmp.resolve("fault-out").toString());
        assertEquals(ExitCode.FAILURE, r.code(), r.err());
        assertTrue(r.err().startsWith("ohem-mine: failed: org.apache.spark.SparkException: "
            + "Job aborted due to stage failure: ") && r.err().contains(
            "java.lang.IllegalStateException: injected fault: the storage client failed "
            + "reading") && r.err().contains("\tat org.ohemspark.testing.FaultyFileSystem.open"),
            r.err());
      });
      assertEquals(List.of(), logged, "Spark's log under conf/log4j2.properties");
    } finally {
      hadoop.unset("fs." + FaultyFileSystem.SCHEME + ".impl");
    }
    assertFalse(Files.exists(tmp.resolve("fault-out")));
  }

  /**
   * Entries of logits/ and labels/ that are not read are named in a warning printed as the
   * job's other warnings are (ohem-mine: warning: ...), not through Spark's log.
   */
  @Test
  void entriesThatAreNotReadAreAWarningOfTheJob() throws IOException {
    Path data = copySample();
    Files.writeString(data.resolve("logits/notes.txt"), "dumped with model v3");
    Files.createDirectories(data.resolve("labels/old"));
    Path out = tmp.resolve("warn-out");
    List<String> logged = JobLog.capture(() -> {
      JobRun r = run("--input", data.toString(), "--output", out.toString());
      assertEquals(ExitCode.OK, r.code(), r.err());
      assertTrue(r.err().startsWith("ohem-mine: warning: 2 entries of " + data + " are not "
          + "read (neither <id>.npy in logits/ nor <id>.png or <id>.npy in labels/, nor "
          + "hidden; folders are not searched): [") && r.err().contains("labels/old/")
          && r.err().contains("logits/notes.txt"), r.err());
    });
    assertEquals(List.of(), logged, "Spark's log under conf/log4j2.properties");
  }

  @Test
  void truncatedLogitsAreBadInput() throws IOException {
    Path data = copySample();
    Path f = data.resolve("logits/street_0003.npy");
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, b.length / 2));
    assertBadInput(data, "street_0003", "truncated");
  }

  @Test
  void emptyDatasetIsBadInput() throws IOException {
    Path data = tmp.resolve("empty");
    Files.createDirectories(data.resolve("logits"));
    Files.createDirectories(data.resolve("labels"));
    assertBadInput(data, "empty dataset");
    Path bare = tmp.resolve("bare");
    Files.createDirectories(bare);
    assertBadInput(bare, "empty dataset");
  }

  /**
   * A dataset.json edited after Hadoop wrote it (a stale .dataset.json.crc beside it) is bad
   * input, exit 3, with the message naming the .crc file: the dataset's file is at fault, not
   * the arguments.
   */
  @Test
  void aStaleChecksumBesideDatasetJsonIsBadInput() throws IOException {
    Path data = tmp.resolve("stale-json");
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = data.resolve(SAMPLE.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path json = data.resolve("dataset.json");
    byte[] text = Files.readAllBytes(json);
    org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(json.toUri());
    try (var out = org.apache.hadoop.fs.FileSystem.getLocal(spark.sparkContext()
        .hadoopConfiguration()).create(hp, true)) { // checksummed: writes .dataset.json.crc
      out.write(text);
    }
    assertTrue(Files.exists(data.resolve(".dataset.json.crc")));
    Files.writeString(json, new String(text, StandardCharsets.UTF_8) + " ");
    JobRun r = run("--input", data.toString(), "--output", tmp.resolve("stale-out").toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("ohem-mine: bad input: ") && r.err().contains(
        ".dataset.json.crc") && r.err().contains("delete the .crc file"), r.err());
  }

  /** --version prints the versions, not the help. */
  @Test
  void versionPrintsVersions() {
    JobRun r = run("--version");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.out().startsWith("ohem-spark ") && r.out().contains("\nSpark 4.")
        && !r.out().contains("--input"), r.out());
  }
}
