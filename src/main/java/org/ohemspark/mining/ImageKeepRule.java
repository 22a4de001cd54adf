package org.ohemspark.mining;

import java.io.Serializable;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import scala.Tuple2;

/**
 * Which pixels of each image are kept with {@code --group-by dataset}, decided on the executors:
 * the dataset's {@link KeepRule} for every image, with the ties at the k-th value shared out in
 * image id order up to the dataset's budget ({@link TieCutoff}). (With {@code --group-by image}
 * each image's own rule is in {@link ImageOutcomes}.)
 */
public interface ImageKeepRule extends Serializable {

  /** The rule for one image. */
  KeepRule forImage(ImageLosses img);

  /** Each image of {@code images} with its rule, lazily. */
  default JavaPairRDD<ImageLosses, KeepRule> pair(JavaRDD<ImageLosses> images) {
    return images.mapToPair(img -> new Tuple2<>(img, forImage(img)));
  }

  /**
   * Dataset scope.
   *
   * @param rule the dataset's rule; {@code rule.tiesKept()} is the dataset's tie budget
   * @param cutoff where that budget runs out; null when every tie is kept
   */
  static ImageKeepRule dataset(KeepRule rule, TieCutoff cutoff) {
    if (cutoff == null) {
      KeepRule all = rule.tiesKept() > 0 ? rule.withTies(Long.MAX_VALUE) : rule;
      return img -> all;
    }
    return img -> cutoff.forImage(rule, img.imageId());
  }
}
