package org.ohemspark.mining;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.ohemspark.core.ClassTotals;
import org.ohemspark.core.ExactSum;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.LossBins;
import org.ohemspark.source.StretchedImages;
import org.ohemspark.spark.TreeDepth;

/**
 * The dataset's first-pass figures, summed over the images' own ({@link ImageLosses}): images,
 * {@code n_valid}, {@code n_hard} and {@code sum_hard} (nats, an {@link ExactSum}, so the same
 * bits whatever order the tasks finish in), and the images whose logits were stretched to
 * another aspect ratio ({@link StretchedImages}: their count and the smallest id, so the same
 * example whatever the order), and the per-class counts and loss sums of the valid pixels
 * ({@link ClassTotals}: label, predicted class and loss of each pixel, O(C) per state), and
 * their losses in equal bins for the report ({@link LossBins}, O(bins)). Built by
 * one {@code treeAggregate} over the cached records; only this object reaches the driver.
 */
public final class DatasetTotals implements Serializable {
  private static final long serialVersionUID = 1L;
  private long images;
  private long nValid;
  private long nHard;
  private final ExactSum sumHard = new ExactSum();
  private long nStretched;
  private String stretchedId;
  private String stretchedShapes;
  private final int ignoreIndex;
  private final ClassTotals classes = new ClassTotals();
  private final LossBins lossBins = new LossBins();

  private DatasetTotals(int ignoreIndex) {
    this.ignoreIndex = ignoreIndex;
  }

  /** The zero state: nothing added yet. */
  static DatasetTotals empty(int ignoreIndex) {
    return new DatasetTotals(ignoreIndex);
  }

  /**
   * Sums the figures of {@code good}, the good records (each with its losses).
   *
   * @param ignoreIndex the label of ignored pixels (they count in no class)
   */
  public static DatasetTotals of(JavaRDD<LossRecord> good, int ignoreIndex) {
    return good.treeAggregate(empty(ignoreIndex), DatasetTotals::add,
        DatasetTotals::merge, TreeDepth.of(good));
  }

  DatasetTotals add(LossRecord r) {
    ImageLosses img = r.losses();
    images++;
    nValid += img.nValid();
    nHard += img.nHard();
    sumHard.add(img.sumHard());
    classes.add(img, ignoreIndex);
    lossBins.addValid(img, ignoreIndex);
    if (r.isStretched()) {
      nStretched++;
      keepExample(r.imageId(), r.stretched());
    }
    return this;
  }

  DatasetTotals merge(DatasetTotals o) {
    images += o.images;
    nValid += o.nValid;
    nHard += o.nHard;
    sumHard.merge(o.sumHard);
    classes.merge(o.classes);
    lossBins.merge(o.lossBins);
    nStretched += o.nStretched;
    if (o.stretchedId != null) {
      keepExample(o.stretchedId, o.stretchedShapes);
    }
    return this;
  }

  /** Keeps the stretched image of the smallest id. */
  private void keepExample(String id, String shapes) {
    if (stretchedId == null || id.compareTo(stretchedId) < 0) {
      stretchedId = id;
      stretchedShapes = shapes;
    }
  }

  /** The valid pixels' per-class counts and loss sums, over all good images. */
  public ClassTotals classes() {
    return classes;
  }

  /** The valid pixels' losses in equal bins, for the report's histogram (O(bins)). */
  public LossBins lossBins() {
    return lossBins;
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

  /** Good images whose logits were stretched to another aspect ratio, and the first by id. */
  public StretchedImages stretched() {
    return nStretched == 0 ? StretchedImages.NONE : new StretchedImages(nStretched,
        "image_id='" + stretchedId + "' " + stretchedShapes);
  }
}
