package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.source.BatchFile;
import org.ohemspark.source.DatasetDirectory;
import org.ohemspark.source.FrameShards;
import org.ohemspark.source.ImageSource;
import org.ohemspark.source.ShardSchema;
import org.ohemspark.source.WebDatasetTars;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.GoldenShards;
import org.ohemspark.testing.Layouts;
import org.ohemspark.testing.SparkTestSession;

/**
 * {@code --group-by batch} against PyTorch's per-batch calls ({@code per_batch_float64} of the
 * options' batch cases): each batch's figures in {@code batches/}, the summary's mean of batch
 * means with EMPTY batches counted, the kept pixels per batch in {@code images/} and
 * {@code hard_pixels/}, from a directory's {@code batches.csv}, a frame's {@code batch} column
 * and the {@code batch} field of tars' {@code <key>.json} alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchScopeTest {
  SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  void start() {
    spark = SparkTestSession.create("batch-scope");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  /** The case's images as shard rows with a batch column. */
  private Dataset<Row> shardsWithBatches(Golden.Case c) {
    JsonNode batches = c.json().get("batches");
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (Row r : GoldenShards.rows(c)) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        v.add(r.get(i));
      }
      v.add(batches.get(n++).asLong());
      rows.add(RowFactory.create(v.toArray()));
    }
    return spark.createDataFrame(rows, ShardSchema.SCHEMA.add("batch", DataTypes.LongType));
  }

  @ParameterizedTest(name = "{0} from {1}")
  @org.junit.jupiter.params.provider.CsvSource({"batch_mixed, dir", "batch_mixed, frame",
      "batch_mixed, tars", "batch_with_empty, dir", "batch_with_empty, frame",
      "batch_with_empty, tars"})
  void eachBatchIsPyTorchsCall(String name, String layout) {
    Golden.Case c = Golden.load(Golden.OPTIONS, name);
    OhemMiner miner = OhemMiner.on(spark).params(c.params().toOhemParams())
        .groupBy(GroupBy.BATCH).partitions(2);
    ImageSource source = switch (layout) {
      case "dir" -> new DatasetDirectory(c.dir().toString());
      case "frame" -> new FrameShards(shardsWithBatches(c));
      default -> new WebDatasetTars(Layouts.toTars(c.dir(), tmp.resolve(name + "-tars"), 2)
          .toString());
    };
    try (OhemMiner.Result r = miner.mine(source)) {
      Map<Long, Row> got = new HashMap<>();
      for (Row row : r.batches().collectAsList()) {
        got.put(row.getLong(0), row);
      }
      JsonNode want = c.json().get("per_batch_float64");
      assertEquals(want.size(), got.size());
      double sumOfMeans = 0;
      int means = 0;
      long empty = 0;
      long kept = 0;
      for (JsonNode w : want) {
        Row g = got.get(w.get("batch").asLong());
        String what = name + " batch " + w.get("batch");
        assertEquals(w.get("n_images").asLong(), g.getLong(1), what);
        assertEquals(w.get("n_valid").asLong(), g.getLong(2), what);
        assertEquals(w.get("n_min").asLong(), g.getLong(3), what);
        assertEquals(w.get("n_hard").asLong(), g.getLong(4), what);
        assertEquals(w.get("n_kept").asLong(), g.getLong(5), what);
        assertEquals(w.get("used_topk").asBoolean(), g.getBoolean(6), what);
        if (w.get("kth_loss").isNull()) {
          assertTrue(g.isNullAt(7), what);
        } else {
          assertEquals(w.get("kth_loss").asDouble(), g.getDouble(7), 1e-6, what);
        }
        if (w.get("mean").isNull()) {
          assertTrue(g.isNullAt(8), what);
          assertEquals("EMPTY", g.getString(9));
          empty++;
        } else {
          double m = w.get("mean").asDouble();
          assertEquals(m, g.getDouble(8), 1e-6 * m, what);
          sumOfMeans += m;
          means++;
        }
        kept += w.get("n_kept").asLong();
      }
      MiningSummary s = r.summary();
      assertEquals(GroupBy.BATCH, s.groupBy());
      assertEquals(sumOfMeans / means, s.mean(), 1e-6 * sumOfMeans / means, "mean of means");
      assertEquals(empty, s.nImagesEmpty(), "EMPTY batches, counted");
      assertEquals(kept, s.nKept());
      assertEquals(kept, r.hardPixels().count(), "hard_pixels/ rows");
      long imagesKept = 0;
      for (Row img : r.images().collectAsList()) {
        imagesKept += img.getLong(img.fieldIndex("n_kept"));
      }
      assertEquals(kept, imagesKept, "images/ n_kept summed");
    }
  }

  @Test
  void anImageWithoutABatchIsNamedAndAFileOverridesTheDirectorys() throws Exception {
    Golden.Case c = Golden.load(Golden.OPTIONS, "batch_mixed");
    Path partial = tmp.resolve("partial.csv");
    Files.writeString(partial, "image_id,batch\n0000,1\n0001,1\n0002,1\n0003,1\n0004,2\n");
    OhemMiner miner = OhemMiner.on(spark).params(c.params().toOhemParams())
        .groupBy(GroupBy.BATCH)
        .batches(BatchFile.read(spark, partial.toString()), partial.toString());
    Exception e = assertThrows(Exception.class,
        () -> miner.mine(new DatasetDirectory(c.dir().toString())).close());
    assertTrue(String.valueOf(e.getMessage()).contains("0005")
        && e.getMessage().contains("has no batch"), e.getMessage());
    Path all = tmp.resolve("all.csv");
    Files.writeString(all, "image_id,batch\n0000,1\n0001,1\n0002,1\n0003,1\n0004,2\n0005,2\n");
    try (OhemMiner.Result r = OhemMiner.on(spark).params(c.params().toOhemParams())
        .groupBy(GroupBy.BATCH).batches(BatchFile.read(spark, all.toString()), all.toString())
        .mine(new DatasetDirectory(c.dir().toString()))) {
      assertEquals(2, r.batches().count(), "the file's two batches, not batches.csv's three");
    }
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> OhemMiner.on(spark).groupBy(GroupBy.BATCH)
            .mine(new DatasetDirectory(Golden.load("seed_example").dir().toString())));
    assertTrue(none.getMessage().contains("--batches FILE"), none.getMessage());
    assertNull(new DatasetDirectory(Golden.load("seed_example").dir().toString())
        .batches(spark));
    BadRecordException missingFile = assertThrows(BadRecordException.class,
        () -> BatchFile.read(spark, tmp.resolve("nope.csv").toString()));
    assertTrue(missingFile.getMessage().contains("nope.csv"));
  }

  @Test
  void aTarSampleWithoutABatchOrWithABadOneIsNamed() throws Exception {
    Golden.Case c = Golden.load(Golden.OPTIONS, "batch_mixed");
    Path noCsv = tmp.resolve("no-batches");
    Files.createDirectories(noCsv);
    try (var files = Files.walk(c.dir())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = noCsv.resolve(c.dir().relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else if (!f.getFileName().toString().equals("batches.csv")) {
          Files.copy(f, to);
        }
      }
    }
    OhemMiner miner = OhemMiner.on(spark).params(c.params().toOhemParams())
        .groupBy(GroupBy.BATCH);
    Path tars = Layouts.toTars(noCsv, tmp.resolve("no-batch-tars"), 2);
    Exception none = assertThrows(Exception.class,
        () -> miner.mine(new WebDatasetTars(tars.toString())).close());
    assertTrue(String.valueOf(none.getMessage()).contains("has no batch")
        && none.getMessage().contains("--batches FILE"), none.getMessage());

    Path bad = tmp.resolve("bad-batch-tars");
    Path withBatches = Layouts.toTars(c.dir(), bad, 1);
    Path tar = withBatches.resolve("shard-000000.tar");
    byte[] b = Files.readAllBytes(tar);
    String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    // image 0002's JSON (batch 3, written as a number), edited to the same length
    assertTrue(s.contains(", \"batch\": 3}"));
    byte[] edited = s.replace(", \"batch\": 3}", ",\"batch\":3.5}").getBytes(
        java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(tar, edited);
    Exception e = assertThrows(Exception.class,
        () -> miner.mine(new WebDatasetTars(bad.toString())).close());
    String m = String.valueOf(e.getMessage());
    assertTrue(m.contains("shard-000000.tar!/0002.json") && m.contains("0002")
        && m.contains("3.5"), m);
  }
}
