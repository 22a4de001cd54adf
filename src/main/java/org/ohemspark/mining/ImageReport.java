package org.ohemspark.mining;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.CocoRle;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptPixels;
import org.ohemspark.core.OhemOutcome;
import org.ohemspark.spark.RowFrames;

/**
 * The {@code images/} output: one row per image.
 *
 * <pre>
 *   image_id        string
 *   height, width   int      the label mask's size (H, W)
 *   n_valid         long     pixels whose label is not ignore_index
 *   n_hard          long     valid pixels with loss &gt; -ln(thresh)
 *   n_kept          long     pixels of this image kept by the rule (the group's rule)
 *   mean_loss       double   mean loss of valid pixels (null if n_valid = 0)
 *   mean_kept_loss  double   mean loss of kept pixels (null if n_kept = 0)
 *   max_loss        double   largest valid loss (null if n_valid = 0)
 *   kept_loss_sum   double   sum of the kept pixels' losses, nats (0 if n_kept = 0)
 *   -- with --group-by image only:
 *   n_min           long     n_valid // factor
 *   used_topk       boolean  n_hard &lt; n_min
 *   kth_loss        double   smallest kept loss on the top-k branch, else null
 *   ohem_mean       double   this image's OHEM mean (null where PyTorch gives NaN)
 *   -- then, in both scopes:
 *   hard_mask       string   the kept pixels as COCO compressed RLE ({@link CocoRle}):
 *                            pycocotools.mask.decode({"size": [H, W], "counts": hard_mask})
 *   mask_height     int      H, the mask's first dimension (as COCO's "size")
 *   mask_width      int      W
 *   -- appended by {@link ImageRanks}:
 *   rank            long     1..n_images by kept_loss_sum descending, then image_id
 *                            ({@link org.ohemspark.core.ImageRanking})
 * </pre>
 */
public final class ImageReport {
  private ImageReport() {}

  /**
   * Estimated size on disk of a row's columns other than {@code hard_mask}, bytes, for
   * {@link org.ohemspark.output.OutputFiles} (Parquet, snappy): measured 46 (group_by dataset) and
   * 60 ({@code group_by image}, four more columns) with ids of 10 characters before
   * {@code kept_loss_sum}, {@code rank} and the mask's size; rounded up to leave room for those and
   * longer ids. {@link #rowBytes} adds the mask.
   */
  public static final long ROW_BYTES = 80;

  /**
   * Estimated bytes of {@code hard_mask} per kept pixel of its image. Re-measured with the mask
   * in ({@code ImagesRowBytesProbe}): 0.18 to 0.86 characters per kept pixel (the mask is
   * ASCII: a byte each, and snappy saves little) on the real folders of {@code shared/data/real}
   * (pan, cityscapes, ade20k, voc2012, camvid) and 0.41 on a synthetic dataset, both scopes;
   * rounded up to 1. A mask has at most {@code 2 * n_kept + 1} runs, so scattered single
   * pixels cost more (about 2 to 4 characters each): files then come out above the target.
   */
  public static final double MASK_BYTES_PER_KEPT_PIXEL = 1.0;

  /**
   * Estimated size of a row on disk, bytes, when {@code nImages} images keep {@code nKept}
   * pixels in all: {@code ROW_BYTES + ceil(MASK_BYTES_PER_KEPT_PIXEL * nKept / nImages)}.
   */
  public static long rowBytes(long nImages, long nKept) {
    return ROW_BYTES + (long) Math.ceil(MASK_BYTES_PER_KEPT_PIXEL * nKept
        / Math.max(1, nImages));
  }

  /** The columns before {@link ImageRanks} appends {@code rank}. */
  public static StructType schema(GroupBy groupBy) {
    StructType s = new StructType()
        .add("image_id", DataTypes.StringType, false)
        .add("height", DataTypes.IntegerType, false)
        .add("width", DataTypes.IntegerType, false)
        .add("n_valid", DataTypes.LongType, false)
        .add("n_hard", DataTypes.LongType, false)
        .add("n_kept", DataTypes.LongType, false)
        .add("mean_loss", DataTypes.DoubleType, true)
        .add("mean_kept_loss", DataTypes.DoubleType, true)
        .add("max_loss", DataTypes.DoubleType, true)
        .add("kept_loss_sum", DataTypes.DoubleType, false);
    if (groupBy == GroupBy.IMAGE) {
      s = s.add("n_min", DataTypes.LongType, false)
          .add("used_topk", DataTypes.BooleanType, false)
          .add("kth_loss", DataTypes.DoubleType, true)
          .add("ohem_mean", DataTypes.DoubleType, true);
    }
    return s.add("hard_mask", DataTypes.StringType, false)
        .add("mask_height", DataTypes.IntegerType, false)
        .add("mask_width", DataTypes.IntegerType, false);
  }

  /**
   * The rows ({@link #schema}) with {@code --group-by dataset} (lazily): each cached image with
   * the dataset's rule for it ({@link ImageKeepRule#pair}).
   */
  public static JavaRDD<Row> ofDataset(JavaPairRDD<ImageLosses, KeepRule> images,
      int ignoreIndex) {
    return images.map(e -> {
      ImageLosses img = e._1();
      int[] kept = KeptPixels.indices(img, e._2(), ignoreIndex);
      KeptPixels.Totals t = KeptPixels.totals(img, kept);
      return RowFactory.create(img.imageId(), img.height(), img.width(), img.nValid(),
          img.nHard(), t.count(), meanLoss(img), t.mean(), maxLoss(img), t.sum(),
          CocoRle.encode(img.height(), img.width(), kept), img.height(), img.width());
    });
  }

  /**
   * The rows with {@code --group-by image} (lazily): each cached image with its own outcome
   * ({@link ImageOutcomes#pairs}).
   */
  public static Dataset<Row> ofImages(SparkSession spark,
      JavaPairRDD<ImageLosses, OhemOutcome> images, int ignoreIndex) {
    return RowFrames.of(spark, images.map(e -> {
      ImageLosses img = e._1();
      OhemOutcome o = e._2();
      int[] kept = KeptPixels.indices(img, o.rule(), ignoreIndex);
      KeptPixels.Totals t = KeptPixels.totals(img, kept);
      return RowFactory.create(img.imageId(), img.height(), img.width(), img.nValid(),
          img.nHard(), t.count(), meanLoss(img), t.mean(), maxLoss(img), t.sum(), o.nMin(),
          o.usedTopk(), o.kthLoss(), o.mean(),
          CocoRle.encode(img.height(), img.width(), kept), img.height(), img.width());
    }), schema(GroupBy.IMAGE));
  }

  private static Double meanLoss(ImageLosses img) {
    return img.nValid() == 0 ? null : img.sumLoss() / img.nValid();
  }

  private static Double maxLoss(ImageLosses img) {
    return img.nValid() == 0 ? null : img.maxLoss();
  }
}
