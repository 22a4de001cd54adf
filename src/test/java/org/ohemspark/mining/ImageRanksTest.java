package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ohemspark.core.ImageRanking;
import org.ohemspark.core.OhemParams;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.MaskRows;
import org.ohemspark.testing.SparkTestSession;

/**
 * {@code images/}'s {@code kept_loss_sum} and {@code rank}: the sums against
 * {@code hard_pixels/}, the ranks against a sort on the driver (here, small data), over several
 * partitions and with ties.
 */
class ImageRanksTest {
  private static SparkSession spark;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("image-ranks");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** The order written out independently: sum descending, then id (ASCII here). */
  private static final Comparator<Object[]> EXPECTED = Comparator
      .comparing((Object[] r) -> -(double) r[1]).thenComparing(r -> (String) r[0]);

  /** 300 rows in 7 partitions, sums from 12 values (many ties, 0 included). */
  @Test
  void ranksAreDenseInOrderAndBreakTiesById() {
    Random rnd = new Random(7);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rows.add(new Object[] {"img" + rnd.nextInt(1_000_000) + "-" + i,
          (double) rnd.nextInt(12) / 4});
    }
    StructType schema = new StructType().add("image_id", DataTypes.StringType, false)
        .add("kept_loss_sum", DataTypes.DoubleType, false);
    JavaRDD<Row> rdd = new JavaSparkContext(spark.sparkContext())
        .parallelize(rows.stream().map(r -> RowFactory.create(r)).toList(), 7);
    List<Row> ranked = ImageRanks.rank(spark, rdd.map(r -> new ImageRanking.Key(r.getDouble(1),
        r.getString(0))), rdd, schema).collectAsList();
    rows.sort(EXPECTED);
    assertEquals(300, ranked.size());
    for (int i = 0; i < 300; i++) {
      Row r = ranked.get(i);
      assertEquals(List.of(rows.get(i)[0], rows.get(i)[1], (long) i + 1),
          List.of(r.get(0), r.get(1), r.get(2)), "row " + i + " in rank order");
    }
  }

  static Path goldenDir() throws IOException {
    Path dir = tmp.resolve("golden");
    if (Files.isDirectory(dir)) {
      return dir;
    }
    for (String sub : List.of("logits", "labels")) {
      Files.createDirectories(dir.resolve(sub));
    }
    for (Golden.Case c : Golden.all()) {
      for (int i = 0; i < c.images(); i++) {
        String id = c.name() + "-" + Golden.Case.imageId(i);
        Files.copy(c.logitsFile(i), dir.resolve("logits/" + id + ".npy"));
        Files.copy(c.labelsFile(i), dir.resolve("labels/" + id + ".npy"));
      }
    }
    return dir;
  }

  /**
   * Every golden image, mined in 3 partitions: kept_loss_sum is the sum of the image's
   * hard_pixels/ losses (0 without), and the rows come ranked 1..n in the expected order.
   */
  @ParameterizedTest
  @EnumSource(value = GroupBy.class, names = {"DATASET", "IMAGE"}) // batch: BatchScopeTest
  void minedImagesAreRankedByTheirKeptLossSum(GroupBy scope) throws IOException {
    try (OhemMiner.Result r = OhemMiner.on(spark).params(OhemParams.DEFAULTS).groupBy(scope)
        .partitions(3).mineDirectory(goldenDir().toString())) {
      Map<String, Double> sums = new HashMap<>();
      for (Row h : r.hardPixels().collectAsList()) {
        sums.merge(h.<String>getAs("image_id"), h.<Double>getAs("loss"), Double::sum);
      }
      List<Row> images = r.images().collectAsList();
      assertEquals(r.summary().nImages(), images.size());
      MaskRows.assertMasksAreTheHardPixels(images, r.hardPixels().collectAsList());
      assertTrue(sums.size() < images.size() || scope == GroupBy.DATASET,
          "some image keeps nothing with its own rule");
      List<Object[]> expected = new ArrayList<>();
      for (Row row : images) {
        String id = row.getAs("image_id");
        double sum = row.getAs("kept_loss_sum");
        double want = sums.getOrDefault(id, 0.0);
        assertEquals(want, sum, 1e-12 * Math.max(1, want), id);
        expected.add(new Object[] {id, sum});
      }
      expected.sort(EXPECTED);
      for (int i = 0; i < images.size(); i++) {
        assertEquals(expected.get(i)[0], images.get(i).getAs("image_id"), "rank " + (i + 1));
        assertEquals(i + 1L, images.get(i).<Long>getAs("rank"));
      }
    }
  }
}
