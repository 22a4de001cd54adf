package org.ohemspark.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The OHEM rule over one training batch ({@code --group-by batch}): the images of the batch as
 * one call of PyTorch's {@code OhemCELoss}, as in training. The batch's {@code n_valid},
 * {@code n_hard} and hard sum are its images' sums; on the top-k branch the k-th loss is found
 * from the images' merged bit-pattern histograms ({@link TopKSearch}, exact), and the ties at
 * the k-th loss are kept in image id order, then pixel order (the dataset scope's convention).
 * The images are all in memory: a batch is a training batch, a few images.
 */
public final class BatchRule {
  private BatchRule() {}

  /**
   * The batch's outcome and each image's rule.
   *
   * @param outcome the batch's figures ({@link OhemOutcome}: mean null where PyTorch gives NaN)
   * @param images the batch's images, by image id
   * @param rules each image's keep rule, in the order of {@code images}
   */
  public record Result(OhemOutcome outcome, List<ImageLosses> images, List<KeepRule> rules) {}

  /** Applies the rule to the images of one batch (any order; an empty list is refused). */
  public static Result of(OhemParams params, List<ImageLosses> batch) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("a batch has at least one image");
    }
    List<ImageLosses> images = new ArrayList<>(batch);
    images.sort(Comparator.comparing(ImageLosses::imageId));
    long nValid = 0;
    long nHard = 0;
    ExactSum sumHard = new ExactSum();
    for (ImageLosses img : images) {
      nValid += img.nValid();
      nHard += img.nHard();
      sumHard.add(img.sumHard());
    }
    int ignore = params.ignoreIndex();
    TopK topk = null;
    if (OhemOutcome.needsTopK(params, nValid, nHard)) {
      TopKSearch search = new TopKSearch(params.nMin(nValid));
      boolean done = false;
      while (!done) {
        LossHistogram merged = search.histogram();
        for (ImageLosses img : images) {
          merged.addValid(img, ignore);
        }
        done = search.offer(merged);
      }
      topk = search.result();
    }
    OhemOutcome o = OhemOutcome.of(params, nValid, nHard, sumHard.toDouble(), topk);
    List<KeepRule> rules = new ArrayList<>(images.size());
    long ties = o.rule().tiesKept();
    for (ImageLosses img : images) {
      long quota = ties == 0 ? 0 : Math.min(ties, KeptPixels.countEqual(img, o.rule().cut(),
          ignore));
      ties -= quota;
      rules.add(o.rule().withTies(quota));
    }
    return new Result(o, images, rules);
  }
}
