package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * <p>One submission (each costs a driver and two executor JVMs): the images of
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

  private static List<String> concat(List<String> a, String... b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }

  /** The whole log of the driver whose job wrote {@code out}. */
  private static String driverOutput(Path out) throws IOException {
    try (Stream<Path> s = Files.list(cluster.dir())) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("driver-")).toList()) {
        String log = Files.readString(p);
        if (log.contains(out.toString())) {
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
