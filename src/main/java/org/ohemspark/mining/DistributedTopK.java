package org.ohemspark.mining;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.ohemspark.core.ExactSum;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.LossHistogram;
import org.ohemspark.core.TopK;
import org.ohemspark.core.TopKSearch;
import org.ohemspark.spark.JavaSerialized;
import org.ohemspark.spark.TreeDepth;

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
 *       the result does not depend on task order. When only some of the ties at the k-th
 *       value are kept, the image where that budget runs out is found on the executors
 *       ({@link TieCutoff}).</li>
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
   * @param tieCutoff where the tie budget runs out, when some but not all ties are kept; else
   *     null (every tie is kept)
   */
  public record Result(TopK topk, int histogramPasses, TieCutoff tieCutoff) {}

  /** Per-image counts around the k-th value, summed over images. */
  static final class Tail implements Serializable {
    private static final long serialVersionUID = 1L;
    long gt;
    long eq;
    final ExactSum sumGt = new ExactSum();

    Tail add(ImageLosses img, double kth, int ignoreIndex) {
      double[] losses = img.losses();
      long g = 0;
      long e = 0;
      double s = 0;
      for (int i = 0; i < losses.length; i++) {
        if (img.label(i) == ignoreIndex) {
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
      // wrapped: the partial histograms cross the serializer (task results, the tree's
      // shuffle) in their sparse Java form, under Kryo too
      LossHistogram merged = images.treeAggregate(JavaSerialized.of(search.histogram()),
          (h, img) -> {
            h.get().addValid(img, ignoreIndex);
            return h;
          },
          (a, b) -> {
            a.get().merge(b.get());
            return a;
          }, TreeDepth.of(images)).get();
      done = search.offer(merged);
    }
    final double kth = search.result().kth();
    Tail tail = images.treeAggregate(new Tail(), (t, img) -> t.add(img, kth, ignoreIndex),
        Tail::merge, TreeDepth.of(images));
    TopK topk = new TopK(k, kth, tail.gt, tail.sumGt.toDouble(), tail.eq);
    TieCutoff cutoff = topk.tiesKept() < tail.eq
        ? TieCutoff.find(images, kth, ignoreIndex, topk.tiesKept()) : null;
    return new Result(topk, search.levels(), cutoff);
  }
}
