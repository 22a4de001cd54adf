package org.ohemspark.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.ohemspark.core.BadRecordException;

/**
 * Decodes a PNG or JPEG photo (for a model's input) into three colour planes, read from the
 * decoded raster as whole arrays (never pixel by pixel through {@code getRGB}).
 *
 * <ul>
 *   <li>RGB and RGBA (alpha dropped), 8 or 16 bits per sample;</li>
 *   <li>grey and grey+alpha (alpha dropped), 1/2/4/8/16 bits: the grey value in all three
 *       planes;</li>
 *   <li>palette (mode P) PNG: the palette colour of each index;</li>
 *   <li>JPEG (YCbCr or grey) as ImageIO's decoder gives it. CMYK/YCCK JPEGs are refused with a
 *       message saying so (ImageIO has no decoder for them).</li>
 * </ul>
 *
 * Sample values are put on the 8-bit scale: a {@code b}-bit sample {@code s} becomes
 * {@code s * 255 / (2^b - 1)} (exact for 8 bits; a 16-bit sample {@code s} is {@code s / 257},
 * so a 16-bit copy of an 8-bit image gives the same values). Colour profiles (ICC, gamma) are
 * not applied: samples are taken as stored.
 */
public final class ImageDecoder {
  private ImageDecoder() {}

  /**
   * A decoded image.
   *
   * @param planes {@code [3, H, W]} row-major: red, green, blue, each sample on the 8-bit scale
   *     ({@code [0, 255]})
   */
  public record RgbImage(int height, int width, float[] planes) {}

  /**
   * Decodes the image by its content (PNG or JPEG; other formats ImageIO reads are accepted
   * too).
   *
   * @param source file (or member) name, for messages
   * @throws BadRecordException naming the source and image id when the bytes are not a
   *     readable image, are truncated or corrupt, or hold a colour model other than those above
   */
  public static RgbImage decode(String source, String imageId, byte[] bytes) {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Unsupported Image Type") || m.contains("Unsupported JPEG")) {
        throw new BadRecordException(source, imageId, "image cannot be decoded: " + m
            + " (a CMYK or YCCK JPEG: ImageIO has no decoder for them; convert it to RGB)", e);
      }
      throw new BadRecordException(source, imageId, "corrupt or truncated image: " + m, e);
    }
    if (img == null) {
      throw new BadRecordException(source, imageId, "not a readable image (expected PNG or "
          + "JPEG, " + bytes.length + " bytes)");
    }
    int h = img.getHeight();
    int w = img.getWidth();
    int n = Math.multiplyExact(h, w);
    float[] planes = new float[Math.multiplyExact(3, n)];
    Raster raster = img.getRaster();
    ColorModel cm = img.getColorModel();
    int[] samples = new int[n];
    if (cm instanceof IndexColorModel icm) {
      int size = icm.getMapSize();
      byte[][] lut = {new byte[size], new byte[size], new byte[size]};
      icm.getReds(lut[0]);
      icm.getGreens(lut[1]);
      icm.getBlues(lut[2]);
      raster.getSamples(0, 0, w, h, 0, samples);
      for (int c = 0; c < 3; c++) {
        byte[] l = lut[c];
        int off = c * n;
        for (int i = 0; i < n; i++) {
          int idx = samples[i];
          if (idx >= size) {
            throw new BadRecordException(source, imageId, "palette index " + idx + " at pixel "
                + i + " is outside the palette of " + size + " colours");
          }
          planes[off + i] = l[idx] & 0xff;
        }
      }
      return new RgbImage(h, w, planes);
    }
    int type = cm.getColorSpace().getType();
    int colours = cm.getNumColorComponents();
    if (type == ColorSpace.TYPE_GRAY && colours == 1) {
      raster.getSamples(0, 0, w, h, 0, samples);
      float[] grey = new float[n];
      toEightBit(samples, cm.getComponentSize(0), grey, 0);
      for (int c = 0; c < 3; c++) {
        System.arraycopy(grey, 0, planes, c * n, n);
      }
      return new RgbImage(h, w, planes);
    }
    if (type == ColorSpace.TYPE_RGB && colours == 3) {
      for (int c = 0; c < 3; c++) {
        raster.getSamples(0, 0, w, h, c, samples);
        toEightBit(samples, cm.getComponentSize(c), planes, c * n);
      }
      return new RgbImage(h, w, planes);
    }
    throw new BadRecordException(source, imageId, "unsupported colour model: " + colours
        + " colour components in colour space type " + type + " (expected RGB, RGBA, grey, "
        + "grey+alpha or a palette)");
  }

  /** {@code s * 255 / (2^bits - 1)} into {@code dst[off..]}; exact copies for 8 bits. */
  private static void toEightBit(int[] s, int bits, float[] dst, int off) {
    if (bits == 8) {
      for (int i = 0; i < s.length; i++) {
        dst[off + i] = s[i];
      }
      return;
    }
    double f = 255.0 / ((1L << bits) - 1);
    for (int i = 0; i < s.length; i++) {
      dst[off + i] = (float) (s[i] * f);
    }
  }
}
