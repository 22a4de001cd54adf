package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/lib/spark_events.py}, which gives {@code jobs/ohem-bench.sh} its per-Spark-job
 * figures, read against a real event log of Spark 4.2: the job on the built-in sample, run with
 * the event log settings the benchmark uses. If Spark renamed an event or a metric, or the
 * job's passes moved, the benchmark would print zeros or wrong labels; this fails instead.
 */
class BenchEventLogTest {
  private static final Path SAMPLE = Paths.get("samples", "tiny");
  /** Label pixels of samples/tiny: three 64 x 48 masks. */
  private static final long PIXELS = 3L * 64 * 48;

  @TempDir
  Path tmp;

  @Test
  void eachOfTheJobsSparkJobsIsLabelledAndItsRowsAndCostsCounted() throws Exception {
    Path events = tmp.resolve("events");
    java.nio.file.Files.createDirectories(events);
    Path out = tmp.resolve("out");
    SparkSession spark = SparkSession.builder().master("local[2]").appName("bench-events")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", events.toUri().toString())
        .config("spark.eventLog.rolling.enabled", "false")
        .config("spark.eventLog.compress", "false")
        .config("spark.eventLog.logStageExecutorMetrics", "true")
        .getOrCreate();
    JobRun r;
    try {
      r = JobRun.of(OhemMineJob::run, spark, "--input", SAMPLE.toString(), "--output",
          out.toString(), "--partitions", "3");
    } finally {
      spark.stop(); // closes the event log
    }
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());

    Process p = new ProcessBuilder("/usr/bin/python3", "jobs/lib/spark_events.py",
        events.toString(), Long.toString(PIXELS)).redirectErrorStream(true).start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), json);
    JsonNode report = new ObjectMapper().readTree(json);
    List<String> labels = new ArrayList<>();
    Map<String, JsonNode> byLabel = new HashMap<>();
    for (JsonNode j : report.get("jobs")) {
      labels.add(j.get("label").asText());
      byLabel.put(j.get("label").asText(), j);
      assertTrue(j.get("cpu_ns").asLong() > 0, j.toString());
      assertEquals(j.get("cpu_ns").asDouble() / PIXELS, j.get("cpu_ns_px").asDouble(), 1e-9);
    }
    String loss = "loss pass: read, decode, kernel, cache";
    assertEquals(loss, labels.get(0), labels.toString());
    assertTrue(labels.contains("per-image totals"), labels.toString());
    assertTrue(labels.contains("kept pixels by (label, predicted)"), labels.toString());
    assertTrue(labels.contains("images/ rank: key sample"), labels.toString());
    assertTrue(labels.contains("images/ rank: images per range"), labels.toString());
    // report.html: the top-N and the thumbnails (samples/tiny has no pictures to read)
    assertTrue(labels.contains("report: worst images (top-N)"), labels.toString());
    assertTrue(labels.contains("report: thumbnails of the worst images"), labels.toString());
    // the last jobs write the outputs, at once (each may be two Spark jobs: the tasks that
    // feed the write, then the write), one row per image, one per kept pixel, one per class and
    // one per (label, predicted) pair of kept pixels
    List<String> writes = labels.stream().filter(l -> l.startsWith("write "))
        .map(l -> l.replaceAll(" #[0-9]+$", "")).distinct().sorted().toList();
    assertEquals(List.of("write classes/", "write confusion/", "write hard_pixels/",
        "write images/"), writes, labels.toString());
    assertEquals(3, outputRecords(report, "write images/"));
    assertEquals(summary.get("n_kept").asLong(), outputRecords(report, "write hard_pixels/"));
    assertEquals(summary.get("classes").size(), outputRecords(report, "write classes/"));
    long pairs = parquetRows(out.resolve("confusion"));
    assertTrue(pairs > 0);
    assertEquals(pairs, outputRecords(report, "write confusion/"));
    // --partitions 3: the loss pass is one task per partition
    assertEquals(3, byLabel.get(loss).get("tasks").asInt());
    assertTrue(report.get("executor_metric_peaks").get("JVMHeapMemory").asLong() > 0);
    assertEquals(0, report.get("totals").get("spill_disk_bytes").asLong());
  }

  /** Rows in the Parquet files of a folder, from their footers (Spark is stopped by then). */
  private static long parquetRows(Path folder) throws Exception {
    long n = 0;
    try (var files = java.nio.file.Files.list(folder)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
          n += r.getRecordCount();
        }
      }
    }
    return n;
  }

  /** Output records of every Spark job labelled {@code label} or {@code label #n}. */
  private static long outputRecords(JsonNode report, String label) {
    long n = 0;
    for (JsonNode j : report.get("jobs")) {
      if (j.get("label").asText().replaceAll(" #[0-9]+$", "").equals(label)) {
        n += j.get("output_records").asLong();
      }
    }
    return n;
  }
}
