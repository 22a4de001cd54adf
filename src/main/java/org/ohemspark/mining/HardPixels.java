package org.ohemspark.mining;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptPixels;
import org.ohemspark.spark.RowFrames;

/**
 * The {@code hard_pixels/} output: one row per kept pixel, ignored pixels never.
 *
 * <pre>
 *   image_id     string
 *   pixel_index  long    y * W + x in the label mask
 *   y, x         int     row and column in the label mask
 *   label        int     the label (after the label convention)
 *   predicted    int     the pixel's predicted class: argmax of its logits, ties to the lowest
 *   loss         double  the pixel's cross-entropy, nats
 * </pre>
 */
public final class HardPixels {
  private HardPixels() {}

  public static final StructType SCHEMA = new StructType()
      .add("image_id", DataTypes.StringType, false)
      .add("pixel_index", DataTypes.LongType, false)
      .add("y", DataTypes.IntegerType, false)
      .add("x", DataTypes.IntegerType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("predicted", DataTypes.IntegerType, false)
      .add("loss", DataTypes.DoubleType, false);

  /**
   * Estimated size of a row on disk, bytes, for {@link org.ohemspark.output.OutputFiles} (Parquet,
   * snappy, as the job writes it): {@code loss} 8 (no dictionary), {@code pixel_index} about 4
   * (increasing within an image), {@code y}, {@code x}, {@code label}, {@code predicted} and
   * {@code image_id} about 2 together (dictionary and run-length encoded). Measured 12.3 to 13.6
   * bytes on synthetic, CamVid and ADE20K outputs before {@code predicted} (a column of few
   * distinct values, mostly equal to {@code label}); rounded up, so that files stay under their
   * target.
   */
  public static final long ROW_BYTES = 16;

  /**
   * Emits (lazily) the kept pixels of every cached image under its rule
   * ({@link ImageKeepRule#pair} or {@link ImageOutcomes#rules}).
   */
  public static Dataset<Row> of(SparkSession spark, JavaPairRDD<ImageLosses, KeepRule> images,
      int ignoreIndex) {
    return RowFrames.of(spark, images.flatMap(e -> {
      ImageLosses img = e._1();
      int w = img.width();
      String id = img.imageId();
      double[] losses = img.losses();
      int[] kept = KeptPixels.indices(img, e._2(), ignoreIndex);
      return new Iterator<Row>() { // one row at a time: no list of rows per image
        private int j;

        @Override
        public boolean hasNext() {
          return j < kept.length;
        }

        @Override
        public Row next() {
          if (j >= kept.length) {
            throw new NoSuchElementException();
          }
          int i = kept[j++];
          return RowFactory.create(id, (long) i, i / w, i % w, img.label(i), img.predicted(i),
              losses[i]);
        }
      };
    }), SCHEMA);
  }
}
