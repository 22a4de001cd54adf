package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.testing.Layouts;
import org.ohemspark.testing.SparkTestSession;

/**
 * The jobs against a real HDFS ({@code MiniDFSCluster}, Hadoop 3.5.0 as Spark 4.2.0 uses, on
 * loopback): the sample dataset and its tars are put on {@code hdfs://}, ingested there into
 * Parquet shards, and mined from the shards and from the tars with the outputs written to
 * {@code hdfs://}; the summary and the hard pixels equal those of the local run.
 */
class HdfsRoundTripTest {
  private static final Path SAMPLE = Paths.get("samples", "tiny");
  private static MiniDFSCluster cluster;
  private static SparkSession spark;
  private static FileSystem hdfs;
  private static String root;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = cluster.getFileSystem();
    root = cluster.getURI().toString();
    spark = SparkTestSession.create("hdfs");
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(SAMPLE.toAbsolutePath().toUri()),
        new org.apache.hadoop.fs.Path(root + "/data/tiny"));
    Path tars = Layouts.toTars(SAMPLE, tmp.resolve("tars"), 2);
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(tars.toUri()),
        new org.apache.hadoop.fs.Path(root + "/data/tars"));
  }

  @AfterAll
  static void stop() throws IOException {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  private static void ok(int code, ByteArrayOutputStream err) {
    assertEquals(ExitCode.OK, code, err.toString(StandardCharsets.UTF_8));
  }

  private static void ingest(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ok(OhemIngestJob.run(args, spark, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8)), err);
  }

  private static void mine(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ok(OhemMineJob.run(args, spark, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8)), err);
  }

  /** A summary.json (on any file system) without the fields naming the input. */
  private static JsonNode results(String summary) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(summary);
    try (InputStream in = p.getFileSystem(spark.sparkContext().hadoopConfiguration())
        .open(p)) {
      ObjectNode s = (ObjectNode) new ObjectMapper().readTree(in);
      s.remove("input");
      ((ObjectNode) s.get("params")).remove("label_convention");
      return s;
    }
  }

  private static List<Row> hardPixels(String out) {
    return spark.read().parquet(out + "/hard_pixels").sort("image_id", "pixel_index")
        .collectAsList();
  }

  @Test
  void ingestAndMineOnHdfsGiveTheLocalNumbers() throws IOException {
    String local = tmp.resolve("local").toString();
    mine("--input", SAMPLE.toString(), "--output", local);

    ingest("--input", root + "/data/tiny", "--output", root + "/shards");
    assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/shards/_dataset.json")));
    assertTrue(hdfs.listStatus(new org.apache.hadoop.fs.Path("/shards"),
        p -> p.getName().endsWith(".parquet")).length > 0, "shards on HDFS");
    mine("--input", root + "/shards", "--output", root + "/out-shards");
    mine("--input", root + "/data/tars", "--output", root + "/out-tars");

    JsonNode expected = results(local + "/summary.json");
    assertEquals(expected, results(root + "/out-shards/summary.json"), "from shards");
    assertEquals(expected, results(root + "/out-tars/summary.json"), "from tars");
    List<Row> hard = hardPixels(local);
    assertEquals(expected.get("n_kept").asLong(), hard.size());
    assertEquals(hard, hardPixels(root + "/out-shards"));
    assertEquals(hard, hardPixels(root + "/out-tars"));
    assertEquals(0.9400538843165219, expected.get("mean").asDouble(), 1e-6, "PyTorch's mean");
  }

  /**
   * A configuration file on HDFS, the place a driver on another machine (cluster deploy mode)
   * can read it from, is read through the Hadoop FileSystem: here it alone names the input and
   * the output, and sets factor 1 (n_min = n_valid of samples/tiny, 8695 in expected.json).
   */
  @Test
  void aConfigurationFileOnHdfsIsRead() throws IOException {
    org.apache.hadoop.fs.Path conf = new org.apache.hadoop.fs.Path(root + "/conf/job.properties");
    try (java.io.OutputStream out = hdfs.create(conf)) {
      out.write(("input=" + root + "/data/tiny\noutput=" + root + "/out-conf\nfactor=1\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    mine("--conf", conf.toString());
    JsonNode s = results(root + "/out-conf/summary.json");
    assertEquals(1, s.get("params").get("factor").asInt());
    assertEquals(8695, s.get("n_valid").asLong());
    assertEquals(8695, s.get("n_min").asLong());
    assertEquals(8695, s.get("n_kept").asLong());
  }
}
