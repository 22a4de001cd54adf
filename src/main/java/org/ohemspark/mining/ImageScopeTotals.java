package org.ohemspark.mining;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.ohemspark.core.ExactSum;
import org.ohemspark.spark.TreeDepth;

/**
 * The dataset's figures with {@code --group-by image}, summed over the rows of the
 * {@code images/} report ({@link ImageReport#schema} with the image-scope columns): each image's
 * {@code n_min} and {@code n_kept}, how many images took the top-k branch, how many have no
 * OHEM mean (PyTorch's NaN), and the {@link ExactSum} of the others' OHEM means (nats), so the
 * dataset mean has the same bits whatever order tasks finish in. One {@code treeAggregate};
 * only this object reaches the driver.
 */
public final class ImageScopeTotals implements Serializable {
  private static final long serialVersionUID = 1L;
  private long nMin;
  private long nKept;
  private long nTopk;
  private long nEmpty;
  private long nWithMean;
  private final ExactSum sumOfMeans = new ExactSum();

  /** Sums an image-scope {@code images/} report. */
  public static ImageScopeTotals of(Dataset<Row> images) {
    JavaRDD<Row> rows = images.javaRDD();
    return rows.treeAggregate(new ImageScopeTotals(), ImageScopeTotals::add,
        ImageScopeTotals::merge, TreeDepth.of(rows));
  }

  ImageScopeTotals add(Row r) {
    nMin += r.<Long>getAs("n_min");
    nKept += r.<Long>getAs("n_kept");
    if (r.<Boolean>getAs("used_topk")) {
      nTopk++;
    }
    Double mean = r.getAs("ohem_mean");
    if (mean == null) {
      nEmpty++;
    } else {
      nWithMean++;
      sumOfMeans.add(mean);
    }
    return this;
  }

  ImageScopeTotals merge(ImageScopeTotals o) {
    nMin += o.nMin;
    nKept += o.nKept;
    nTopk += o.nTopk;
    nEmpty += o.nEmpty;
    nWithMean += o.nWithMean;
    sumOfMeans.merge(o.sumOfMeans);
    return this;
  }

  /** Sum of the images' {@code n_min = n_valid // factor}. */
  public long nMin() {
    return nMin;
  }

  /** Pixels kept, summed over the images' own rules. */
  public long nKept() {
    return nKept;
  }

  /** Images whose own rule took the top-k branch. */
  public long nTopk() {
    return nTopk;
  }

  /** Images without an OHEM mean (nothing kept). */
  public long nEmpty() {
    return nEmpty;
  }

  /** The mean of the images' OHEM means, or null when no image has one. */
  public Double meanOfMeans() {
    return nWithMean == 0 ? null : sumOfMeans.toDouble() / nWithMean;
  }
}
