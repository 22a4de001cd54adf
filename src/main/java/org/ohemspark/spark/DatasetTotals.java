package org.ohemspark.spark;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.ohemspark.core.ExactSum;
import org.ohemspark.core.ImageLosses;

/**
 * The dataset's first-pass figures, summed over the images' own ({@link ImageLosses}): images,
 * {@code n_valid}, {@code n_hard} and {@code sum_hard} (nats, an {@link ExactSum}, so the same
 * bits whatever order the tasks finish in). Built by one {@code treeAggregate} over the cached
 * records; only this object reaches the driver.
 */
public final class DatasetTotals implements Serializable {
  private static final long serialVersionUID = 1L;
  private long images;
  private long nValid;
  private long nHard;
  private final ExactSum sumHard = new ExactSum();

  /** Sums the figures of {@code images}. */
  public static DatasetTotals of(JavaRDD<ImageLosses> images) {
    return images.treeAggregate(new DatasetTotals(), DatasetTotals::add, DatasetTotals::merge, 2);
  }

  private DatasetTotals add(ImageLosses img) {
    images++;
    nValid += img.nValid();
    nHard += img.nHard();
    sumHard.add(img.sumHard());
    return this;
  }

  private DatasetTotals merge(DatasetTotals o) {
    images += o.images;
    nValid += o.nValid;
    nHard += o.nHard;
    sumHard.merge(o.sumHard);
    return this;
  }

  /** Good images summed. */
  public long images() {
    return images;
  }

  /** Pixels whose label is not the ignore index, over all images. */
  public long nValid() {
    return nValid;
  }

  /** Valid pixels with {@code loss > -ln(thresh)}, over all images. */
  public long nHard() {
    return nHard;
  }

  /** Sum of the losses of the hard pixels, nats. */
  public double sumHard() {
    return sumHard.toDouble();
  }
}
