package org.ohemspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.testing.Golden;

/**
 * Tasks that fail once are retried by Spark ({@code local[2,4]}: up to 4 attempts) and the
 * result counts every image exactly once: results come from the data, never from accumulators.
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
