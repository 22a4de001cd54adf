package org.ohemspark.spark;

import java.io.Serializable;
import java.util.Map;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.OhemOutcome;
import org.ohemspark.core.OhemParams;

/**
 * Which pixels of each image are kept, decided on the executors: the same {@link KeepRule} for
 * every image with a per-image tie quota (dataset scope), or each image's own rule (image scope).
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
   * @param tieQuota per image id, how many of its ties are kept; null when every tie is kept
   */
  static ImageKeepRule dataset(KeepRule rule, Map<String, Long> tieQuota) {
    if (tieQuota == null) {
      KeepRule all = rule.tiesKept() > 0 ? rule.withTies(Long.MAX_VALUE) : rule;
      return img -> all;
    }
    return img -> rule.withTies(tieQuota.getOrDefault(img.imageId(), 0L));
  }
}
