package org.ohemspark.spark;

import java.io.Serializable;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.ohemspark.core.ExactSum;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeptPixels;
import org.ohemspark.core.LossHistogram;
import org.ohemspark.core.TopK;
import org.ohemspark.core.TopKSearch;
import scala.Tuple2;

/**
 * Exact top-k over the per-pixel losses of the cached images ({@link ImageLosses}), on the
 * executors; each pass reads the cached loss arrays in place.
 *
 * <ol>
 *   <li>Histogram levels ({@link TopKSearch}): each pass builds a {@link LossHistogram} per
 *       partition over the cached losses, merges them with {@code treeAggregate}, and the driver
 *       walks the merged bins (O(bins) memory) to the bin holding the k-th value, until that bin
 *       holds one distinct value (at most four passes, usually one or two).</li>
 *   <li>A last pass counts, per image, the losses greater than and equal to the k-th value and
 *       sums the greater ones; the dataset sums are {@link ExactSum}s of per-image doubles, so
 *       the result does not depend on task order. Images that hold ties (O(images with ties),
 *       never pixels) are returned for the tie-breaking quota.</li>
 * </ol>
 *
 * <p>Each merge is a {@code treeAggregate} at {@link TreeDepth#of} the partition count, so the
 * driver receives a bounded number of histograms however many partitions there are.
 */
public final class DistributedTopK {
  private DistributedTopK() {}

  /**
   * The result and its cost.
   *
   * @param topk the k largest, described
   * @param histogramPasses passes over the cached losses to resolve the k-th value
   * @param tiesPerImage image id to its count of valid pixels equal to the k-th value, in id
   *     order; only filled when some but not all ties are kept
   */
  public record Result(TopK topk, int histogramPasses, TreeMap<String, Long> tiesPerImage) {}

  /** Per-image counts around the k-th value, summed over images. */
  private static final class Tail implements Serializable {
    private static final long serialVersionUID = 1L;
    long gt;
    long eq;
    final ExactSum sumGt = new ExactSum();

    Tail add(ImageLosses img, double kth, int ignoreIndex) {
      int[] labels = img.labels();
      double[] losses = img.losses();
      long g = 0;
      long e = 0;
      double s = 0;
      for (int i = 0; i < losses.length; i++) {
        if (labels[i] == ignoreIndex) {
          continue;
        }
        double l = losses[i];
        if (l > kth) {
          g++;
          s += l;
        } else if (l == kth) {
          e++;
        }
      }
      gt += g;
      eq += e;
      sumGt.add(s);
      return this;
    }

    Tail merge(Tail o) {
      gt += o.gt;
      eq += o.eq;
      sumGt.merge(o.sumGt);
      return this;
    }
  }

  /**
   * @param images the good images' losses (cached)
   * @param k how many largest valid losses, {@code 1 <= k <= n_valid}
   */
  public static Result find(JavaRDD<ImageLosses> images, long k, int ignoreIndex) {
    TopKSearch search = new TopKSearch(k);
    boolean done = false;
    while (!done) {
      LossHistogram merged = images.treeAggregate(search.histogram(),
          (h, img) -> {
            h.addValid(img.losses(), img.labels(), ignoreIndex);
            return h;
          },
          LossHistogram::merge, TreeDepth.of(images));
      done = search.offer(merged);
    }
    final double kth = search.result().kth();
    Tail tail = images.treeAggregate(new Tail(), (t, img) -> t.add(img, kth, ignoreIndex),
        Tail::merge, TreeDepth.of(images));
    TopK topk = new TopK(k, kth, tail.gt, tail.sumGt.toDouble(), tail.eq);
    TreeMap<String, Long> ties = new TreeMap<>();
    if (topk.tiesKept() < tail.eq) {
      List<Tuple2<String, Long>> withTies = images
          .map(img -> new Tuple2<>(img.imageId(), KeptPixels.countEqual(img, kth, ignoreIndex)))
          .filter(t -> t._2() > 0).collect();
      for (Tuple2<String, Long> t : withTies) {
        ties.put(t._1(), t._2());
      }
    }
    return new Result(topk, search.levels(), ties);
  }
}
