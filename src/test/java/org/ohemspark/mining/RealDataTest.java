package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ohemspark.io.DatasetDescriptor;
import org.ohemspark.job.JobConfig;
import org.ohemspark.testing.SharedData;
import org.ohemspark.testing.SparkTestSession;

/**
 * The real datasets of {@code ../shared/data/real} (published label masks: palette, grey,
 * reduce_zero_label, void=11; float16 logits at 1/4 size and a real ONNX model's output) against
 * PyTorch's {@code expected.json}: the whole folder as one batch, and each image alone.
 * Skipped, with a message, when {@code ../shared} is absent.
 */
class RealDataTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("real-data");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JobConfig config(Path dir, String groupBy) throws IOException {
    DatasetDescriptor d = DatasetDescriptor.parse("dataset.json",
        Files.readAllBytes(dir.resolve("dataset.json")));
    return JobConfig.resolve(new Properties(), d, Map.of("input", dir.toString(),
        "group_by", groupBy));
  }

  private static OhemMiner miner(JobConfig c) {
    return OhemMiner.on(spark).params(c.params()).labelConvention(c.labelConvention())
        .classes(c.classes()).groupBy(c.groupBy());
  }


  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pan_skin_clothes_hair", "cityscapes_trainids", "ade20k", "voc2012",
      "camvid"})
  void folderAsOneBatch(String folder) throws IOException {
    Path dir = SharedData.realData().resolve(folder);
    JsonNode exp = new ObjectMapper().readTree(dir.resolve("expected.json").toFile())
        .get("dataset");
    try (OhemMiner.Result r = miner(config(dir, "dataset")).mineDirectory(dir.toString())) {
      MiningSummary s = r.summary();
      assertEquals(exp.get("n_valid").asLong(), s.nValid(), "n_valid");
      assertEquals(exp.get("n_min").asLong(), s.nMin(), "n_min");
      assertEquals(exp.get("n_hard").asLong(), s.nHard(), "n_hard");
      assertEquals(exp.get("used_topk").asBoolean(), s.usedTopk(), "used_topk");
      double mean = exp.get("mean").asDouble();
      assertEquals(mean, s.mean(), 1e-6 * mean, "mean");
      assertEquals(s.usedTopk() ? s.nMin() : s.nHard(), s.nKept());
      assertEquals(s.nKept(), r.hardPixels().count(), "one hard_pixels row per kept pixel");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pan_skin_clothes_hair", "cityscapes_trainids", "ade20k", "voc2012",
      "camvid"})
  void eachImageAlone(String folder) throws IOException {
    Path dir = SharedData.realData().resolve(folder);
    JsonNode perImage = new ObjectMapper().readTree(dir.resolve("expected.json").toFile())
        .get("per_image");
    try (OhemMiner.Result r = miner(config(dir, "image")).mineDirectory(dir.toString())) {
      Map<String, Row> rows = new HashMap<>();
      for (Row row : r.images().collectAsList()) {
        rows.put(row.getString(0), row);
      }
      assertEquals(perImage.size(), rows.size());
      for (Iterator<String> it = perImage.fieldNames(); it.hasNext(); ) {
        String id = it.next();
        JsonNode e = perImage.get(id);
        Row row = rows.get(id);
        assertNotNull(row, id);
        assertEquals(e.get("label_shape").get(0).asInt(), row.<Integer>getAs("height"), id);
        assertEquals(e.get("label_shape").get(1).asInt(), row.<Integer>getAs("width"), id);
        assertEquals(e.get("n_valid").asLong(), row.<Long>getAs("n_valid"), id);
        assertEquals(e.get("n_min").asLong(), row.<Long>getAs("n_min"), id);
        assertEquals(e.get("n_hard").asLong(), row.<Long>getAs("n_hard"), id);
        assertEquals(e.get("used_topk").asBoolean(), row.<Boolean>getAs("used_topk"), id);
        double mean = e.get("mean").asDouble();
        assertEquals(mean, row.<Double>getAs("ohem_mean"), 1e-6 * mean, id);
      }
    }
  }
}
