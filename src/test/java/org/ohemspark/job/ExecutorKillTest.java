package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
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
 * Fault test on a real standalone cluster (a master and two workers in separate JVMs): while the
 * job runs, as soon as the first partition of the cached loss frame is stored, one executor JVM
 * is killed (SIGKILL). Its tasks and its cached blocks are lost; Spark reruns the tasks and
 * recomputes the blocks from lineage on the executors left (and on the one the worker starts
 * again). The job must still finish with exactly the local run's numbers and rows.
 */
@Tag("cluster")
class ExecutorKillTest {
  @TempDir
  static Path tmp;
  private static StandaloneCluster cluster;

  @BeforeAll
  static void start() {
    cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** samples/tiny and the golden topk_path images: the top-k passes run after the kill. */
  private static Path dataset() throws IOException {
    Path dir = tmp.resolve("data");
    Path root = StandaloneCluster.projectRoot();
    for (String src : List.of("samples/tiny", "src/test/resources/golden/topk_path",
        "src/test/resources/golden/ties_at_kth")) {
      for (String sub : List.of("logits", "labels")) {
        Files.createDirectories(dir.resolve(sub));
        try (Stream<Path> s = Files.list(root.resolve(src).resolve(sub))) {
          for (Path p : s.toList()) {
            String name = p.getFileName().toString();
            String prefix = src.contains("ties") ? "t" : "";
            Files.copy(p, dir.resolve(sub).resolve(prefix + name));
          }
        }
      }
    }
    return dir;
  }

  private static int run(SparkSession spark, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = OhemMineJob.run(args, spark, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    if (code != ExitCode.OK) {
      System.err.println(err.toString(StandardCharsets.UTF_8));
    }
    return code;
  }

  @Test
  void jobSurvivesAKilledExecutorWithTheSameNumbers() throws Exception {
    Path data = dataset();
    String[] common = {"--input", data.toString(), "--factor", "2", "--label-convention",
        "palette_index", "--partitions", "6"};

    SparkSession local = SparkTestSession.create("kill-reference");
    Path localOut = tmp.resolve("out-local");
    List<Row> localRows;
    try {
      assertEquals(ExitCode.OK, run(local, concat(common, "--output", localOut.toString())));
      localRows = local.read().parquet(localOut.resolve("hard_pixels").toString())
          .orderBy("image_id", "pixel_index").collectAsList();
    } finally {
      local.stop();
    }

    Path appJar = AppJar.build(tmp.resolve("ohem-spark-app.jar"));
    SparkSession spark = SparkSession.builder().master(cluster.masterUrl())
        .appName("executor-kill")
        .config("spark.jars", appJar.toString())
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.memory", "768m")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    AtomicLong killedPid = new AtomicLong(-1);
    AtomicInteger removed = new AtomicInteger();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onBlockUpdated(SparkListenerBlockUpdated e) {
        if (e.blockUpdatedInfo().blockId().isRDD() && killedPid.get() < 0) {
          List<Long> pids = cluster.executorPids();
          if (!pids.isEmpty() && killedPid.compareAndSet(-1, pids.get(0))) {
            ProcessHandle.of(pids.get(0)).ifPresent(ProcessHandle::destroyForcibly);
          }
        }
      }

      @Override
      public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        removed.incrementAndGet();
      }
    });
    Path clusterOut = tmp.resolve("out-cluster");
    try {
      assertEquals(ExitCode.OK, run(spark, concat(common, "--output", clusterOut.toString())));
      assertTrue(killedPid.get() > 0, "an executor was killed while the job ran");
      assertTrue(removed.get() >= 1, "Spark saw the executor go");
      assertEquals(Files.readString(localOut.resolve("summary.json")),
          Files.readString(clusterOut.resolve("summary.json")), "same summary.json bytes");
      Dataset<Row> rows = spark.read().parquet(clusterOut.resolve("hard_pixels").toString());
      assertEquals(localRows, rows.orderBy("image_id", "pixel_index").collectAsList());
      assertTrue(Files.readString(clusterOut.resolve("summary.json"))
          .contains("\"used_topk\" : true"), "the top-k passes ran after the kill");
    } finally {
      spark.stop();
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
