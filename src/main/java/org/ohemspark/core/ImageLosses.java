package org.ohemspark.core;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

/**
 * One image's per-pixel cross-entropy, predicted class, and the per-image figures of the first
 * pass.
 *
 * <p>Losses, labels and predictions are {@code [H, W]} row-major: pixel {@code (y, x)} is at
 * {@code pixel_index = y * W + x}. Losses are in nats, {@code >= 0}, and exactly {@code 0.0} on
 * ignored pixels ({@code label(i) == ignore_index}). Labels are after the label convention, held
 * in the narrowest exact type ({@link PackedLabels}); predictions (the argmax class of each
 * pixel's logits, {@link PredictedClasses}) likewise, one byte per pixel up to 256 classes:
 * with float64 losses, 10 bytes per pixel for the usual label sets. The losses stay doubles: the
 * dataset's mean and the top-k sums are sums of these exact doubles.
 *
 * <p>This is what the Spark loss pass caches per image: a spilled or remotely read block is
 * written through a serializer, where Java serialization writes the labels' and predictions'
 * arrays and the losses (as raw little-endian bytes) in bulk, about 10.05 bytes per pixel.
 */
public final class ImageLosses implements Serializable {
  private static final long serialVersionUID = 3L;

  private final String imageId;
  private final int height;
  private final int width;
  private final PackedLabels labels;
  private final PredictedClasses predicted;
  /** Written by {@link #writeObject} as raw little-endian bytes. */
  private transient double[] losses;
  private final long nValid;
  private final long nHard;
  private final double sumHard;
  private final double sumLoss;
  private final double maxLoss;

  /**
   * @param labels {@code [H, W]}, packed here ({@link PackedLabels#of}; the array is not kept)
   * @param predicted {@code [H, W]}, each pixel's argmax class (kept, not copied)
   * @param losses {@code [H, W]} nats (kept, not copied)
   * @param nValid pixels whose label is not the ignore index
   * @param nHard valid pixels with {@code loss > -ln(thresh)}
   * @param sumHard sum of those losses
   * @param sumLoss sum of the losses of valid pixels
   * @param maxLoss largest loss of a valid pixel ({@code NaN} when there is none)
   */
  public ImageLosses(String imageId, int height, int width, int[] labels,
      PredictedClasses predicted, double[] losses, long nValid, long nHard, double sumHard,
      double sumLoss, double maxLoss) {
    this(imageId, height, width, PackedLabels.of(labels), predicted, losses, nValid, nHard,
        sumHard, sumLoss, maxLoss);
  }

  /**
   * The same with labels already packed.
   *
   * @throws IllegalArgumentException if {@code labels}, {@code predicted} and {@code losses} do
   *     not all hold {@code H * W} values
   */
  public ImageLosses(String imageId, int height, int width, PackedLabels labels,
      PredictedClasses predicted, double[] losses, long nValid, long nHard, double sumHard,
      double sumLoss, double maxLoss) {
    long n = (long) height * width;
    if (labels.length() != n || predicted.length() != n || losses.length != n) {
      throw new IllegalArgumentException("ImageLosses " + imageId + ": " + height + "x" + width
          + " needs H*W = " + n + " labels, predictions and losses; got " + labels.length()
          + ", " + predicted.length() + ", " + losses.length);
    }
    this.imageId = imageId;
    this.height = height;
    this.width = width;
    this.labels = labels;
    this.predicted = predicted;
    this.losses = losses;
    this.nValid = nValid;
    this.nHard = nHard;
    this.sumHard = sumHard;
    this.sumLoss = sumLoss;
    this.maxLoss = maxLoss;
  }

  public String imageId() {
    return imageId;
  }

  /** {@code H}, the label mask's height. */
  public int height() {
    return height;
  }

  /** {@code W}, the label mask's width. */
  public int width() {
    return width;
  }

  /** The losses {@code [H, W]}, nats (the cached array itself: do not modify). */
  public double[] losses() {
    return losses;
  }

  /** The label of pixel {@code i = y * W + x}: what loops over pixels call. */
  public int label(int i) {
    return labels.get(i);
  }

  /**
   * The predicted class of pixel {@code i = y * W + x}: the argmax of its logits, in
   * {@code [0, C)} ({@link PredictedClasses}).
   */
  public int predicted(int i) {
    return predicted.get(i);
  }

  /** The predictions as stored. */
  public PredictedClasses predictedClasses() {
    return predicted;
  }

  /** {@code C}, the class count of the image's logits. */
  public int classes() {
    return predicted.classes();
  }

  /** The labels as stored. */
  public PackedLabels packedLabels() {
    return labels;
  }

  /**
   * The labels as a new {@code int[H * W]}: a copy, 4 bytes per pixel, for tests and one-off
   * conversions; call it once per image, never inside a loop over pixels ({@link #label}).
   */
  public int[] labels() {
    return labels.toArray();
  }

  public long nValid() {
    return nValid;
  }

  public long nHard() {
    return nHard;
  }

  public double sumHard() {
    return sumHard;
  }

  public double sumLoss() {
    return sumLoss;
  }

  public double maxLoss() {
    return maxLoss;
  }

  /** Number of pixels {@code H * W}. */
  public int pixels() {
    return losses.length;
  }

  /** Bytes per chunk of the serialized losses (a reused buffer, not one per image). */
  private static final int CHUNK = 1 << 16;

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeInt(losses.length);
    byte[] chunk = new byte[Math.min(CHUNK, losses.length * Double.BYTES)];
    DoubleBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    for (int off = 0; off < losses.length; off += view.capacity()) {
      int n = Math.min(view.capacity(), losses.length - off);
      view.clear();
      view.put(losses, off, n);
      out.write(chunk, 0, n * Double.BYTES);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    losses = new double[in.readInt()];
    byte[] chunk = new byte[Math.min(CHUNK, losses.length * Double.BYTES)];
    DoubleBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    for (int off = 0; off < losses.length; off += view.capacity()) {
      int n = Math.min(view.capacity(), losses.length - off);
      in.readFully(chunk, 0, n * Double.BYTES);
      view.clear();
      view.get(losses, off, n);
    }
  }

  @Override
  public String toString() {
    return "ImageLosses[" + imageId + ", " + height + "x" + width + ", nValid=" + nValid
        + ", nHard=" + nHard + "]";
  }
}
