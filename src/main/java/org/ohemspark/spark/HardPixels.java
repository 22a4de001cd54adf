package org.ohemspark.spark;

import java.util.ArrayList;
import java.util.List;
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
      List<Row> out = new ArrayList<>((int) Math.min(img.nValid(), 2 * img.nHard() + 64));
      KeptPixels.forEach(img, keep.forImage(img), ignoreIndex, (i, label, loss) ->
          out.add(RowFactory.create(id, (long) i, i / w, i % w, label, loss)));
      return out.iterator();
    }), SCHEMA);
  }
}
