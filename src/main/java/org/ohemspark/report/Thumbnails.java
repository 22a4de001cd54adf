package org.ohemspark.report;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptPixels;

/**
 * The three thumbnails of one worst image, as PNG bytes (ImageIO), at most {@link #MAX_WIDTH}
 * pixels wide and all of one size: the picture (the input's image scaled to the label mask's
 * {@code H x W}, or the colourised label mask where there is none) with its kept pixels marked
 * in {@link Palette#KEPT} and the rest dimmed, the label mask and the predicted classes in
 * {@link Palette}'s colours. Pictures are reduced by area averaging, masks by nearest neighbour
 * (their colours stay the palette's). Pixels are written through the images' {@code int}
 * buffers, not per-pixel {@code setRGB} calls. Memory: one {@code H x W} int image and a
 * {@code boolean[H * W]} of the one image, and the thumbnails.
 */
public final class Thumbnails {
  private Thumbnails() {}

  /** The widest thumbnail, pixels; narrower images keep their width. */
  public static final int MAX_WIDTH = 256;

  /** How strongly a kept pixel takes {@link Palette#KEPT} (0: not at all, 1: fully). */
  static final double KEPT_ALPHA = 0.75;

  /** How bright a pixel that is not kept stays in the picture. */
  static final double DIM = 0.55;

  /** The three thumbnails, PNG bytes, and whether the picture is the input's own. */
  public record Set(byte[] picture, byte[] labels, byte[] predicted, boolean photo) {}

  /**
   * The thumbnails of {@code img} under its keep rule.
   *
   * @param photo the input's encoded image (PNG or JPEG), or null; an undecodable one is
   *     treated as absent
   */
  public static Set of(ImageLosses img, KeepRule rule, int ignoreIndex, byte[] photo) {
    int h = img.height();
    int w = img.width();
    int tw = Math.min(w, MAX_WIDTH);
    int th = Math.max(1, (int) Math.round((double) h * tw / w));
    // the masks straight at the thumbnail's size: nearest neighbour reads one label per pixel
    BufferedImage labels = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
    BufferedImage predicted = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
    int[] labelRgb = pixels(labels);
    int[] predictedRgb = pixels(predicted);
    for (int ty = 0; ty < th; ty++) {
      int y = nearest(ty, th, h);
      for (int tx = 0; tx < tw; tx++) {
        int i = y * w + nearest(tx, tw, w);
        labelRgb[ty * tw + tx] = labelColour(img.label(i), ignoreIndex);
        predictedRgb[ty * tw + tx] = Palette.rgb(img.predicted(i));
      }
    }
    BufferedImage base = decode(photo, w, h);
    boolean isPhoto = base != null;
    if (base == null) { // the colourised label mask at full size
      base = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      int[] rgb = pixels(base);
      for (int i = 0; i < h * w; i++) {
        rgb[i] = labelColour(img.label(i), ignoreIndex);
      }
    }
    int[] rgb = pixels(base);
    boolean[] kept = new boolean[h * w];
    KeptPixels.forEach(img, rule, ignoreIndex, (i, label, loss) -> kept[i] = true);
    for (int i = 0; i < h * w; i++) {
      rgb[i] = kept[i] ? blend(rgb[i], Palette.KEPT, KEPT_ALPHA) : scale(rgb[i], DIM);
    }
    return new Set(png(reduce(base, tw, th)), png(labels), png(predicted), isPhoto);
  }

  /** The palette's colour of a label, {@link Palette#IGNORE} for the ignore index. */
  private static int labelColour(int label, int ignoreIndex) {
    return Palette.rgb(label == ignoreIndex ? -1 : label);
  }

  /**
   * The source row (or column) of thumbnail row {@code t} of {@code tn} under nearest-neighbour
   * sampling of {@code n} source rows: the one holding the thumbnail pixel's centre,
   * {@code floor((t + 0.5) * n / tn)}.
   */
  static int nearest(int t, int tn, int n) {
    return (int) Math.min(n - 1, ((2L * t + 1) * n) / (2L * tn));
  }

  /**
   * The pixels of a {@code TYPE_INT_RGB} image, {@code 0xRRGGBB} row-major, in place: reads and
   * writes through this array skip the colour model's per-pixel calls ({@code setRGB}).
   */
  private static int[] pixels(BufferedImage img) {
    return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
  }

  /**
   * An encoded picture (PNG or JPEG) shrunk to at most {@link #MAX_WIDTH} pixels wide (area
   * averaging; a narrower one keeps its size) and encoded as PNG: what travels from an executor
   * to the driver for a worst image. Null for null or undecodable bytes.
   */
  public static byte[] shrink(byte[] encoded) {
    if (encoded == null) {
      return null;
    }
    BufferedImage src;
    try {
      src = ImageIO.read(new ByteArrayInputStream(encoded));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (src == null) {
      return null;
    }
    int w = Math.min(src.getWidth(), MAX_WIDTH);
    int h = Math.max(1, (int) Math.round((double) src.getHeight() * w / src.getWidth()));
    BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.drawImage(src, 0, 0, null);
    g.dispose();
    return png(reduce(rgb, w, h));
  }

  /** The encoded picture decoded and scaled to {@code w x h} (bilinear), or null. */
  static BufferedImage decode(byte[] bytes, int w, int h) {
    if (bytes == null) {
      return null;
    }
    BufferedImage src;
    try {
      src = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (src == null) {
      return null;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
        RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  /** {@code a} moved towards {@code b} by {@code t}, per channel. */
  static int blend(int a, int b, double t) {
    int r = (int) Math.round(((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
    int g = (int) Math.round(((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
    int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
    return r << 16 | g << 8 | bl;
  }

  private static int scale(int rgb, double f) {
    return blend(rgb, 0, 1 - f);
  }

  /** {@code src} reduced to {@code w x h} by area averaging (AWT's), or itself at that size. */
  private static BufferedImage reduce(BufferedImage src, int w, int h) {
    if (src.getWidth() == w && src.getHeight() == h) {
      return src;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.drawImage(src.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    g.dispose();
    return out;
  }

  /** PNG bytes of an image (ImageIO). */
  static byte[] png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
