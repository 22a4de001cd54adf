package org.ohemspark.mining;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptConfusion;
import org.ohemspark.spark.ScanPartitions;
import org.ohemspark.spark.TreeDepth;
import scala.Tuple2;

/**
 * The kept pixels by {@code (label, predicted)} pair ({@link KeptConfusion}), summed on the
 * executors over the cached images and their keep rules, once the rules are known (after the
 * top-k selection, or each image's own outcome with {@code --group-by image}). One
 * {@code treeAggregate} over the cached losses in {@link ScanPartitions}' larger tasks; the driver
 * receives O(C^2) partial states ({@link TreeDepth}), never a pixel or a row per image.
 */
public final class KeptConfusionPass {
  private KeptConfusionPass() {}

  /**
   * Sums the kept pixels of each image under its rule.
   *
   * @param images each cached image with its rule ({@link ImageKeepRule#pair} or
   *     {@link ImageOutcomes#rules})
   */
  public static KeptConfusion of(JavaPairRDD<ImageLosses, KeepRule> images, int ignoreIndex) {
    JavaRDD<Tuple2<ImageLosses, KeepRule>> scan = ScanPartitions.of(images.rdd().toJavaRDD());
    return scan.treeAggregate(new KeptConfusion(),
        (k, e) -> k.add(e._1(), e._2(), ignoreIndex), KeptConfusion::merge, TreeDepth.of(scan));
  }
}
