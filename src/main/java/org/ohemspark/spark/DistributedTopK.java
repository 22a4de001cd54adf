package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.LossHistogram;
import org.ohemspark.core.TopK;
import org.ohemspark.core.TopKSearch;

/**
 * Exact top-k over the loss column of a {@link LossFrame}, on the executors.
 *
 * <ol>
 *   <li>Histogram levels ({@link TopKSearch}): each pass builds a {@link LossHistogram} per
 *       partition over the cached losses, merges them with {@code treeAggregate}, and the driver
 *       walks the merged bins (O(bins) memory) to the bin holding the k-th value, until that bin
 *       holds one distinct value (at most four passes, usually one or two).</li>
 *   <li>A last pass counts, per image, the losses greater than and equal to the k-th value and
 *       sums the greater ones; the dataset sums are exact decimal sums of per-image doubles, so
 *       the result does not depend on task order. Images that hold ties (O(images with ties),
 *       never pixels) are returned for the tie-breaking quota.</li>
 * </ol>
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

  private static final StructType PER_IMAGE = new StructType()
      .add("image_id", DataTypes.StringType, false)
      .add("cnt_gt", DataTypes.LongType, false)
      .add("sum_gt", DataTypes.DoubleType, false)
      .add("cnt_eq", DataTypes.LongType, false);

  /**
   * @param frame a (cached) loss frame
   * @param k how many largest valid losses, {@code 1 <= k <= n_valid}
   */
  public static Result find(Dataset<Row> frame, long k, int ignoreIndex) {
    JavaRDD<Row> rows = frame.toJavaRDD();
    TopKSearch search = new TopKSearch(k);
    boolean done = false;
    while (!done) {
      LossHistogram merged = rows.treeAggregate(search.histogram(),
          (h, row) -> {
            ImageLosses img = LossFrame.fromRow(row);
            h.addValid(img.losses(), img.labels(), ignoreIndex);
            return h;
          },
          LossHistogram::merge, 2);
      done = search.offer(merged);
    }
    final double kth = search.result().kth();
    Dataset<Row> perImage = frame.map((MapFunction<Row, Row>) row -> {
      ImageLosses img = LossFrame.fromRow(row);
      long gt = 0;
      long eq = 0;
      double s = 0;
      for (int i = 0; i < img.pixels(); i++) {
        if (img.labels()[i] == ignoreIndex) {
          continue;
        }
        double l = img.losses()[i];
        if (l > kth) {
          gt++;
          s += l;
        } else if (l == kth) {
          eq++;
        }
      }
      return RowFactory.create(img.imageId(), gt, s, eq);
    }, Encoders.row(PER_IMAGE)).cache();
    try {
      Row totals = perImage.agg(sum("cnt_gt"), ExactSums.sum(col("sum_gt")), sum("cnt_eq"))
          .first();
      long cntGt = totals.getLong(0);
      double sumGt = ExactSums.toDouble(totals, 1);
      long cntEq = totals.getLong(2);
      TopK topk = new TopK(k, kth, cntGt, sumGt, cntEq);
      TreeMap<String, Long> ties = new TreeMap<>();
      if (topk.tiesKept() < cntEq) {
        List<Row> withTies = perImage.filter(col("cnt_eq").gt(0)).select("image_id", "cnt_eq")
            .collectAsList();
        for (Row r : withTies) {
          ties.put(r.getString(0), r.getLong(1));
        }
      }
      return new Result(topk, search.levels(), ties);
    } finally {
      perImage.unpersist();
    }
  }
}
