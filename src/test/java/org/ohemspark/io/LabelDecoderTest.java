package org.ohemspark.io;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.testing.NpyBytes;

class LabelDecoderTest {

  private static byte[] png(BufferedImage img) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, "png", out), "no PNG writer for " + img);
    return out.toByteArray();
  }

  private static BufferedImage fill(BufferedImage img, int[] values) {
    img.getRaster().setSamples(0, 0, img.getWidth(), img.getHeight(), 0, values);
    return img;
  }

  /** PNG colour type (byte 25 of the file: IHDR's colour type) and bit depth (byte 24). */
  private static int colourType(byte[] png) {
    return png[25];
  }

  private static int bitDepth(byte[] png) {
    return png[24];
  }

  @Test
  void eightBitGrey() throws IOException {
    int[] v = {0, 1, 2, 3, 18, 19, 128, 254, 255, 7, 11, 0};
    byte[] png = png(fill(new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY), v));
    assertEquals(0, colourType(png));
    assertEquals(8, bitDepth(png));
    LabelDecoder.Mask m = LabelDecoder.decode("a/mask.png", "id", png);
    assertEquals(3, m.height());
    assertEquals(4, m.width());
    assertArrayEquals(v, m.values());
  }

  @Test
  void sixteenBitGreyKeepsValuesAbove255() throws IOException {
    int[] v = {300, 1000, 0, 65535, 255, 256};
    byte[] png = png(fill(new BufferedImage(3, 2, BufferedImage.TYPE_USHORT_GRAY), v));
    assertEquals(0, colourType(png));
    assertEquals(16, bitDepth(png));
    LabelDecoder.Mask m = LabelDecoder.decode("m.PNG", "id", png);
    assertEquals(2, m.height());
    assertEquals(3, m.width());
    assertArrayEquals(v, m.values());
  }

  @Test
  void paletteGivesTheIndexNotTheColour() throws IOException {
    // VOC-like palette: index i has a colour unlike i
    byte[] r = {0, (byte) 128, 0, (byte) 128, 0, (byte) 200};
    byte[] g = {0, 0, (byte) 128, (byte) 128, 0, 10};
    byte[] b = {0, 0, 0, 0, (byte) 128, 77};
    IndexColorModel cm = new IndexColorModel(8, 6, r, g, b);
    int[] v = {0, 1, 2, 3, 4, 5, 1, 1, 2, 0};
    byte[] png = png(fill(new BufferedImage(5, 2, BufferedImage.TYPE_BYTE_INDEXED, cm), v));
    assertEquals(3, colourType(png), "palette PNG");
    LabelDecoder.Mask m = LabelDecoder.decode("voc.png", "id", png);
    assertArrayEquals(v, m.values());
    assertEquals(2, m.height());
    assertEquals(5, m.width());
  }

  @Test
  void fourBitPalette() throws IOException {
    byte[] r = new byte[16];
    byte[] g = new byte[16];
    byte[] b = new byte[16];
    for (int i = 0; i < 16; i++) {
      r[i] = (byte) (255 - 13 * i);
      g[i] = (byte) (40 * i % 256);
      b[i] = (byte) (7 * i + 100);
    }
    IndexColorModel cm = new IndexColorModel(4, 16, r, g, b);
    int[] v = new int[7 * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i * 5) % 16;
    }
    byte[] png = png(fill(new BufferedImage(7, 3, BufferedImage.TYPE_BYTE_BINARY, cm), v));
    assertEquals(3, colourType(png), "palette PNG");
    assertEquals(4, bitDepth(png));
    assertArrayEquals(v, LabelDecoder.decode("p4.png", "id", png).values());
  }

  @Test
  void rgbIsRejectedAsColour() throws IOException {
    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
        BufferedImage.TYPE_3BYTE_BGR}) {
      BufferedImage img = new BufferedImage(3, 3, type);
      img.setRGB(1, 1, 0x800000);
      byte[] png = png(img);
      BadRecordException e = assertThrows(BadRecordException.class,
          () -> LabelDecoder.decode("rgb.png", "img5", png));
      assertTrue(e.getMessage().contains("colour"), e.getMessage());
      assertTrue(e.getMessage().contains("rgb.png") && e.getMessage().contains("img5"),
          e.getMessage());
    }
  }

  @Test
  void greyAlphaIsRejected() throws IOException {
    ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true,
        false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(2, 2);
    BufferedImage img = new BufferedImage(cm, raster, false, null);
    byte[] png = png(img);
    assertEquals(4, colourType(png), "grey+alpha PNG");
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> LabelDecoder.decode("ga.png", "id", png));
    assertTrue(e.getMessage().contains("alpha"), e.getMessage());
  }

  @Test
  void truncatedPngThrows() throws IOException {
    Random rnd = new Random(3);
    int[] v = new int[64 * 64];
    for (int i = 0; i < v.length; i++) {
      v[i] = rnd.nextInt(256); // noise: the data does not compress, IDAT fills the file
    }
    byte[] png = png(fill(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY), v));
    assertArrayEquals(v, LabelDecoder.decode("full.png", "id", png).values());
    // (cutting only IEND and the last CRC/Adler-32 bytes leaves every pixel decodable, and
    // ImageIO then reads the full image: that is not asserted either way)
    for (int len : new int[] {png.length / 2, png.length - 40, png.length / 4, 30, 8}) {
      byte[] cut = Arrays.copyOf(png, len);
      BadRecordException e = assertThrows(BadRecordException.class,
          () -> LabelDecoder.decode("cut.png", "id9", cut), "length " + len);
      assertEquals("cut.png", e.source());
      assertEquals("id9", e.imageId());
    }
  }

  @Test
  void notAnImageThrows() {
    assertThrows(BadRecordException.class, () -> LabelDecoder.decode("x.png", "id",
        "hello, not a png".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertThrows(BadRecordException.class, () -> LabelDecoder.decode("x.png", "id",
        new byte[0]));
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> LabelDecoder.decode("x.jpg", "id", new byte[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("x.jpg"), e.getMessage());
  }

  @Test
  void npyLabelsGoThroughNpyArray() {
    byte[] npy = NpyBytes.file("<i8", false, new long[] {2, 3},
        NpyBytes.longs(LITTLE_ENDIAN, 0, 1, 255, 300, 2, 5));
    LabelDecoder.Mask m = LabelDecoder.decode("d/0007.npy", "0007", npy);
    assertEquals(2, m.height());
    assertEquals(3, m.width());
    assertArrayEquals(new int[] {0, 1, 255, 300, 2, 5}, m.values());
    LabelDecoder.Mask u = LabelDecoder.decode("D/0007.NPY", "0007", NpyBytes.file("|u1", false,
        new long[] {1, 1, 2}, NpyBytes.bytes(9, 255)));
    assertArrayEquals(new int[] {9, 255}, u.values());
    assertEquals(1, u.height());
    // npy errors are BadRecordExceptions naming the file
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> LabelDecoder.decode("d/f.npy", "f", NpyBytes.file("<f4", false,
            new long[] {1, 2}, NpyBytes.floats(LITTLE_ENDIAN, 1, 2))));
    assertTrue(e.getMessage().contains("d/f.npy"), e.getMessage());
  }
}
