package org.ohemspark.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeptPixels;

/**
 * The {@code hard_pixels/} output: one row per kept pixel, ignored pixels never.
 *
 * <pre>
 *   image_id     string
 *   pixel_index  long    y * W + x in the label mask
 *   y, x         int     row and column in the label mask
 *   label        int     the label (after the label convention)
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
      .add("loss", DataTypes.DoubleType, false);

  /** Emits (lazily) the kept pixels of every cached image. */
  public static Dataset<Row> of(SparkSession spark, JavaRDD<ImageLosses> images,
      ImageKeepRule keep, int ignoreIndex) {
    return RowFrames.of(spark, images.flatMap(img -> {
      int w = img.width();
      String id = img.imageId();
      double[] losses = img.losses();
      int[] kept = KeptPixels.indices(img, keep.forImage(img), ignoreIndex);
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
          return RowFactory.create(id, (long) i, i / w, i % w, img.label(i), losses[i]);
        }
      };
    }), SCHEMA);
  }
}
