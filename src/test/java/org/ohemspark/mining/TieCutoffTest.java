package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.PredictedClasses;
import org.ohemspark.testing.SparkTestSession;

/**
 * The tie budget's cut-off found on the executors gives every image the quota that sharing the
 * budget out in image id order ({@link String#compareTo}) gives, for every budget: here images
 * whose ids sort otherwise than they lie in the partitions ("img10" before "img2"), images
 * without ties, and ignored pixels at the k-th value, which are not ties.
 */
class TieCutoffTest {
  private static final double KTH = 0.5;
  private static final int IGNORE = 255;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("tie-cutoff");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** An image of {@code ties} valid pixels at the k-th value, one ignored one, and others. */
  private static ImageLosses image(String id, int ties) {
    int n = ties + 3;
    int[] labels = new int[n];
    double[] losses = new double[n];
    for (int i = 0; i < n; i++) {
      losses[i] = i < ties ? KTH : i == ties ? 0.9 : i == ties + 1 ? 0.1 : KTH;
    }
    labels[n - 1] = IGNORE; // loss KTH but ignored: not a tie
    return new ImageLosses(id, 1, n, labels, PredictedClasses.zeros(1, n), losses, n - 1, 0, 0,
        0, 0.9);
  }

  @Test
  void everyBudgetGivesTheQuotasOfIdOrder() {
    List<ImageLosses> images = new ArrayList<>();
    String[] ids = {"img2", "img10", "b", "img1", "a", "c", "img3", "z", "img20"};
    int[] ties = {3, 1, 0, 2, 4, 0, 1, 2, 5};
    Map<String, Integer> byId = new TreeMap<>();
    for (int i = 0; i < ids.length; i++) {
      images.add(image(ids[i], ties[i]));
      byId.put(ids[i], ties[i]);
    }
    JavaRDD<ImageLosses> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(images, 3);
    int total = byId.values().stream().mapToInt(Integer::intValue).sum();
    KeepRule rule = new KeepRule(KTH, 0);
    // in id order: a 4, img1 2, img10 1, img2 3, img20 5, img3 1, z 2 (18 ties)
    for (long budget : new long[] {1, 4, 5, 7, 11, 16, total - 1}) {
      TieCutoff cut = TieCutoff.find(rdd, KTH, IGNORE, budget);
      if (budget == 7) {
        assertEquals(new TieCutoff("img10", 1), cut, "a: 4, img1: 2, img10: the 7th");
      }
      ImageKeepRule keep = ImageKeepRule.dataset(rule.withTies(budget), cut);
      long left = budget;
      for (Map.Entry<String, Integer> e : byId.entrySet()) { // the quota, walked in id order
        long quota = Math.min(left, e.getValue());
        left -= quota;
        long kept = Math.min(e.getValue(), keep.forImage(image(e.getKey(), e.getValue()))
            .tiesKept());
        assertEquals(quota, kept, "budget " + budget + ", image " + e.getKey() + ", cut-off "
            + cut);
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> TieCutoff.find(rdd, KTH, IGNORE, total + 1));
  }
}
