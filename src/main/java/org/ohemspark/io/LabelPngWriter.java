package org.ohemspark.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Encodes a label mask as an 8-bit grey PNG, the layout of Cityscapes' train-id masks, or as a
 * 16-bit grey PNG for values above 255.
 */
public final class LabelPngWriter {
  private LabelPngWriter() {}

  /**
   * @param labels {@code [H, W]} row-major, each in {@code [0, 255]}
   * @return the PNG file's bytes
   * @throws IllegalArgumentException if a value is outside {@code [0, 255]} or the length is not
   *     {@code H * W}
   */
  public static byte[] grey8(int[] labels, int height, int width) {
    return grey(labels, height, width, 8);
  }

  /**
   * The same as a 16-bit grey PNG (big-endian samples, as PNG stores them).
   *
   * @param labels {@code [H, W]} row-major, each in {@code [0, 65535]}
   * @throws IllegalArgumentException if a value is outside {@code [0, 65535]} or the length is
   *     not {@code H * W}
   */
  public static byte[] grey16(int[] labels, int height, int width) {
    return grey(labels, height, width, 16);
  }

  private static byte[] grey(int[] labels, int height, int width, int bits) {
    if (labels.length != (long) height * width) {
      throw new IllegalArgumentException("labels hold " + labels.length + " values, expected "
          + height + "*" + width);
    }
    int max = (1 << bits) - 1;
    for (int v : labels) {
      if (v < 0 || v > max) {
        throw new IllegalArgumentException("label " + v + " does not fit a " + bits
            + "-bit PNG");
      }
    }
    BufferedImage img = new BufferedImage(width, height, bits == 8
        ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSamples(0, 0, width, height, 0, labels);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
