package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.DatasetDirectory;
import org.ohemspark.source.ImageSource;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.testing.NpyBytes;

/**
 * The loss pass ({@link LossPass}) runs alone, and a FAILFAST bad record fails the job at once.
 * {@code local[2,4]}: two task threads, and up to four attempts per task, as a cluster retries.
 */
class LossPassTest {
  private static SparkSession spark;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2,4]").appName("loss-pass")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The directory source, counting the reads of each image and taking {@code delayMs} each. */
  static final class Counting implements ImageSource {
    private static final long serialVersionUID = 1L;
    /** Reads per image id (the executors are this JVM: local mode). */
    static final Map<String, AtomicInteger> READS = new ConcurrentHashMap<>();
    private final DatasetDirectory inner;
    private final long delayMs;

    Counting(String input, long delayMs) {
      this.inner = new DatasetDirectory(input);
      this.delayMs = delayMs;
    }

    @Override
    public Dataset<Row> records(SparkSession s, int partitions) {
      return inner.records(s, partitions);
    }

    @Override
    public ImageRecord read(Row record, HadoopConf conf) {
      READS.computeIfAbsent(record.getAs("image_id"), k -> new AtomicInteger()).incrementAndGet();
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return inner.read(record, conf);
    }

    @Override
    public String describe() {
      return "counting " + inner.describe();
    }
  }

  /** Writes {@code <id>.npy} logits {@code [3,4,4]} and 4x4 labels, one of them {@code label}. */
  private static void image(Path dir, String id, int label) throws IOException {
    Files.createDirectories(dir.resolve("logits"));
    Files.createDirectories(dir.resolve("labels"));
    float[] logits = new float[3 * 16];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (i * 7 % 11) / 4f;
    }
    Files.write(dir.resolve("logits/" + id + ".npy"), NpyBytes.file("<f4", false,
        new long[] {3, 4, 4}, NpyBytes.floats(ByteOrder.LITTLE_ENDIAN, logits)));
    byte[] labels = new byte[16];
    labels[5] = (byte) label;
    Files.write(dir.resolve("labels/" + id + ".npy"), NpyBytes.file("|u1", false,
        new long[] {4, 4}, labels));
  }

  /** Counts the jobs running at once, at most, while the listener is registered. */
  private static final class Overlap extends SparkListener {
    private int running;
    private int max;
    private int ended;
    private int started;

    @Override
    public synchronized void onJobStart(SparkListenerJobStart e) {
      started++;
      max = Math.max(max, ++running);
    }

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd e) {
      ended++;
      running--;
      notifyAll();
    }

    /** The most jobs that ran at once, once every started job has ended (events are async). */
    synchronized int max() throws InterruptedException {
      long deadline = System.currentTimeMillis() + 30_000;
      while (ended < started && System.currentTimeMillis() < deadline) {
        wait(100);
      }
      return max;
    }
  }

  /**
   * No job reads the cached records while the loss pass decodes them: on a cluster, another
   * job's task for a partition still being decoded on one executor would decode it again on
   * another (local mode shares one block manager, so it shows as jobs running at once).
   */
  @Test
  void theLossPassRunsAlone() throws Exception {
    Path data = tmp.resolve("slow");
    for (int i = 0; i < 8; i++) {
      image(data, "s" + i, 1);
    }
    Overlap overlap = new Overlap();
    spark.sparkContext().addSparkListener(overlap);
    try (OhemMiner.Result r = OhemMiner.on(spark).partitions(4)
        .mine(new Counting(data.toString(), 400))) {
      assertEquals(8, r.summary().nImages());
      r.hardPixels().count();
      assertEquals(1.0, r.logitsPasses());
    } finally {
      spark.sparkContext().removeSparkListener(overlap);
    }
    assertEquals(1, overlap.max(), "jobs that ran at the same time");
  }

  /**
   * Bad records kept out in PERMISSIVE do not count as passes over the logits: images decoded
   * per good image stays 1.00 (the trial of 100,000 bad labels among 110,000 images printed
   * {@code passes: logits 11.00}).
   */
  @Test
  void badRecordsAreNotCountedAsPassesOverTheLogits() throws IOException {
    Path data = tmp.resolve("some-bad");
    for (int i = 0; i < 6; i++) {
      image(data, "m" + i, i < 4 ? 9 : 1); // label 9 of 3 classes: a bad record
    }
    try (OhemMiner.Result r = OhemMiner.on(spark).partitions(2).mode(BadRecordMode.PERMISSIVE)
        .mineDirectory(data.toString())) {
      assertEquals(2, r.summary().nImages());
      assertEquals(4, r.summary().nBadRecords());
      assertEquals(1.0, r.logitsPasses());
    }
  }

  /**
   * A FAILFAST bad record is certain to fail again: its task is not retried (which would decode
   * the partition up to spark.task.maxFailures = 4 times here), the job fails at once with the
   * record's own message.
   */
  @Test
  void aFailfastBadRecordIsDecodedOnce() throws IOException {
    Path data = tmp.resolve("bad");
    for (int i = 0; i < 6; i++) {
      image(data, "g" + i, 1);
    }
    image(data, "bad", 7); // classes = 3
    Exception e = assertThrows(Exception.class,
        () -> OhemMiner.on(spark).partitions(3).mine(new Counting(data.toString(), 0)));
    assertEquals(1, Counting.READS.get("bad").get(), "reads of the bad image");
    BadRecordException bad = assertInstanceOf(BadRecordException.class, e);
    assertEquals("bad", bad.imageId());
    assertTrue(bad.getMessage().startsWith("bad record image_id='bad' source=")
        && bad.getMessage().contains("labels/bad.npy")
        && bad.getMessage().contains("label 7"), bad.getMessage());
  }
}
