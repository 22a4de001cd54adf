package org.ohemspark.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptLabelMask;
import org.ohemspark.core.KeptPixels;
import org.ohemspark.io.LabelPngWriter;
import org.ohemspark.spark.HadoopConf;

/**
 * The {@code masks/} output of {@code --masks png}: one grey PNG per image,
 * {@code masks/<image_id>.png}, of the label mask's size, 0 where the pixel is not kept and
 * {@code 1 + label} where it is ({@link KeptLabelMask}); 8-bit when the image's {@code C <= 254},
 * else 16-bit. FiftyOne's {@code Segmentation(mask_path=...)} and CVAT read these.
 *
 * <p>Written by the executors, one image at a time (memory: one {@code int} per pixel and the
 * PNG's bytes), straight into the job's staged output: a failed job leaves nothing. A retried
 * task writes the same bytes again over its files.
 *
 * <p>File names: the id as it is, so {@code masks/<image_id>.png} is found from the id alone. An
 * id with {@code /} (a WebDataset key such as {@code train/0001}, a shard's id column) becomes
 * sub-folders ({@code masks/train/0001.png}). Ids that are no safe relative path are refused
 * ({@link #relativePath}).
 */
public final class MaskPngs {
  private MaskPngs() {}

  /**
   * The file of {@code imageId} under {@code masks/}: {@code <image_id>.png}.
   *
   * @throws BadRecordException naming the id when it is empty, starts or ends with {@code /},
   *     has an empty, {@code .} or {@code ..} segment, or holds a {@code \}, a {@code :} (a
   *     Hadoop path would read it as a scheme) or a control character
   */
  public static String relativePath(String imageId) {
    String why = null;
    if (imageId == null || imageId.isEmpty()) {
      why = "it is empty";
    } else {
      for (int i = 0; i < imageId.length() && why == null; i++) {
        char c = imageId.charAt(i);
        if (c == '\\' || c == ':' || Character.isISOControl(c)) {
          why = "it holds " + (Character.isISOControl(c) ? "a control character"
              : "'" + c + "'");
        }
      }
      for (String seg : imageId.split("/", -1)) {
        if (why == null && (seg.isEmpty() || seg.equals(".") || seg.equals(".."))) {
          why = "a path segment is '" + seg + "'";
        }
      }
    }
    if (why != null) {
      throw new BadRecordException(null, imageId, "--masks png: the image id is no safe file "
          + "name for masks/<image_id>.png (" + why + "); rename the image or run without "
          + "--masks png (images/' hard_mask holds the same mask)");
    }
    return imageId + ".png";
  }

  /**
   * Writes each image's mask PNG under {@code dir} (a Hadoop path), now.
   *
   * @param images the cached images with their keep rules (the pairs of {@code hard_pixels/})
   * @return the files written
   * @throws BadRecordException (from the tasks) for an id {@link #relativePath} refuses
   */
  public static long write(JavaPairRDD<ImageLosses, KeepRule> images, int ignoreIndex,
      Broadcast<HadoopConf> conf, String dir) {
    return images.map(e -> {
      ImageLosses img = e._1();
      String file = dir + "/" + relativePath(img.imageId());
      int[] values = KeptLabelMask.of(img, KeptPixels.indices(img, e._2(), ignoreIndex));
      int bits;
      try {
        bits = KeptLabelMask.bitDepth(img.classes());
      } catch (IllegalArgumentException x) {
        throw new BadRecordException(null, img.imageId(), "--masks png: " + x.getMessage());
      }
      byte[] png = bits == 8 ? LabelPngWriter.grey8(values, img.height(), img.width())
          : LabelPngWriter.grey16(values, img.height(), img.width());
      try {
        conf.value().writeAll(file, png);
      } catch (IOException x) {
        throw new UncheckedIOException("cannot write " + file, x);
      }
      return 1L;
    }).fold(0L, Long::sum);
  }
}
