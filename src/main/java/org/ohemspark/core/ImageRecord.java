package org.ohemspark.core;


/**
 * One decoded input record: an image's logits {@code [C, h, w]} and its stored label values
 * {@code [H, W]} (row-major, before the label convention).
 *
 * @param source where it came from (file or shard), for error messages
 */
public record ImageRecord(String imageId, String source, Logits logits, int height, int width,
    int[] storedLabels) {

  /**
   * Whether resizing the logits {@code [h, w]} to the labels {@code [H, W]} changes the aspect
   * ratio by more than a model's output stride explains: {@code |h W - w H| > max(H, W)}, that
   * is more than about one logits pixel of rounding ({@code h = ceil(H / s)} and the like). Such
   * logits are still resized as {@code torch.nn.functional.interpolate} does, but they are
   * often transposed or belong to another image, so the job reports them.
   */
  public boolean aspectDiffers() {
    long h = logits.height();
    long w = logits.width();
    return Math.abs(h * width - w * height) > Math.max(height, width);
  }
}
