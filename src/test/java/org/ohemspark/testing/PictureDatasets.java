package org.ohemspark.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.io.LabelPngWriter;
import org.ohemspark.io.NpyWriter;

/**
 * A dataset directory with pictures, for the report's tests: {@code logits/<id>.npy} and
 * {@code labels/<id>.png} from {@link SyntheticImage} (what {@code ohem-generate} writes), and
 * beside them {@code images/<id>.png}, a picture of each label mask (each class a colour of its
 * own, shaded across the image, with noise), so thumbnails are real decoded pictures.
 */
public final class PictureDatasets {
  private PictureDatasets() {}

  /**
   * Writes {@code n} images of {@code h x w} pixels and {@code classes} classes into
   * {@code dir} (ids {@code img-000}, {@code img-001}...), with a {@code dataset.json} naming the
   * classes by {@code names} (may be null: no names).
   */
  public static Path write(Path dir, int n, int h, int w, int classes, String[] names)
      throws IOException {
    Files.createDirectories(dir.resolve("logits"));
    Files.createDirectories(dir.resolve("labels"));
    Files.createDirectories(dir.resolve("images"));
    SyntheticImage.Spec spec = new SyntheticImage.Spec(classes, h, w, 1,
        SyntheticImage.Spec.DEFAULT_MARGIN, 7);
    for (int i = 0; i < n; i++) {
      SyntheticImage img = SyntheticImage.generate(spec, i);
      String id = String.format(java.util.Locale.ROOT, "img-%03d", i);
      Files.write(dir.resolve("logits/" + id + ".npy"), NpyWriter.floats(img.logits(), false,
          classes, h, w));
      Files.write(dir.resolve("labels/" + id + ".png"), LabelPngWriter.grey8(img.labels(), h,
          w));
      ImageIO.write(picture(img.labels(), h, w, i), "png",
          dir.resolve("images/" + id + ".png").toFile());
    }
    StringBuilder json = new StringBuilder("{\"classes\": " + classes);
    if (names != null) {
      json.append(", \"class_names\": [");
      for (int c = 0; c < names.length; c++) {
        json.append(c == 0 ? "" : ", ").append('"').append(names[c].replace("\\", "\\\\")
            .replace("\"", "\\\"")).append('"');
      }
      json.append(']');
    }
    Files.writeString(dir.resolve("dataset.json"), json.append("}\n").toString());
    return dir;
  }

  /** A picture of a label mask: a muted colour per class, a vertical light gradient, noise. */
  static BufferedImage picture(int[] labels, int h, int w, long seed) {
    Random rnd = new Random(seed);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      double light = 0.75 + 0.35 * (1 - (double) y / h);
      for (int x = 0; x < w; x++) {
        int l = labels[y * w + x];
        int base = l == SyntheticImage.IGNORE ? 0x404040 : TONES[l % TONES.length];
        double f = light * (0.92 + 0.16 * rnd.nextDouble());
        int r = clamp(((base >> 16) & 0xff) * f);
        int g = clamp(((base >> 8) & 0xff) * f);
        int b = clamp((base & 0xff) * f);
        out.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return out;
  }

  private static final int[] TONES = {0x6b8e23, 0x87a8c8, 0x8b6b4a, 0xb0b0a8, 0x4f6f4f,
      0xc8a070, 0x70708a, 0xa05040, 0x507080, 0x909060};

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }
}
