package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@code jobs/lib/submit.sh} splits a command line between Spark and the job, in both
 * spellings of an option ({@code --opt value}, {@code --opt=value}); {@code OHEM_DRY_RUN=1}
 * prints the split instead of starting Spark.
 */
class SubmitScriptTest {
  private static List<String> split(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "jobs/ohem-mine.sh"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OHEM_DRY_RUN", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines().toList();
  }

  @Test
  void bothSpellingsOfConfAndDriverMemoryReachTheRightPlace() throws Exception {
    assertEquals(List.of("spark: --conf", "spark: spark.a=b", "spark: --conf", "spark: spark.c=d",
        "spark: --driver-memory=2g", "spark: --master", "spark: local[2]",
        "app: --input", "app: in", "app: --conf", "app: my.properties", "app: --thresh",
        "app: 0.6", "heap: -Xmx2g"),
        split("--input", "in", "--conf=my.properties", "--conf", "spark.a=b",
            "--conf=spark.c=d", "--driver-memory=2g", "--master", "local[2]", "--thresh", "0.6"));
  }

  @Test
  void anExistingFileWithAnEqualsSignIsTheJobsConfAndSparkDriverMemorySetsTheHeap()
      throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("run=2", ".properties");
    try {
      assertEquals(List.of("spark: --conf", "spark: spark.driver.memory=1g", "app: --conf",
          "app: " + f, "heap: -Xmx1g"), split("--conf", f.toString(), "--conf",
          "spark.driver.memory=1g"));
    } finally {
      java.nio.file.Files.delete(f);
    }
  }

  @Test
  void driverJavaOptionsReachTheLocalDriversJvm() throws Exception {
    List<String> lines = split("--input", "in", "--driver-java-options", "-Xmx300m -Dk=v");
    assertEquals(List.of("driver-java-options: -Xmx300m", "driver-java-options: -Dk=v"),
        lines.subList(lines.size() - 2, lines.size()));
  }

  @Test
  void withoutAJobConfFileTheDefaultOneIsGivenOnce() throws Exception {
    List<String> lines = split("--input", "in", "--driver-memory", "3g");
    assertEquals(List.of("spark: --driver-memory", "spark: 3g", "app: --input", "app: in",
        "app: --conf", "app: " + new java.io.File("conf/ohem-spark.properties")
            .getAbsolutePath(), "heap: -Xmx3g"), lines);
  }

  /**
   * In cluster deploy mode the driver runs on the cluster, where this machine's paths mean
   * nothing: the configuration file (the default one, or --conf FILE) is shipped with --files,
   * added to the user's own, and the job gets its file name; a URI goes through unchanged.
   */
  @Test
  void inClusterDeployModeTheConfFileIsShippedAndNamedByItsFileName() throws Exception {
    String shipped = new java.io.File("conf/ohem-spark.properties").getAbsolutePath();
    assertEquals(List.of("spark: --deploy-mode", "spark: cluster", "spark: --files",
        "spark: a.txt," + shipped, "app: --input", "app: in", "app: --conf",
        "app: ohem-spark.properties"),
        split("--deploy-mode", "cluster", "--files", "a.txt", "--input", "in"));
    assertEquals(List.of("spark: --conf", "spark: spark.submit.deployMode=cluster",
        "spark: --files=b.txt," + shipped, "app: --conf", "app: ohem-spark.properties"),
        split("--conf", "spark.submit.deployMode=cluster", "--files=b.txt", "--conf",
            "conf/ohem-spark.properties"));
    assertEquals(List.of("spark: --deploy-mode=cluster", "app: --conf",
        "app: hdfs://nn:8020/conf/job.properties"),
        split("--deploy-mode=cluster", "--conf", "hdfs://nn:8020/conf/job.properties"));
    assertEquals(List.of("spark: --deploy-mode", "spark: client", "app: --conf",
        "app: conf/ohem-spark.properties"),
        split("--deploy-mode", "client", "--conf", "conf/ohem-spark.properties"));
  }
}
