package org.ohemspark.spark;

import java.io.Serializable;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.OhemOutcome;
import org.ohemspark.core.OhemParams;

/**
 * Which pixels of each image are kept, decided on the executors: the same {@link KeepRule} for
 * every image, the ties at the k-th value shared out in image id order (dataset scope), or
 * each image's own rule (image scope).
 */
public interface ImageKeepRule extends Serializable {

  /** The rule for one image. */
  KeepRule forImage(ImageLosses img);

  /** Image scope: the rule of {@link OhemOutcome#ofImage}. */
  static ImageKeepRule perImage(OhemParams params) {
    return img -> OhemOutcome.ofImage(params, img).rule();
  }

  /**
   * Dataset scope.
   *
   * @param rule the dataset's rule; {@code rule.tiesKept()} is the dataset's tie budget
   * @param cutoff where that budget runs out ({@link TieCutoff}); null when every tie is kept
   */
  static ImageKeepRule dataset(KeepRule rule, TieCutoff cutoff) {
    if (cutoff == null) {
      KeepRule all = rule.tiesKept() > 0 ? rule.withTies(Long.MAX_VALUE) : rule;
      return img -> all;
    }
    return img -> cutoff.forImage(rule, img.imageId());
  }
}
