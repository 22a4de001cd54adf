package org.ohemspark.core;

/**
 * One image's per-pixel cross-entropy and the per-image figures of the first pass.
 *
 * <p>{@code losses} and {@code labels} are {@code [H, W]} row-major: pixel {@code (y, x)} is at
 * {@code pixel_index = y * W + x}. Losses are in nats, {@code >= 0}, and exactly {@code 0.0} on
 * ignored pixels ({@code labels[i] == ignore_index}). Labels are after the label convention.
 *
 * @param nValid pixels whose label is not the ignore index
 * @param nHard valid pixels with {@code loss > -ln(thresh)}
 * @param sumHard sum of those losses
 * @param sumLoss sum of the losses of valid pixels
 * @param maxLoss largest loss of a valid pixel ({@code NaN} when there is none)
 */
public record ImageLosses(String imageId, int height, int width, int[] labels, double[] losses,
    long nValid, long nHard, double sumHard, double sumLoss, double maxLoss)
    implements java.io.Serializable {

  /** Number of pixels {@code H * W}. */
  public int pixels() {
    return losses.length;
  }
}
