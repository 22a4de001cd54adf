package org.ohemspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.io.ImageDecoder.RgbImage;
import org.ohemspark.testing.Pngs;

/**
 * Every colour model against an independent reading: {@code getRGB} per pixel of the image
 * ImageIO decodes (8-bit cases), or the stored samples scaled by hand (16-bit, 2-bit).
 */
class ImageDecoderTest {
  private static final int H = 5;
  private static final int W = 7;

  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out), format);
    return out.toByteArray();
  }

  private static BufferedImage random(int type) {
    BufferedImage img = new BufferedImage(W, H, type);
    Random r = new Random(type);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        img.setRGB(x, y, r.nextInt());
      }
    }
    return img;
  }

  /**
   * The decoded planes equal getRGB's colours of the image ImageIO reads back (colour images),
   * or its grey sample in all three planes (grey images: getRGB would convert linear grey to
   * sRGB, where PIL's and OpenCV's grey-to-RGB repeat the value).
   */
  private static void assertLikeGetRgb(byte[] bytes) throws IOException {
    BufferedImage ref = ImageIO.read(new ByteArrayInputStream(bytes));
    boolean grey = ref.getType() == BufferedImage.TYPE_BYTE_GRAY;
    RgbImage d = ImageDecoder.decode("f", "id", bytes);
    assertEquals(ref.getHeight(), d.height());
    assertEquals(ref.getWidth(), d.width());
    int n = d.height() * d.width();
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        int g = grey ? ref.getRaster().getSample(x, y, 0) : 0;
        int rgb = grey ? g << 16 | g << 8 | g : ref.getRGB(x, y);
        int i = y * d.width() + x;
        assertEquals((rgb >> 16) & 0xff, d.planes()[i], "red " + x + "," + y);
        assertEquals((rgb >> 8) & 0xff, d.planes()[n + i], "green " + x + "," + y);
        assertEquals(rgb & 0xff, d.planes()[2 * n + i], "blue " + x + "," + y);
      }
    }
  }

  @Test
  void rgbRgbaGreyPaletteAndJpegMatchGetRgb() throws IOException {
    assertLikeGetRgb(encode(random(BufferedImage.TYPE_INT_RGB), "png"));
    assertLikeGetRgb(encode(random(BufferedImage.TYPE_4BYTE_ABGR), "png"));
    BufferedImage grey = random(BufferedImage.TYPE_BYTE_GRAY);
    assertLikeGetRgb(encode(grey, "png"));
    RgbImage g = ImageDecoder.decode("g.png", "id", encode(grey, "png"));
    assertEquals(grey.getRaster().getSample(3, 2, 0), g.planes()[2 * W + 3]);
    assertLikeGetRgb(encode(random(BufferedImage.TYPE_INT_RGB), "jpg"));
    assertLikeGetRgb(encode(random(BufferedImage.TYPE_BYTE_GRAY), "jpg"));
    int[] idx = new int[H * W];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = (i * 37) % 256;
    }
    assertLikeGetRgb(Pngs.palette(H, W, idx));
  }

  @Test
  void sixteenBitSamplesAreDividedBy257() throws IOException {
    int[] grey = new int[H * W];
    for (int i = 0; i < grey.length; i++) {
      grey[i] = i * 1871;
    }
    RgbImage g = ImageDecoder.decode("g16.png", "id", Pngs.grey16(H, W, grey));
    for (int i = 0; i < grey.length; i++) {
      for (int c = 0; c < 3; c++) {
        assertEquals((float) (grey[i] * (255.0 / 65535)), g.planes()[c * grey.length + i]);
      }
    }
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(W, H);
    int[][] s = new int[3][H * W];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < H * W; i++) {
        s[c][i] = (i * 997 + c * 30011) % 65536;
      }
      raster.setSamples(0, 0, W, H, c, s[c]);
    }
    byte[] png = encode(new BufferedImage(cm, raster, false, null), "png");
    RgbImage d = ImageDecoder.decode("rgb16.png", "id", png);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < H * W; i++) {
        assertEquals((float) (s[c][i] / 257.0), d.planes()[c * H * W + i]);
      }
    }
    // a 16-bit copy of an 8-bit image (v * 257) gives the 8-bit values exactly
    assertEquals(200f, ImageDecoder.decode("g", "id", Pngs.grey16(1, 1, new int[] {200 * 257}))
        .planes()[0]);
  }

  @Test
  void twoBitGreyIsScaledToTheEightBitRange() throws IOException {
    byte[] lut = {0, 85, (byte) 170, (byte) 255};
    BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY,
        new IndexColorModel(2, 4, lut, lut, lut));
    img.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 1, 2, 3});
    RgbImage d = ImageDecoder.decode("g2.png", "id", encode(img, "png"));
    assertEquals("[0.0, 85.0, 170.0, 255.0]", Arrays.toString(Arrays.copyOf(d.planes(), 4)));
  }

  @Test
  void badImagesAreNamed() throws IOException {
    BadRecordException notImage = assertThrows(BadRecordException.class,
        () -> ImageDecoder.decode("images/a.png", "a", "hello".getBytes()));
    assertEquals("bad record image_id='a' source=images/a.png: not a readable image (expected "
        + "PNG or JPEG, 5 bytes)", notImage.getMessage());
    byte[] png = encode(random(BufferedImage.TYPE_INT_RGB), "png");
    BadRecordException truncated = assertThrows(BadRecordException.class,
        () -> ImageDecoder.decode("images/b.png", "b", Arrays.copyOf(png, png.length / 2)));
    assertTrue(truncated.getMessage().startsWith("bad record image_id='b' source=images/b.png:"
        + " corrupt or truncated image"), truncated.getMessage());
  }
}
