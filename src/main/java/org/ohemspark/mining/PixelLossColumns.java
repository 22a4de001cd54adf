package org.ohemspark.mining;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;
import org.ohemspark.source.FrameShards;
import org.ohemspark.source.ShardSchema;
import org.ohemspark.spark.RowFrames;

/**
 * Each image row of a frame in the shard schema ({@link ShardSchema}) with its per-pixel
 * cross-entropy appended, computed on the executors by the job's kernel, one row at a time (a
 * task holds one image's arrays):
 *
 * <pre>
 *   losses     array&lt;double&gt;  [H*W] row-major (pixel y*W + x), nats, 0 where the label is
 *                               ignore_index: F.cross_entropy(..., reduction='none')
 *   n_valid    long           pixels whose label is not ignore_index
 *   mean_loss  double         mean of the valid losses, null when n_valid = 0
 * </pre>
 *
 * The rows keep every column they had, in order. No OHEM selection happens here: it is the
 * per-pixel step alone ({@code PixelCrossEntropy}).
 */
public final class PixelLossColumns {
  private PixelLossColumns() {}

  /** The columns appended, in order. */
  public static final List<String> NAMES = List.of("losses", "n_valid", "mean_loss");

  /**
   * The schema of the result: {@code in} and the three columns.
   *
   * @throws IllegalArgumentException when {@code in} already has one of them
   */
  public static StructType schema(StructType in) {
    for (String n : NAMES) {
      if (List.of(in.fieldNames()).contains(n)) {
        throw new IllegalArgumentException("the DataFrame already has a column '" + n
            + "', which the per-pixel losses would add: drop or rename it");
      }
    }
    return in.add("losses", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
        .add("n_valid", DataTypes.LongType, false)
        .add("mean_loss", DataTypes.DoubleType, true);
  }

  /**
   * {@code frame} with the three columns (lazily).
   *
   * @param frame in the shard schema, with its canonical column names
   * @throws IllegalArgumentException when the frame is not in the shard schema (naming the
   *     column), or already has a column of {@link #NAMES}; a bad row fails the Spark job
   *     that reads the result with a {@link BadRecordException} naming its image id
   */
  public static Dataset<Row> of(Dataset<Row> frame, OhemParams params) {
    try {
      ShardSchema.check(frame.schema(), FrameShards.SOURCE);
    } catch (BadRecordException e) {
      throw new IllegalArgumentException("the DataFrame is not in the shard schema: "
          + e.getMessage(), e);
    }
    StructType out = schema(frame.schema());
    return RowFrames.of(frame.sparkSession(), frame.javaRDD().mapPartitions(rows -> {
      ImageLossComputer kernel = new ImageLossComputer(params, LabelConvention.TRAIN_IDS, null);
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          ImageLosses img = kernel.compute(ShardSchema.toRecord(r, FrameShards.SOURCE));
          List<Object> v = new ArrayList<>(r.size() + 3);
          for (int i = 0; i < r.size(); i++) {
            v.add(r.get(i));
          }
          v.add(img.losses());
          v.add(img.nValid());
          v.add(img.nValid() == 0 ? null : img.sumLoss() / img.nValid());
          return RowFactory.create(v.toArray());
        }
      };
    }), out);
  }
}
