package org.ohemspark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;
import org.ohemspark.io.DatasetDescriptor;
import org.ohemspark.job.JobConfig;
import org.ohemspark.mining.GroupBy;
import org.ohemspark.mining.MiningSummary;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.Layouts;
import org.ohemspark.testing.MaskRows;
import org.ohemspark.testing.SharedData;
import org.ohemspark.testing.SparkTestSession;

/**
 * One dataset, three layouts: the directory, Parquet shards ingested from it (up to three
 * files), and WebDataset tars packed from it (up to three tars, with image and json members to
 * skip) give the same summary, the same per-image rows and the same hard pixels, on the golden
 * cases and on every folder of {@code ../shared/data/real} (palette, grey, reduce_zero_label
 * and void=11 PNG labels, float16 logits at 1/4 size and a real model's output).
 */
class ShardLayoutsTest {
  private static SparkSession spark;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("shard-layouts");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * What a run gives, for comparison: hard pixels and images sorted by id (and pixel), the
   * per-class table and the confusion of the kept pixels in their own order.
   */
  record Outcome(MiningSummary summary, List<Row> images, List<Row> hardPixels,
      List<Row> classes, List<Row> confusion) {}

  /** A mining setup: parameters, convention, declared classes, scope. */
  record Setup(OhemParams params, LabelConvention convention, Integer classes, GroupBy scope) {
    Outcome mine(ImageSource source) {
      try (OhemMiner.Result r = OhemMiner.on(spark).params(params).labelConvention(convention)
          .classes(classes).groupBy(scope).mine(source)) {
        return new Outcome(r.summary(), r.images().sort("image_id").collectAsList(),
            r.hardPixels().sort("image_id", "pixel_index").collectAsList(),
            r.classes().collectAsList(), r.confusion().collectAsList());
      }
    }

    /** The same setup for shards, whose labels are already after the convention. */
    Setup forShards() {
      return new Setup(params, LabelConvention.TRAIN_IDS, classes, scope);
    }
  }

  /** Ingests {@code dir} into Parquet shards of about {@code files} files. */
  static Path ingest(Path dir, Setup s, Path out, int files) throws IOException {
    long bytes = 0;
    for (String sub : List.of("logits", "labels")) {
      try (Stream<Path> f = Files.list(dir.resolve(sub))) {
        for (Path p : f.toList()) {
          bytes += Files.size(p);
        }
      }
    }
    ShardWriter.Result r = ShardWriter.write(spark, new DatasetDirectory(dir.toString()),
        s.params(), s.convention(), s.classes(), out.toString(), bytes / files + 1, bytes);
    assertEquals(Layouts.ids(dir).size(), r.images());
    assertTrue(r.files() >= 1);
    return out;
  }

  /**
   * Mines the three layouts of {@code dir} (Parquet shards and tars made once, in
   * {@code work}) with each setup, checks they agree, and returns the directory's outcomes.
   */
  static List<Outcome> sameOnAllLayouts(Path dir, Path work, Setup... setups)
      throws IOException {
    int n = Layouts.ids(dir).size();
    Path shards = ingest(dir, setups[0], work.resolve("shards"), Math.min(n, 3));
    Path tars = Layouts.toTars(dir, work.resolve("tars"), Math.min(n, 3));
    List<Outcome> out = new java.util.ArrayList<>();
    for (Setup s : setups) {
      Outcome fromDir = s.mine(new DatasetDirectory(dir.toString()));
      Outcome fromParquet = s.forShards().mine(new ParquetShards(shards.toString()));
      Outcome fromTars = s.mine(new WebDatasetTars(tars.toString()));
      assertEquals(fromDir.summary(), fromParquet.summary(), "parquet summary");
      assertEquals(fromDir.summary(), fromTars.summary(), "webdataset summary");
      assertEquals(fromDir.images(), fromParquet.images(), "parquet images");
      assertEquals(fromDir.images(), fromTars.images(), "webdataset images");
      assertEquals(fromDir.hardPixels(), fromParquet.hardPixels(), "parquet hard pixels");
      assertEquals(fromDir.hardPixels(), fromTars.hardPixels(), "webdataset hard pixels");
      assertEquals(fromDir.classes(), fromParquet.classes(), "parquet classes");
      assertEquals(fromDir.classes(), fromTars.classes(), "webdataset classes");
      assertEquals(fromDir.confusion(), fromParquet.confusion(), "parquet confusion");
      assertEquals(fromDir.confusion(), fromTars.confusion(), "webdataset confusion");
      assertTrue(!fromDir.classes().isEmpty(), "a row per class");
      for (Outcome o : List.of(fromDir, fromParquet, fromTars)) {
        MaskRows.assertMasksAreTheHardPixels(o.images(), o.hardPixels());
      }
      assertEquals(fromDir.summary().nKept(), fromDir.hardPixels().size());
      out.add(fromDir);
    }
    return out;
  }

  /**
   * Every golden case at once: their images in one directory as {@code <case>-<NNNN>} (a
   * WebDataset key has no dot), each image keeping its own C and size, mined per image (each
   * image its own rule, so each counts alone; top-k and ties included). The real folders below
   * cover the dataset scope, its top-k branch included (camvid).
   */
  @Test
  void goldenCasesAreTheSameOnEveryLayout() throws IOException {
    Path dir = tmp.resolve("golden/data");
    for (String sub : List.of("logits", "labels")) {
      Files.createDirectories(dir.resolve(sub));
    }
    int images = 0;
    for (Golden.Case c : Golden.all()) {
      for (int i = 0; i < c.images(); i++) {
        String id = c.name() + "-" + Golden.Case.imageId(i);
        Files.copy(c.logitsFile(i), dir.resolve("logits/" + id + ".npy"));
        Files.copy(c.labelsFile(i), dir.resolve("labels/" + id + ".npy"));
        images++;
      }
    }
    List<Outcome> o = sameOnAllLayouts(dir, tmp.resolve("golden"),
        new Setup(OhemParams.DEFAULTS, LabelConvention.TRAIN_IDS, null, GroupBy.IMAGE));
    assertEquals(images, o.get(0).summary().nImages());
    assertTrue(o.get(0).summary().nImagesTopk() > 0, "some image takes the top-k branch");
    Golden.Case topk = Golden.load("topk_path");
    int checked = 0;
    for (Row r : o.get(0).images()) {
      String id = r.getString(0);
      if (id.startsWith("topk_path-")) {
        double mean = topk.perImage().get(Integer.parseInt(id.substring(10))).mean();
        assertEquals(mean, r.<Double>getAs("ohem_mean"), 1e-6 * mean, "PyTorch, " + id);
        checked++;
      }
    }
    assertEquals(topk.images(), checked);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pan_skin_clothes_hair", "cityscapes_trainids", "ade20k", "voc2012",
      "camvid"})
  void realDatasetIsTheSameOnEveryLayout(String folder) throws IOException {
    Path dir = SharedData.realData().resolve(folder);
    DatasetDescriptor d = DatasetDescriptor.parse("dataset.json",
        Files.readAllBytes(dir.resolve("dataset.json")));
    JobConfig c = JobConfig.resolve(new Properties(), d, Map.of("input", dir.toString()));
    Outcome o = sameOnAllLayouts(dir, tmp.resolve(folder), new Setup(c.params(),
        c.labelConvention(), c.classes(), GroupBy.DATASET)).get(0);
    JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile())
        .get("dataset");
    double mean = exp.get("mean").asDouble();
    assertEquals(mean, o.summary().mean(), 1e-6 * mean, "PyTorch mean");
    assertEquals(exp.get("n_hard").asLong(), o.summary().nHard(), "PyTorch n_hard");
    assertEquals(exp.get("used_topk").asBoolean(), o.summary().usedTopk(), "PyTorch used_topk");
    assertTrue(o.summary().nKept() > 0);
  }
}
