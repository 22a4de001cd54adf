package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.Layouts;
import org.ohemspark.testing.SparkTestSession;

/**
 * One Parquet shard or one tar given as {@code --input} is mined with the descriptor of its
 * folder ({@code _dataset.json} or {@code dataset.json}), as the folder is: the same per-image
 * rows and hard pixels as mining the whole folder, restricted to the file's images, and the
 * same notes about the configuration file.
 */
class SingleFileInputTest {
  private static SparkSession spark;
  private static final Path SAMPLE = Paths.get("samples", "tiny");

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("single-file-input");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JobRun mine(String... args) {
    return JobRun.of(OhemMineJob::run, spark, args);
  }

  /** Sets {@code label_convention} in the descriptor {@code file}, keeping its other fields. */
  private static void declareConvention(Path file, String convention) throws IOException {
    ObjectMapper m = new ObjectMapper();
    ObjectNode d = (ObjectNode) m.readTree(file.toFile());
    d.put("label_convention", convention);
    m.writeValue(file.toFile(), d);
  }

  /** {@code <out>/<table>} rows as strings, sorted, only those of {@code ids}. */
  /**
   * The rows of {@code ids} in a table, as text, sorted; {@code images/}' {@code rank} left out
   * (an image's rank among the file's images is not its rank among the folder's).
   */
  private static List<String> rows(Path out, String table, Set<String> ids) {
    org.apache.spark.sql.Dataset<Row> t = spark.read().parquet(out.resolve(table).toString());
    return t.drop("rank").collectAsList().stream()
        .filter(r -> ids.contains(r.<String>getAs("image_id"))).map(Row::toString).sorted()
        .toList();
  }

  /**
   * Mines {@code folder} and {@code file} (one of its files) per image with a configuration
   * file whose {@code label_convention=void=2} the folder's descriptor overrides, and requires
   * the file's run to equal the folder's on the file's images, with the same note, and to
   * differ from a run with the built-in {@code train_ids}.
   */
  private void singleFileMinesAsItsFolder(Path folder, Path file, String declared)
      throws IOException {
    Path conf = tmp.resolve("job.properties");
    Files.writeString(conf, "label_convention=void=2\n");
    Path outFolder = tmp.resolve("folder");
    Path outFile = tmp.resolve("file");
    JobRun all = mine("--input", folder.toString(), "--output", outFolder.toString(),
        "--group-by", "image", "--conf", conf.toString());
    assertEquals(ExitCode.OK, all.code(), all.err());
    JobRun one = mine("--input", file.toString(), "--output", outFile.toString(), "--group-by",
        "image", "--conf", conf.toString());
    assertEquals(ExitCode.OK, one.code(), one.err());

    Set<String> ids = spark.read().parquet(outFile.resolve("images").toString())
        .collectAsList().stream().map(r -> r.<String>getAs("image_id"))
        .collect(Collectors.toSet());
    assertEquals(1, ids.size(), "one image in the file: " + ids);
    assertEquals(3, rows(outFolder, "images", Set.of("street_0001", "street_0002",
        "street_0003")).size());
    assertEquals(rows(outFolder, "images", ids), rows(outFile, "images", ids));
    List<String> hard = rows(outFile, "hard_pixels", ids);
    assertTrue(hard.size() > 0);
    assertEquals(rows(outFolder, "hard_pixels", ids), hard);

    String descriptor = Files.exists(folder.resolve("dataset.json")) ? "dataset.json"
        : "_dataset.json";
    String note = "ohem-mine: note: " + descriptor + " sets label_convention=" + declared
        + "; the configuration file's label_convention=void=2 is not used";
    assertTrue(all.err().contains(note), all.err());
    assertTrue(one.err().contains(note), "the same note for the single file: " + one.err());
    assertEquals(declared, JobOutputs.summary(outFile).get("params").get("label_convention")
        .asText());

    Path outDefault = tmp.resolve("default");
    JobRun dflt = mine("--input", file.toString(), "--output", outDefault.toString(),
        "--group-by", "image", "--label-convention", "train_ids");
    assertEquals(ExitCode.OK, dflt.code(), dflt.err());
    assertNotEquals(JobOutputs.summary(outDefault).get("n_valid").asLong(),
        JobOutputs.summary(outFile).get("n_valid").asLong(),
        "the declared convention ignores a class the built-in one keeps");
  }

  @Test
  void singleParquetShardUsesItsFoldersDatasetJson() throws IOException {
    Path shards = JobRun.ingest(spark, SAMPLE, tmp.resolve("shards"), "--target-file-mb",
        "0.001");
    declareConvention(shards.resolve("_dataset.json"), "void=1");
    Path shard;
    try (Stream<Path> s = Files.list(shards)) {
      shard = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted()
          .findFirst().orElseThrow();
    }
    singleFileMinesAsItsFolder(shards, shard, "void=1");
  }

  @Test
  void singleTarUsesItsFoldersDatasetJson() throws IOException {
    Path tars = Layouts.toTars(SAMPLE, tmp.resolve("tars"), 3);
    declareConvention(tars.resolve("dataset.json"), "void=3");
    singleFileMinesAsItsFolder(tars, tars.resolve("shard-000001.tar"), "void=3");
  }
}
