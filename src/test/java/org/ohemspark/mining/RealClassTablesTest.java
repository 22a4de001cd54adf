package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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
 * The per-class table of real folders of {@code ../shared/data/real} (grey labels with
 * {@code void=11}, palette labels, Cityscapes train ids; float16 logits resized bilinearly)
 * against PyTorch's ({@code real_classes/<folder>.json}, made by {@code make_real_classes.py}
 * with {@code torch.argmax} and {@code F.cross_entropy} in float64), and {@code n_kept} and
 * {@code confusion/} against {@code hard_pixels/} summed here by plain loops. Skipped, with a
 * message, when {@code ../shared} is absent.
 */
class RealClassTablesTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("real-class-tables");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"camvid", "pan_skin_clothes_hair", "cityscapes_trainids"})
  void perClassFiguresMatchPyTorch(String folder) throws IOException {
    Path dir = SharedData.realData().resolve(folder);
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    JsonNode t = new ObjectMapper().readTree(Paths.get(base,
        "src/test/resources/real_classes", folder + ".json").toFile());
    JobConfig c = JobConfig.resolve(new Properties(), DatasetDescriptor.parse("dataset.json",
        Files.readAllBytes(dir.resolve("dataset.json"))), Map.of("input", dir.toString()));
    try (OhemMiner.Result r = OhemMiner.on(spark).params(c.params())
        .labelConvention(c.labelConvention()).classes(c.classes())
        .mineDirectory(dir.toString())) {
      List<Row> rows = r.classes().collectAsList();
      int classes = t.get("classes").asInt();
      assertEquals(classes, rows.size());
      long[] keptOf = new long[classes];
      Map<Long, double[]> pairs = new TreeMap<>();
      List<Row> hard = r.hardPixels().select("label", "predicted", "loss").collectAsList();
      for (Row h : hard) {
        keptOf[h.getInt(0)]++;
        double[] cell = pairs.computeIfAbsent((long) h.getInt(0) * classes + h.getInt(1),
            k -> new double[2]);
        cell[0]++;
        cell[1] += h.getDouble(2);
      }
      for (int k = 0; k < classes; k++) {
        JsonNode p = t.get("per_class").get(k);
        Row row = rows.get(k);
        String where = folder + " class " + k;
        assertEquals(List.of(p.get("n_valid").asLong(), p.get("n_predicted").asLong(),
            p.get("n_correct").asLong()), List.of(row.<Long>getAs("n_valid"),
            row.<Long>getAs("n_predicted"), row.<Long>getAs("n_correct")), where);
        for (String f : List.of("iou", "acc", "mean_loss")) {
          Double got = row.getAs(f);
          if (p.get(f).isNull()) {
            assertNull(got, where + " " + f);
          } else {
            double want = p.get(f).asDouble();
            assertEquals(want, got, 1e-9 * Math.abs(want) + 1e-12, where + " " + f);
          }
        }
        assertEquals(keptOf[k], row.<Long>getAs("n_kept"), where + " n_kept");
      }
      assertEquals(t.get("miou").asDouble(), r.classReport().miou(), 1e-12, folder + " miou");
      assertEquals(t.get("aacc").asDouble(), r.classReport().aacc(), 1e-12, folder + " aacc");
      List<Row> conf = r.confusion().collectAsList();
      assertEquals(pairs.size(), conf.size());
      for (Row row : conf) {
        double[] cell = pairs.get((long) row.<Integer>getAs("label") * classes
            + row.<Integer>getAs("predicted"));
        assertEquals((long) cell[0], row.<Long>getAs("n_kept"));
        assertEquals(cell[1] / cell[0], row.<Double>getAs("mean_loss"),
            1e-12 * cell[1] / cell[0]);
      }
    }
  }
}
