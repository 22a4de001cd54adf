package org.ohemspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.PredictedClasses;

/**
 * The worst images' thumbnails, pixel by pixel: a 4 x 512 image of 2 x 2 blocks (each block one
 * label, one prediction, kept or not) becomes 2 x 256 thumbnails, one pixel per block.
 */
class ThumbnailsTest {
  private static final int H = 4;
  private static final int W = 512;
  private static final int IGNORE = 255;

  private static int label(int y, int x) {
    int bx = x / 2;
    return bx % 7 == 0 ? IGNORE : (bx + y / 2) % 3;
  }

  private static int predicted(int y, int x) {
    return (x / 2 + y / 2) % 5;
  }

  private static boolean kept(int y, int x) {
    return label(y, x) != IGNORE && (x / 2) % 4 == 1;
  }

  private static ImageLosses image() {
    int[] labels = new int[H * W];
    int[] pred = new int[H * W];
    double[] losses = new double[H * W];
    long valid = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = y * W + x;
        labels[i] = label(y, x);
        pred[i] = predicted(y, x);
        losses[i] = labels[i] == IGNORE ? 0 : kept(y, x) ? 5.0 : 0.1;
        valid += labels[i] == IGNORE ? 0 : 1;
      }
    }
    return new ImageLosses("img", H, W, labels, PredictedClasses.of(5, pred), losses, valid, 0,
        0, 0, 5.0);
  }

  private static BufferedImage decode(byte[] png) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  @Test
  void nearestTakesTheSourcePixelUnderTheThumbnailPixelsCentre() {
    assertEquals(1, Thumbnails.nearest(0, 256, 512));
    assertEquals(511, Thumbnails.nearest(255, 256, 512));
    assertEquals(2, Thumbnails.nearest(0, 1, 5));
    for (int t = 0; t < 7; t++) {
      assertEquals(t, Thumbnails.nearest(t, 7, 7)); // same size: the identity
    }
    assertEquals(5, Thumbnails.nearest(2, 3, 6)); // floor(2.5 * 6 / 3)
  }

  @Test
  void masksArePaletteColoursAndThePictureMarksKeptPixels() throws IOException {
    Thumbnails.Set t = Thumbnails.of(image(), new KeepRule(1.0, 0), IGNORE, null);
    assertFalse(t.photo());
    BufferedImage labels = decode(t.labels());
    BufferedImage pred = decode(t.predicted());
    BufferedImage picture = decode(t.picture());
    for (BufferedImage b : new BufferedImage[] {labels, pred, picture}) {
      assertEquals(256, b.getWidth());
      assertEquals(2, b.getHeight());
    }
    int keptBlocks = 0;
    for (int ty = 0; ty < 2; ty++) {
      for (int tx = 0; tx < 256; tx++) {
        int y = 2 * ty;
        int x = 2 * tx; // every pixel of the block is alike
        int l = label(y, x);
        int colour = Palette.rgb(l == IGNORE ? -1 : l);
        assertEquals(colour, labels.getRGB(tx, ty) & 0xffffff, "label at " + tx + "," + ty);
        assertEquals(Palette.rgb(predicted(y, x)), pred.getRGB(tx, ty) & 0xffffff);
        int expected = kept(y, x) ? Thumbnails.blend(colour, Palette.KEPT, 0.75)
            : Thumbnails.blend(colour, 0, 1 - 0.55);
        keptBlocks += kept(y, x) ? 1 : 0;
        int got = picture.getRGB(tx, ty) & 0xffffff;
        for (int shift = 0; shift <= 16; shift += 8) { // area averaging of 4 equal pixels
          assertEquals((expected >> shift) & 0xff, (got >> shift) & 0xff, 1.0,
              "picture at " + tx + "," + ty);
        }
      }
    }
    assertTrue(keptBlocks > 100, "kept blocks " + keptBlocks);
  }

  @Test
  void blendMovesEachChannel() {
    // 0x102030 three quarters of the way to 0xff1fce: round(16*.25+255*.75) = 195, ...
    assertEquals(195 << 16 | 31 << 8 | 167, Thumbnails.blend(0x102030, 0xff1fce, 0.75));
    assertEquals(0x000000, Thumbnails.blend(0x102030, 0, 1.0));
  }
}
