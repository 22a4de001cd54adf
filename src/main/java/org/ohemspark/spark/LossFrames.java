package org.ohemspark.spark;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.Encoders;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;

/**
 * Builds the {@link LossFrame} from input rows: each executor decodes its images and runs the
 * cross-entropy kernel, one output row per image. This is the only pass that reads logits.
 * A bad record fails the task in {@link BadRecordMode#FAILFAST}; in the other modes it becomes
 * an error row (its {@code error} column says why) and the pass goes on.
 */
public final class LossFrames {
  private LossFrames() {}

  private static String idOf(Row input) {
    try {
      return input.getAs("image_id");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * @param inputs one row per image, already partitioned as wanted
   * @param reader decodes an input row ({@link ImageSource#read})
   * @param classes declared class count or null
   */
  public static Dataset<Row> compute(Dataset<Row> inputs, ImageSource reader,
      Broadcast<HadoopConf> conf, OhemParams params, LabelConvention convention,
      Integer classes, BadRecordMode mode) {
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
          Row input = rows.next();
          try {
            ImageRecord r = reader.read(input, hc);
            return LossFrame.toRow(computer.compute(r), r.source());
          } catch (BadRecordException e) {
            if (mode == BadRecordMode.FAILFAST) {
              throw e;
            }
            String id = e.imageId() != null ? e.imageId() : idOf(input);
            return LossFrame.errorRow(id, e.source(), e.reason());
          }
        }
      };
    };
    return inputs.mapPartitions(fn, Encoders.row(LossFrame.SCHEMA));
  }
}
