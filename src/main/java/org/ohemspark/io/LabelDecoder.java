package org.ohemspark.io;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.ohemspark.core.BadRecordException;

/**
 * Decodes a label mask file into stored label values {@code [H, W]}, row-major.
 *
 * <ul>
 *   <li>PNG, read with ImageIO's raster (never {@code getRGB}): 8-bit (or 1/2/4-bit) grey gives
 *       the grey value, 16-bit grey the 16-bit value, a palette (mode P) PNG the palette
 *       index, never the colour. Colour (RGB/RGBA) and grey+alpha PNGs are rejected: a label
 *       must be one value per pixel.</li>
 *   <li>{@code .npy}: {@code [H, W]} of any integer type ({@link NpyArray#asLabels}).</li>
 * </ul>
 *
 * The label convention is applied afterwards ({@link org.ohemspark.core.LabelConvention}).
 */
public final class LabelDecoder {
  private LabelDecoder() {}

  /** Decoded stored values and the mask's size. */
  public record Mask(int height, int width, int[] values) {}

  /**
   * Decodes by file extension ({@code .png} or {@code .npy}, case-insensitive).
   *
   * @param source file name, for messages and to choose the format
   * @throws BadRecordException if the file is corrupt, truncated, of another format, or not a
   *     one-band label image
   */
  public static Mask decode(String source, String imageId, byte[] bytes) {
    String lower = source.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".npy")) {
      int[] dims = new int[2];
      int[] v = NpyArray.parse(source, bytes).asLabels(imageId, dims);
      return new Mask(dims[0], dims[1], v);
    }
    if (lower.endsWith(".png")) {
      return decodePng(source, imageId, bytes);
    }
    throw new BadRecordException(source, imageId, "labels must be .png or .npy");
  }

  /**
   * Decodes a PNG label mask.
   *
   * @throws BadRecordException as {@link #decode}
   */
  public static Mask decodePng(String source, String imageId, byte[] bytes) {
    BufferedImage img;
    try {
      img = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new BadRecordException(source, imageId, "corrupt or truncated PNG: " + e.getMessage(),
          e);
    }
    if (img == null) {
      throw new BadRecordException(source, imageId, "not a readable PNG image");
    }
    Raster raster = img.getRaster();
    ColorModel cm = img.getColorModel();
    int bands = raster.getNumBands();
    if (bands != 1) {
      String what = bands == 2 ? "grey+alpha" : bands == 3 ? "RGB colour" : "RGBA colour";
      throw new BadRecordException(source, imageId, "label PNG is " + what + " (" + bands
          + " bands); expected 8/16-bit grey or a palette PNG whose index is the label");
    }
    if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType()
        != java.awt.color.ColorSpace.TYPE_GRAY) {
      throw new BadRecordException(source, imageId, "label PNG has an unsupported colour model "
          + cm);
    }
    int h = img.getHeight();
    int w = img.getWidth();
    int[] v = raster.getSamples(0, 0, w, h, 0, new int[Math.multiplyExact(w, h)]);
    return new Mask(h, w, v);
  }
}
