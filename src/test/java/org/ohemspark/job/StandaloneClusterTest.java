package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.testing.AppJar;
import org.ohemspark.testing.SparkTestSession;
import org.ohemspark.testing.StandaloneCluster;

/**
 * The job on a real standalone cluster (a master and two workers in their own JVMs, executors
 * launched by the workers), submitted through {@code SparkSubmit --master spark://...} in client
 * mode from a child JVM, gives exactly what a local run gives: the same {@code summary.json}
 * bytes, the same {@code images/} and {@code hard_pixels/} rows.
 *
 * <p>In cluster deploy mode ({@link #clusterDeployModeReadsTheShippedConfigurationFile}) the
 * driver runs on a worker and must find the configuration file the user named on the submitting
 * machine.
 *
 * <p>One client-mode submission (each costs a driver and two executor JVMs): the images of
 * {@code samples/tiny} (palette and grey PNG, npy labels; float16 logits at 1/4 size, float32 at
 * full size) together with those of the golden case {@code topk_path}, at factor 2 so that the
 * distributed top-k runs across both executors.
 */
@Tag("cluster")
class StandaloneClusterTest {
  @TempDir
  static Path tmp;
  private static StandaloneCluster cluster;
  private static Path appJar;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws IOException {
    cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2);
    appJar = AppJar.build(tmp.resolve("ohem-spark-app.jar"));
    spark = SparkTestSession.create("cluster-compare");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** samples/tiny and golden/topk_path in one dataset directory (ids do not collide). */
  private static Path mixedDataset() throws IOException {
    Path dir = tmp.resolve("mixed");
    Path root = StandaloneCluster.projectRoot();
    for (String src : List.of("samples/tiny", "src/test/resources/golden/topk_path")) {
      for (String sub : List.of("logits", "labels")) {
        Files.createDirectories(dir.resolve(sub));
        try (Stream<Path> s = Files.list(root.resolve(src).resolve(sub))) {
          for (Path p : s.toList()) {
            Files.copy(p, dir.resolve(sub).resolve(p.getFileName()));
          }
        }
      }
    }
    return dir;
  }

  @Test
  void clusterRunEqualsLocalRun() throws Exception {
    String in = mixedDataset().toString();
    Path clusterOut = tmp.resolve("out-cluster");
    Path localOut = tmp.resolve("out-local");
    List<String> args = List.of("--input", in, "--factor", "2", "--label-convention",
        "palette_index");

    Process driver = cluster.submit(appJar, OhemMineJob.class.getName(), List.of(),
        concat(args, "--output", clusterOut.toString()));
    try {
      // the local reference run overlaps the cluster run
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = OhemMineJob.run(concat(args, "--output", localOut.toString())
          .toArray(new String[0]), spark, new PrintStream(new ByteArrayOutputStream()),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(ExitCode.OK, code, err.toString(StandardCharsets.UTF_8));
      if (!driver.waitFor(240, TimeUnit.SECONDS)) {
        fail("cluster run did not finish in 240 s:\n" + driverLog());
      }
    } finally {
      driver.destroyForcibly();
    }
    assertEquals(ExitCode.OK, driver.exitValue(), driverLog());
    assertEquals(Files.readString(localOut.resolve("summary.json")),
        Files.readString(clusterOut.resolve("summary.json")), "summary.json bytes");
    assertTrue(Files.readString(clusterOut.resolve("summary.json"))
        .contains("\"used_topk\" : true"), "the top-k branch ran");
    // no job read the cached records while the loss pass was decoding them on another executor
    Matcher passes = Pattern.compile("passes: logits (\\S+) ").matcher(driverOutput(clusterOut));
    assertTrue(passes.find(), driverLog());
    assertEquals("1.00", passes.group(1), "images decoded / images on the cluster");
    for (String table : List.of("images", "hard_pixels")) {
      Dataset<Row> a = spark.read().parquet(localOut.resolve(table).toString());
      Dataset<Row> b = spark.read().parquet(clusterOut.resolve(table).toString());
      assertEquals(a.count(), b.count(), table + " rows");
      assertEquals(List.of(), a.exceptAll(b).collectAsList(), table
          + ": local rows missing on the cluster; cluster has " + b.exceptAll(a).collectAsList());
      assertEquals(0, b.exceptAll(a).count(), table + ": cluster rows missing locally");
    }
    // the executors really ran in the workers' JVMs: each worker kept an executor directory
    for (String w : List.of("work-1", "work-2")) {
      try (Stream<Path> s = Files.walk(cluster.dir().resolve(w), 2)) {
        assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("\\d+")
            && p.getParent().getFileName().toString().startsWith("app-")),
            w + " ran no executor:\n" + driverLog());
      }
    }
  }

  /**
   * Cluster deploy mode: the driver runs on a worker, in a directory of its own, so the
   * configuration file the user names by a relative path on the submitting machine must travel
   * with the job. The submission is the one {@code jobs/ohem-mine.sh --deploy-mode cluster
   * --conf job.properties} makes (its dry run, from the user's directory): the file goes with
   * {@code --files}, the job gets its name. The file alone names the input (samples/tiny) and
   * the output, so a driver that did not read it would fail (exit 2: no input); the summary
   * must give samples/tiny/expected.json's figures for the whole folder.
   */
  @Test
  void clusterDeployModeReadsTheShippedConfigurationFile() throws Exception {
    Path root = StandaloneCluster.projectRoot();
    Path user = Files.createDirectories(tmp.resolve("user"));
    Path out = tmp.resolve("out-cluster-mode");
    Files.writeString(user.resolve("job.properties"), "input="
        + root.resolve("samples/tiny").toAbsolutePath() + "\noutput=" + out + "\nthresh=0.7\n"
        + "factor=16\n");
    ProcessBuilder dry = new ProcessBuilder("bash", root.resolve("jobs/ohem-mine.sh").toString(),
        "--deploy-mode", "cluster", "--conf", "job.properties").directory(user.toFile())
        .redirectErrorStream(true);
    dry.environment().put("OHEM_DRY_RUN", "1");
    Process p = dry.start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
        .lines().toList();
    assertEquals(0, p.waitFor(), String.join("\n", lines));
    List<String> sparkArgs = new ArrayList<>();
    List<String> appArgs = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith("spark: ")) {
        sparkArgs.add(l.substring(7));
      } else if (l.startsWith("app: ")) {
        appArgs.add(l.substring(5));
      }
    }
    assertEquals(List.of("--deploy-mode", "cluster", "--files",
        user.resolve("job.properties").toString()), sparkArgs);
    assertEquals(List.of("--conf", "job.properties"), appArgs);

    Set<String> before = cluster.finishedDrivers().keySet();
    Process submit = cluster.submitInClusterMode(appJar, OhemMineJob.class.getName(),
        sparkArgs.subList(2, sparkArgs.size()), appArgs);
    try {
      if (!submit.waitFor(300, TimeUnit.SECONDS)) {
        fail("cluster-mode run did not finish in 300 s:\n" + driverLog());
      }
    } finally {
      submit.destroyForcibly();
    }
    Map<String, String> drivers = new LinkedHashMap<>(cluster.finishedDrivers());
    drivers.keySet().removeAll(before);
    assertEquals(1, drivers.size(), "one driver ran: " + drivers + "\n" + driverLog());
    String id = drivers.keySet().iterator().next();
    Path driverDir = cluster.driverDir(id);
    String driverErr = Files.readString(driverDir.resolve("stderr"));
    assertEquals("FINISHED", drivers.get(id), driverErr.lines()
        .filter(l -> l.startsWith("ohem-mine") || l.contains("Exception")).toList().toString());
    assertTrue(Files.readString(driverDir.resolve("stdout")).contains("OHEM mean: 0.9400539"),
        "the driver printed the result in its directory on the worker");

    ObjectMapper json = new ObjectMapper();
    JsonNode expected = json.readTree(
        root.resolve("samples/tiny/expected.json").toFile()).get("dataset");
    JsonNode summary = json.readTree(
        out.resolve("summary.json").toFile());
    assertEquals(3, summary.get("n_images").asLong());
    for (String k : List.of("n_valid", "n_min", "n_hard", "n_kept")) {
      assertEquals(expected.get(k).asLong(), summary.get(k).asLong(), k);
    }
    assertEquals(expected.get("used_topk").asBoolean(), summary.get("used_topk").asBoolean());
    assertEquals(expected.get("mean").asDouble(), summary.get("mean").asDouble(), 1e-6, "mean");
    assertEquals(expected.get("n_kept").asLong(),
        spark.read().parquet(out.resolve("hard_pixels").toString()).count(), "hard_pixels rows");
    assertEquals(3, spark.read().parquet(out.resolve("images").toString()).count(),
        "images rows");
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }

  /** The whole log of the driver whose job wrote {@code out}. */
  private static String driverOutput(Path out) throws IOException {
    try (Stream<Path> s = Files.list(cluster.dir())) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("driver-")).toList()) {
        String log = Files.readString(p);
        if (log.contains(out + " (summary.json")) {
          return log;
        }
      }
    }
    throw new AssertionError("no driver log names " + out + ":\n" + driverLog());
  }

  private static String driverLog() throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(cluster.dir())) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("driver-")).sorted()
          .toList()) {
        List<String> lines = Files.readAllLines(p);
        sb.append(p.getFileName()).append(":\n").append(String.join("\n",
            lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
      }
    }
    return sb.toString();
  }
}
