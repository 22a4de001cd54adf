package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.testing.Layouts;
import org.ohemspark.testing.SparkTestSession;
import org.ohemspark.testing.Tars;

/**
 * The {@code ohem-ingest} job as a user runs it, then {@code ohem-mine} on its shards: the same
 * summary as from the directory (the sample against PyTorch's mean), tars ingested with
 * {@code --format webdataset}, the target file size, and exit codes for bad input and bad
 * arguments.
 */
class OhemIngestJobTest {
  private static SparkSession spark;
  private static final Path SAMPLE = Paths.get("samples", "tiny");

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("ingest-job");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JobRun ingest(String... args) {
    return JobRun.of(OhemIngestJob::run, spark, args);
  }

  private static JobRun mine(String... args) {
    return JobRun.of(OhemMineJob::run, spark, args);
  }

  private static JsonNode json(Path p) throws IOException {
    return new ObjectMapper().readTree(p.toFile());
  }

  /** summary.json without the fields that name the input and its label convention. */
  static JsonNode results(Path summary) throws IOException {
    ObjectNode s = (ObjectNode) json(summary);
    s.remove("input");
    ((ObjectNode) s.get("params")).remove("label_convention");
    return s;
  }

  private static long parquetFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void ingestedShardsMineAsTheDirectory() throws IOException {
    Path shards = tmp.resolve("shards");
    JobRun in = ingest("--input", SAMPLE.toString(), "--output", shards.toString(),
        "--target-file-mb", "0.001");
    assertEquals(ExitCode.OK, in.code(), in.err());
    assertTrue(in.out().contains("ingested 3 images from samples/tiny (dir) into 3 Parquet "
        + "files"), in.out());
    assertEquals(3, parquetFiles(shards), "a 1 KiB target: one image per file");
    JsonNode ds = json(shards.resolve("_dataset.json"));
    assertEquals("train_ids", ds.get("label_convention").asText());
    assertEquals(5, ds.get("classes").asInt());
    assertEquals(255, ds.get("ignore_index").asInt());

    JobRun fromShards = mine("--input", shards.toString(), "--output",
        tmp.resolve("m-shards").toString());
    assertEquals(ExitCode.OK, fromShards.code(), fromShards.err());
    JobRun fromDir = mine("--input", SAMPLE.toString(), "--output", tmp.resolve("m-dir")
        .toString());
    assertEquals(ExitCode.OK, fromDir.code(), fromDir.err());
    assertEquals(results(tmp.resolve("m-dir/summary.json")),
        results(tmp.resolve("m-shards/summary.json")));
    double mean = json(SAMPLE.resolve("expected.json")).get("dataset").get("mean").asDouble();
    assertEquals(mean, json(tmp.resolve("m-shards/summary.json")).get("mean").asDouble(),
        1e-6 * mean, "PyTorch's mean");
  }

  /** dataset.json's class_names go into _dataset.json, and name the shards' classes/. */
  @Test
  void classNamesTravelWithTheShards() throws IOException {
    Path data = tmp.resolve("named");
    for (String sub : List.of("logits", "labels")) {
      Files.createDirectories(data.resolve(sub));
      try (Stream<Path> f = Files.list(SAMPLE.resolve(sub))) {
        for (Path p : f.toList()) {
          Files.copy(p, data.resolve(sub).resolve(p.getFileName()));
        }
      }
    }
    ObjectNode ds = (ObjectNode) json(SAMPLE.resolve("dataset.json"));
    ds.putArray("class_names").add("sky").add("road").addNull().add("car").add("tree");
    Files.writeString(data.resolve("dataset.json"), ds.toString());
    Path shards = tmp.resolve("named-shards");
    JobRun in = ingest("--input", data.toString(), "--output", shards.toString());
    assertEquals(ExitCode.OK, in.code(), in.err());
    assertEquals("[\"sky\",\"road\",null,\"car\",\"tree\"]",
        json(shards.resolve("_dataset.json")).get("class_names").toString());
    JobRun m = mine("--input", shards.toString(), "--output", tmp.resolve("m-named").toString());
    assertEquals(ExitCode.OK, m.code(), m.err());
    JsonNode classes = json(tmp.resolve("m-named/summary.json")).get("classes");
    assertEquals(List.of("sky", "road", "null", "car", "tree"), List.of(
        classes.get(0).get("class_name").asText(), classes.get(1).get("class_name").asText(),
        classes.get(2).get("class_name").toString(), classes.get(3).get("class_name").asText(),
        classes.get(4).get("class_name").asText()));
  }

  @Test
  void tarsIngestWithFormatFlagAndMineDirectly() throws IOException {
    Path tars = Layouts.toTars(SAMPLE, tmp.resolve("tars"), 2);
    Path shards = tmp.resolve("shards");
    JobRun in = ingest("--input", tars.toString(), "--output", shards.toString(), "--format",
        "webdataset");
    assertEquals(ExitCode.OK, in.code(), in.err());
    assertEquals(1, parquetFiles(shards), "128 MiB target: one file");
    assertEquals(3, spark.read().parquet(shards.toString()).count());
    JobRun fromTars = mine("--input", tars.toString(), "--output", tmp.resolve("m").toString(),
        "--format", "webdataset");
    assertEquals(ExitCode.OK, fromTars.code(), fromTars.err());
    double mean = json(SAMPLE.resolve("expected.json")).get("dataset").get("mean").asDouble();
    assertEquals(mean, json(tmp.resolve("m/summary.json")).get("mean").asDouble(), 1e-6 * mean);
    assertEquals("palette_index", json(tmp.resolve("m/summary.json")).get("params")
        .get("label_convention").asText(), "the tars' dataset.json is read");
  }

  @Test
  void badSampleExitsWith3NamingTarAndKeyAndWritesNothing() {
    Tars.create().add("a.logits.npy", new byte[0]).add("a.jpg", new byte[1])
        .write(tmp.resolve("in/shard-000007.tar"));
    Path out = tmp.resolve("out");
    JobRun r = ingest("--input", tmp.resolve("in").toString(), "--output", out.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("shard-000007.tar") && r.err().contains("image_id='a'")
        && r.err().contains("no label member"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void badArgumentsExitWith2() throws IOException {
    String in = SAMPLE.toString();
    String out = tmp.resolve("o").toString();
    JobRun noOut = ingest("--input", in);
    assertEquals(ExitCode.BAD_ARGUMENTS, noOut.code());
    assertTrue(noOut.err().contains("--output"), noOut.err());
    assertEquals(ExitCode.BAD_ARGUMENTS, ingest("--input", in, "--output", out,
        "--target-file-mb", "0").code());
    assertEquals(ExitCode.BAD_ARGUMENTS, ingest("--input", in, "--output", out, "--format",
        "zip").code());
    Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(tmp.resolve("plain/notes.txt"), "x");
    JobRun unknown = ingest("--input", tmp.resolve("plain").toString(), "--output", out);
    assertEquals(ExitCode.BAD_ARGUMENTS, unknown.code());
    assertTrue(unknown.err().contains("--format"), unknown.err());
    JobRun exists = ingest("--input", in, "--output", tmp.resolve("plain").toString());
    assertEquals(ExitCode.BAD_ARGUMENTS, exists.code());
    assertTrue(exists.err().contains("--overwrite"), exists.err());
    JobRun mineUnknown = mine("--input", tmp.resolve("plain").toString(), "--output", out);
    assertEquals(ExitCode.BAD_ARGUMENTS, mineUnknown.code(), mineUnknown.err());
  }

  @Test
  void overwriteNeverReplacesTheInput() throws IOException {
    Path data = tmp.resolve("data");
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, data.resolve(SAMPLE.relativize(f).toString()));
      }
    }
    long before;
    try (Stream<Path> files = Files.walk(data)) {
      before = files.count();
    }
    JobRun same = ingest("--input", data.toString(), "--output", data.toString(), "--overwrite");
    assertEquals(ExitCode.BAD_ARGUMENTS, same.code(), same.err());
    assertTrue(same.err().contains("is the input"), same.err());
    try (Stream<Path> files = Files.walk(data)) {
      assertEquals(before, files.count(), "the input is untouched");
    }
  }

  @Test
  void formatIsAConfigurationKeyAndAFlag() {
    java.util.Properties file = new java.util.Properties();
    file.setProperty("format", "parquet");
    org.ohemspark.io.DatasetDescriptor none = org.ohemspark.io.DatasetDescriptor.EMPTY;
    assertEquals(org.ohemspark.source.InputFormat.PARQUET, JobConfig.resolve(file, none,
        java.util.Map.of("input", "x")).format());
    assertEquals(org.ohemspark.source.InputFormat.WEBDATASET, JobConfig.resolve(file, none,
        java.util.Map.of("input", "x", "format", "webdataset")).format(), "the flag wins");
    assertEquals(org.ohemspark.source.InputFormat.AUTO, JobConfig.resolve(new java.util
        .Properties(), none, java.util.Map.of("input", "x")).format(), "default: detect");
  }

  /** A ':' in the output's name (a timestamp) is a plain character for the ingest too. */
  @Test
  void anOutputNamedWithAColonIsWritten() throws IOException {
    Path out = JobRun.ingest(spark, SAMPLE, tmp.resolve("shards_T11:30"));
    try (Stream<Path> files = Files.list(out)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet")));
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertTrue(left.allMatch(f -> f.equals(out)), "no staging folder left");
    }
  }

  /** The compressed bytes of each row group of the Parquet files in {@code dir}. */
  private static java.util.List<Long> rowGroupBytes(Path dir) throws IOException {
    java.util.List<Long> out = new java.util.ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop
            .ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(f.toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
          r.getFooter().getBlocks().forEach(b -> out.add(b.getCompressedSize()));
        }
      }
    }
    return out;
  }

  /**
   * The ingest writes row groups of at most half of {@code spark.ohem.parquet.maxRowGroupBytes}
   * (it wrote one row group per file, whatever its size: the first size check came after 100
   * rows), so the mining job reads back what it writes under the same limit; an image whose
   * row alone is over the limit is bad input.
   */
  @Test
  void rowGroupsStayUnderTheReadLimitAndAnImageOverItIsBad() throws IOException {
    Path data = tmp.resolve("sixes");
    Files.createDirectories(data.resolve("logits"));
    Files.createDirectories(data.resolve("labels"));
    Files.copy(SAMPLE.resolve("dataset.json"), data.resolve("dataset.json"));
    for (int i = 0; i < 6; i++) { // [5, 48, 64] float32 logits and a 24 KiB mask: ~86 KB a row
      Files.copy(SAMPLE.resolve("logits/street_0003.npy"), data.resolve("logits/s" + i + ".npy"));
      Files.copy(SAMPLE.resolve("labels/street_0003.npy"), data.resolve("labels/s" + i + ".npy"));
    }
    spark.conf().set(org.ohemspark.source.RowGroupLimit.KEY, "200k");
    try {
      Path shards = tmp.resolve("capped");
      JobRun in = ingest("--input", data.toString(), "--output", shards.toString());
      assertEquals(ExitCode.OK, in.code(), in.err());
      assertEquals(1, parquetFiles(shards), "a 128 MiB target: one file");
      java.util.List<Long> groups = rowGroupBytes(shards);
      assertEquals(6, groups.size(), "one image a row group: " + groups);
      assertTrue(groups.stream().allMatch(b -> b <= 100 * 1024), groups.toString());
      JobRun mined = mine("--input", shards.toString(), "--output",
          tmp.resolve("capped-mined").toString());
      assertEquals(ExitCode.OK, mined.code(), "read back under the same limit: " + mined.err());
      assertEquals(ExitCode.OK, mine("--input", data.toString(), "--output",
          tmp.resolve("dir-mined").toString()).code());
      assertEquals(results(tmp.resolve("dir-mined/summary.json")),
          results(tmp.resolve("capped-mined/summary.json")));

      spark.conf().set(org.ohemspark.source.RowGroupLimit.KEY, "50k");
      Path none = tmp.resolve("none");
      JobRun over = ingest("--input", data.toString(), "--output", none.toString());
      assertEquals(ExitCode.BAD_INPUT, over.code(), over.err());
      assertTrue(over.err().contains("image_id='s") && over.err().contains("more than "
          + "spark.ohem.parquet.maxRowGroupBytes = 50.0 KiB"), over.err());
      assertFalse(Files.exists(none));
    } finally {
      spark.conf().unset(org.ohemspark.source.RowGroupLimit.KEY);
    }
  }
}
