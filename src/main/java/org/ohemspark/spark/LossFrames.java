package org.ohemspark.spark;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.Encoders;
import org.apache.spark.util.LongAccumulator;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;

/**
 * Builds the {@link LossFrame} from input rows: each executor decodes its images and runs the
 * cross-entropy kernel, one output row per image. This is the only pass that reads logits.
 */
public final class LossFrames {
  private LossFrames() {}

  /**
   * @param inputs one row per image, already partitioned as wanted
   * @param reader decodes an input row ({@link ImageSource#read})
   * @param classes declared class count or null
   * @param decoded counts the images whose logits were decoded (every task attempt counts, so a
   *     value above the image count means some logits were read more than once)
   */
  public static Dataset<Row> compute(Dataset<Row> inputs, ImageSource reader,
      Broadcast<HadoopConf> conf, OhemParams params, LabelConvention convention,
      Integer classes, LongAccumulator decoded) {
    MapPartitionsFunction<Row, Row> fn = rows -> {
      ImageLossComputer computer = new ImageLossComputer(params, convention, classes);
      HadoopConf hc = conf.value();
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = LossFrame.toRow(computer.compute(reader.read(rows.next(), hc)));
          decoded.add(1);
          return r;
        }
      };
    };
    return inputs.mapPartitions(fn, Encoders.row(LossFrame.SCHEMA));
  }
}
