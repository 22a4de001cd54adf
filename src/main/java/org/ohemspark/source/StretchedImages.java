package org.ohemspark.source;

import java.io.Serializable;
import org.ohemspark.core.ImageRecord;

/**
 * The mined images whose logits were resized to another aspect ratio than their label mask
 * ({@link ImageRecord#aspectDiffers}), for the job's warning. Summed from the cached
 * {@link org.ohemspark.mining.LossRecord}s by {@link org.ohemspark.mining.DatasetTotals}, so a
 * retried task or a recomputed partition counts each image once, as every other figure of a run.
 *
 * @param count good images whose logits were stretched
 * @param example the one with the smallest image id, e.g. {@code image_id='b' logits [3,4,6]
 *     labels [16,16]}; null when {@code count} is 0
 */
public record StretchedImages(long count, String example) implements Serializable {

  /** No stretched image. */
  public static final StretchedImages NONE = new StretchedImages(0, null);

  /**
   * How {@code r}'s logits are stretched, {@code logits [C,h,w] labels [H,W]}, or null when
   * their resize keeps the aspect ratio (as a model's output stride does).
   */
  public static String shapes(ImageRecord r) {
    if (!r.aspectDiffers()) {
      return null;
    }
    return "logits [" + r.logits().channels() + "," + r.logits().height() + ","
        + r.logits().width() + "] labels [" + r.height() + "," + r.width() + "]";
  }
}
