package org.ohemspark.mining;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.PredictedClasses;

/**
 * The per-pixel loss column as a DataFrame ({@link OhemMiner.Result#lossFrame}): one row per
 * good image, whose pixels travel as two binary columns (no row per pixel), plus the per-image
 * figures of the first pass. The job itself passes the cached {@link LossRecord}s between its
 * passes; this is the same data for DataFrame users.
 *
 * <pre>
 *   image_id  string   not null
 *   height    int      H
 *   width     int      W
 *   n_valid   long     pixels whose label is not ignore_index
 *   n_hard    long     valid pixels with loss &gt; -ln(thresh)
 *   sum_hard  double   sum of their losses (nats)
 *   sum_loss  double   sum of valid losses (nats)
 *   max_loss  double   largest valid loss, null when n_valid = 0
 *   labels    binary   [H, W] int32 little-endian, row-major, after the label convention
 *   classes   int      C, the class count of the image's logits
 *   predicted binary   [H, W] int32 little-endian, row-major: each pixel's argmax class
 *   losses    binary   [H, W] float64 little-endian, row-major, nats, 0 where ignored
 *   source    string   file or shard the image came from
 * </pre>
 */
public final class LossFrame {
  private LossFrame() {}

  public static final StructType SCHEMA = new StructType()
      .add("image_id", DataTypes.StringType, false)
      .add("height", DataTypes.IntegerType, false)
      .add("width", DataTypes.IntegerType, false)
      .add("n_valid", DataTypes.LongType, false)
      .add("n_hard", DataTypes.LongType, false)
      .add("sum_hard", DataTypes.DoubleType, false)
      .add("sum_loss", DataTypes.DoubleType, false)
      .add("max_loss", DataTypes.DoubleType, true)
      .add("labels", DataTypes.BinaryType, false)
      .add("classes", DataTypes.IntegerType, false)
      .add("predicted", DataTypes.BinaryType, false)
      .add("losses", DataTypes.BinaryType, false)
      .add("source", DataTypes.StringType, true);

  /** Encodes one image's losses as a row of {@link #SCHEMA}. */
  public static Row toRow(ImageLosses img, String source) {
    ByteBuffer lab = ByteBuffer.allocate(img.pixels() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < img.pixels(); i++) {
      lab.putInt(img.label(i));
    }
    ByteBuffer pred = ByteBuffer.allocate(img.pixels() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < img.pixels(); i++) {
      pred.putInt(img.predicted(i));
    }
    ByteBuffer los = ByteBuffer.allocate(img.losses().length * 8).order(ByteOrder.LITTLE_ENDIAN);
    los.asDoubleBuffer().put(img.losses());
    return RowFactory.create(img.imageId(), img.height(), img.width(), img.nValid(), img.nHard(),
        img.sumHard(), img.sumLoss(), Double.isNaN(img.maxLoss()) ? null : img.maxLoss(),
        lab.array(), img.classes(), pred.array(), los.array(), source);
  }

  /** Decodes a row of {@link #SCHEMA} (or a projection holding all its columns). */
  public static ImageLosses fromRow(Row row) {
    byte[] lab = row.getAs("labels");
    byte[] los = row.getAs("losses");
    int[] labels = new int[lab.length / 4];
    ByteBuffer.wrap(lab).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(labels);
    byte[] pred = row.getAs("predicted");
    int[] predicted = new int[pred.length / 4];
    ByteBuffer.wrap(pred).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(predicted);
    double[] losses = new double[los.length / 8];
    ByteBuffer.wrap(los).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(losses);
    Object max = row.getAs("max_loss");
    return new ImageLosses(row.getAs("image_id"), row.<Integer>getAs("height"),
        row.<Integer>getAs("width"), labels,
        PredictedClasses.of(row.<Integer>getAs("classes"), predicted), losses,
        row.<Long>getAs("n_valid"),
        row.<Long>getAs("n_hard"), row.<Double>getAs("sum_hard"),
        row.<Double>getAs("sum_loss"), max == null ? Double.NaN : (Double) max);
  }
}
