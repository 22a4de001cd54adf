package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.source.DatasetDirectory;
import org.ohemspark.source.ImageSource;
import org.ohemspark.source.StretchedImages;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.NpyBytes;

/**
 * Tasks that fail once are retried by Spark ({@code local[2,4]}: up to 4 attempts) and the
 * result counts every image exactly once: results come from the data, never from accumulators
 * (nor does the count of images whose logits were stretched to another aspect ratio).
 */
class TaskRetryTest {
  private static SparkSession spark;

  @TempDir
  static Path markers;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2,4]").appName("task-retry")
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

  /** The directory source, but the first read of every image throws (a lost executor). */
  static final class FailingOnce implements ImageSource {
    private static final long serialVersionUID = 1L;
    private final DatasetDirectory inner;
    private final String markerDir;

    FailingOnce(String input, String markerDir) {
      this.inner = new DatasetDirectory(input);
      this.markerDir = markerDir;
    }

    @Override
    public Dataset<Row> records(SparkSession s, int partitions) {
      return inner.records(s, partitions);
    }

    @Override
    public ImageRecord read(Row record, HadoopConf conf) {
      try {
        Files.createFile(Path.of(markerDir, record.<String>getAs("image_id")));
        throw new IllegalStateException("injected fault: first attempt of "
            + record.getAs("image_id"));
      } catch (FileAlreadyExistsException again) {
        return inner.read(record, conf);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String describe() {
      return "failing-once " + inner.describe();
    }
  }

  /**
   * The directory source, but the first attempt of every task that decodes images fails at its
   * end, after its loss records were cached: the retry reads the cache and decodes nothing, so
   * a count made while decoding (an accumulator, whose failed attempts Spark drops) loses them.
   */
  static final class FailingAfterCaching implements ImageSource {
    private static final long serialVersionUID = 1L;
    /** Task attempts that were made to fail (the executors are this JVM: local mode). */
    static final Set<Long> FAILED = ConcurrentHashMap.newKeySet();
    private final DatasetDirectory inner;

    FailingAfterCaching(String input) {
      this.inner = new DatasetDirectory(input);
    }

    @Override
    public Dataset<Row> records(SparkSession s, int partitions) {
      return inner.records(s, partitions);
    }

    @Override
    public ImageRecord read(Row record, HadoopConf conf) {
      TaskContext task = TaskContext.get();
      if (task.attemptNumber() == 0 && FAILED.add(task.taskAttemptId())) {
        task.addTaskCompletionListener(t -> {
          if (!t.isFailed()) {
            throw new IllegalStateException("injected fault: task " + t.partitionId()
                + " fails after its records were cached");
          }
        });
      }
      return inner.read(record, conf);
    }

    @Override
    public String describe() {
      return "failing-after-caching " + inner.describe();
    }
  }

  /** Writes {@code <id>.npy} logits {@code [3,h,w]} and 16x16 labels (all 0) under {@code dir}. */
  private static void image(Path dir, String id, int h, int w) throws IOException {
    Files.createDirectories(dir.resolve("logits"));
    Files.createDirectories(dir.resolve("labels"));
    Files.write(dir.resolve("logits/" + id + ".npy"), NpyBytes.file("<f4", false,
        new long[] {3, h, w}, new byte[3 * h * w * 4]));
    Files.write(dir.resolve("labels/" + id + ".npy"), NpyBytes.file("|u1", false,
        new long[] {16, 16}, new byte[256]));
  }

  @Test
  void retriedTasksCountStretchedImagesOnce(@TempDir Path data) throws IOException {
    // 1/4 size (a model's output stride) is no stretch; [4,6] and [8,2] are
    image(data, "a", 4, 4);
    image(data, "b", 8, 2);
    image(data, "c", 16, 16);
    image(data, "d", 4, 6);
    image(data, "e", 4, 4);
    image(data, "f", 4, 6);
    OhemMiner miner = OhemMiner.on(spark).partitions(3);
    try (OhemMiner.Result r = miner.mineDirectory(data.toString())) {
      assertEquals(3, r.stretched().count());
    }
    try (OhemMiner.Result r = miner.mine(new FailingAfterCaching(data.toString()))) {
      assertEquals(6, r.summary().nImages());
      assertEquals(new StretchedImages(3, "image_id='b' logits [3,8,2] labels [16,16]"),
          r.stretched(), "b, d and f, each once; b the first by id");
    }
    assertTrue(FailingAfterCaching.FAILED.size() >= 3, "a fault in every task that decoded: "
        + FailingAfterCaching.FAILED);
  }

  @Test
  void retriedTasksCountEveryImageOnce() {
    Golden.Case c = Golden.load("topk_path");
    OhemMiner miner = OhemMiner.on(spark).params(c.params().toOhemParams())
        .labelConvention(LabelConvention.TRAIN_IDS).partitions(2);
    MiningSummary clean;
    List<Row> cleanRows;
    try (OhemMiner.Result r = miner.mineDirectory(c.dir().toString())) {
      clean = r.summary();
      cleanRows = r.hardPixels().orderBy("image_id", "pixel_index").collectAsList();
    }
    try (OhemMiner.Result r = miner.mine(new FailingOnce(c.dir().toString(),
        markers.toString()))) {
      assertEquals(clean, r.summary());
      assertEquals(cleanRows, r.hardPixels().orderBy("image_id", "pixel_index")
          .collectAsList());
      assertEquals(c.float64().mean(), r.summary().mean(), 1e-6 * c.float64().mean());
    }
    assertEquals(c.images(), markers.toFile().list().length, "every image failed once");
    assertTrue(clean.usedTopk(), "the top-k passes ran over retried data too");
  }
}
