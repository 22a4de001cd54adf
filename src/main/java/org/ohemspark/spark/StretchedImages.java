package org.ohemspark.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.ohemspark.core.ImageRecord;

/**
 * Counts, on the executors, the images whose logits are resized to a different aspect ratio
 * ({@link ImageRecord#aspectDiffers}), with a few examples for the driver's note. Like every
 * Spark accumulator read by the driver, a record decoded twice (a retried task) counts twice:
 * this feeds a warning, never a result.
 */
public final class StretchedImages implements Serializable {
  private static final long serialVersionUID = 1L;
  private final LongAccumulator count;
  private final CollectionAccumulator<String> examples;

  private StretchedImages(LongAccumulator count, CollectionAccumulator<String> examples) {
    this.count = count;
    this.examples = examples;
  }

  /** Registers the two accumulators on the driver. */
  public static StretchedImages register(SparkContext sc) {
    return new StretchedImages(sc.longAccumulator("ohem.images_stretched"),
        sc.collectionAccumulator("ohem.images_stretched_examples"));
  }

  /** Executor side: notes {@code r} if its resize changes the aspect ratio. */
  void check(ImageRecord r) {
    if (r.aspectDiffers()) {
      count.add(1);
      if (examples.isZero()) { // a task's copy starts empty: at most one example per task
        examples.add("image_id='" + r.imageId() + "' logits [" + r.logits().channels() + ","
            + r.logits().height() + "," + r.logits().width() + "] labels [" + r.height() + ","
            + r.width() + "]");
      }
    }
  }

  /** Images found (driver side, after an action). */
  public long count() {
    return count.value();
  }

  /** Up to one example per task, e.g. {@code image_id='a' logits [19,64,48] labels [64,64]}. */
  public List<String> examples() {
    return examples.value();
  }
}
