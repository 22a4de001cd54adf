package org.ohemspark.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Encodes a label mask as an 8-bit grey PNG, the layout of Cityscapes' train-id masks. */
public final class LabelPngWriter {
  private LabelPngWriter() {}

  /**
   * @param labels {@code [H, W]} row-major, each in {@code [0, 255]}
   * @return the PNG file's bytes
   * @throws IllegalArgumentException if a value is outside {@code [0, 255]} or the length is not
   *     {@code H * W}
   */
  public static byte[] grey8(int[] labels, int height, int width) {
    if (labels.length != height * width) {
      throw new IllegalArgumentException("labels hold " + labels.length + " values, expected "
          + height + "*" + width);
    }
    for (int v : labels) {
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("label " + v + " does not fit an 8-bit PNG");
      }
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
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
