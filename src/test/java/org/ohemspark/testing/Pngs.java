package org.ohemspark.testing;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Label PNGs for tests, written by ImageIO. */
public final class Pngs {
  private Pngs() {}

  /**
   * A palette (colour type 3) PNG of {@code values} ({@code [h, w]} row-major indices) whose
   * palette colour of index {@code i} is far from grey {@code i}: R = 255 - 7i, G = 40i,
   * B = 100 + 3i (mod 256).
   */
  public static byte[] palette(int h, int w, int[] values) {
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      r[i] = (byte) (255 - 7 * i);
      g[i] = (byte) (40 * i);
      b[i] = (byte) (100 + 3 * i);
    }
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED,
        new IndexColorModel(8, 256, r, g, b));
    img.getRaster().setSamples(0, 0, w, h, 0, values);
    return write(img);
  }

  /** An 8-bit grey PNG. */
  public static byte[] grey8(int h, int w, int[] values) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSamples(0, 0, w, h, 0, values);
    return write(img);
  }

  /** A 16-bit grey PNG. */
  public static byte[] grey16(int h, int w, int[] values) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setSamples(0, 0, w, h, 0, values);
    return write(img);
  }

  private static byte[] write(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer for " + img);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
