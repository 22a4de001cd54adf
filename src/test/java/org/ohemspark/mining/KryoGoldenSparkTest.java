package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.DatasetDirectory;
import org.ohemspark.source.ParquetShards;
import org.ohemspark.source.ShardWriter;
import org.ohemspark.source.WebDatasetTars;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.Layouts;
import org.ohemspark.testing.SparkTestSession;

/**
 * {@link GoldenSparkTest}'s golden cases and checks (PyTorch's figures, kept sets, tie order,
 * per-image means: the top-k path, ties and {@code --group-by image} among them), in a session
 * configured as many clusters' {@code spark-defaults.conf} is, with
 * {@code spark.serializer=KryoSerializer} and nothing registered, and with the loss records
 * (and with {@code --group-by image} each image's outcome) cached {@code DISK_ONLY}: every
 * cached record is written through Kryo and read back, as when a {@code MEMORY_AND_DISK} block
 * spills or is read from another executor; the task results, the aggregations' states and
 * shuffles and the broadcasts go through Kryo too. Plus a PERMISSIVE run with a bad record.
 */
class KryoGoldenSparkTest extends GoldenSparkTest {
  @TempDir
  static Path tmp;

  @Override
  SparkSession newSession() {
    SparkSession s = SparkTestSession.create("golden-kryo", Map.of(
        "spark.serializer", KryoSerializer.class.getName(),
        OhemMiner.CACHE_LEVEL_KEY, "DISK_ONLY"));
    assertInstanceOf(KryoSerializer.class, SparkEnv.get().serializer(),
        "a new SparkContext, not one left running with another serializer");
    return s;
  }

  /**
   * The top-k golden case with an unreadable logits file added, mined PERMISSIVE: the case's
   * figures from the good images, and the bad one in the quarantine (the bad record crosses the
   * serializer cached, in a task result and in the bad-record split's shuffle).
   */
  @Test
  void permissiveBadRecordUnderKryo() throws IOException {
    Golden.Case c = Golden.load("topk_path");
    Path dir = tmp.resolve("topk_path_with_bad");
    for (String sub : List.of("logits", "labels")) {
      Files.createDirectories(dir.resolve(sub));
      try (var files = Files.list(c.dir().resolve(sub))) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
        }
      }
    }
    Files.write(dir.resolve("logits/9999.npy"), new byte[] {1, 2, 3});
    Files.copy(c.labelsFile(0), dir.resolve("labels/9999.npy"));
    try (OhemMiner.Result r = OhemMiner.on(spark).params(c.params().toOhemParams())
        .mode(BadRecordMode.PERMISSIVE).partitions(2).mineDirectory(dir.toString())) {
      assertEquals(StorageLevel.DISK_ONLY(), r.cached().getStorageLevel());
      checkDatasetScope(c, r);
      assertEquals(1, r.summary().nBadRecords());
      List<Row> q = r.quarantine().collectAsList();
      assertEquals(1, q.size());
      assertEquals("9999", q.get(0).getString(0));
      assertTrue(q.get(0).getString(1).endsWith("logits/9999.npy"), q.get(0).getString(1));
    }
  }

  /**
   * The top-k golden case as WebDataset tars (indexed and checked: the tar index is a task
   * result and is persisted) and as Parquet shards written by the ingest in this session (the
   * footers are task results), each mined under Kryo: the case's figures.
   */
  @Test
  void tarsAndShardsUnderKryo() {
    Golden.Case c = Golden.load("topk_path");
    Path tars = Layouts.toTars(c.dir(), tmp.resolve("tars"), 2);
    try (OhemMiner.Result r = OhemMiner.on(spark).params(c.params().toOhemParams())
        .partitions(2).mine(new WebDatasetTars(tars.toString()))) {
      checkDatasetScope(c, r);
    }
    Path shards = tmp.resolve("shards");
    ShardWriter.Result w = ShardWriter.write(spark, new DatasetDirectory(c.dir().toString()),
        c.params().toOhemParams(), LabelConvention.TRAIN_IDS, null, shards.toString(), 1,
        1_000_000);
    assertTrue(w.files() >= 2, "several shards: " + w.files());
    try (OhemMiner.Result r = OhemMiner.on(spark).params(c.params().toOhemParams())
        .partitions(2).mine(new ParquetShards(shards.toString()))) {
      checkDatasetScope(c, r);
    }
  }
}
