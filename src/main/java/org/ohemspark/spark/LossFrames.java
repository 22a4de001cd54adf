package org.ohemspark.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;

/**
 * The loss pass: each executor decodes its images and runs the cross-entropy kernel, one
 * {@link LossRecord} per image (an input row may hold many images: {@link ImageSource#readAll}).
 * This is the only pass that reads logits; the caller persists its result, and every later pass
 * reads the cached records in place. A bad record fails the task in
 * {@link BadRecordMode#FAILFAST}; in the other modes it becomes a bad {@link LossRecord} (its
 * {@code error} says why) and the pass goes on. A good record also says whether its logits
 * were stretched to another aspect ratio ({@link LossRecord#stretched}), counted from the
 * records like every other figure ({@link DatasetTotals}).
 */
public final class LossFrames {
  private LossFrames() {}

  private static String idOf(Row input) {
    if (input == null) {
      return null;
    }
    try {
      return input.getAs("image_id");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * @param inputs rows of {@code reader.records}, already partitioned as wanted
   * @param reader decodes an input row into its images ({@link ImageSource#readAll})
   * @param classes declared class count or null
   * @param decoded counts the images whose logits were decoded (every task attempt counts, so a
   *     value above the image count means some logits were read more than once)
   * @return the records, lazily (not persisted)
   */
  public static JavaRDD<LossRecord> compute(Dataset<Row> inputs, ImageSource reader,
      Broadcast<HadoopConf> conf, OhemParams params, LabelConvention convention,
      Integer classes, BadRecordMode mode, LongAccumulator decoded) {
    return inputs.javaRDD().mapPartitions(rows -> {
      ImageLossComputer computer = new ImageLossComputer(params, convention, classes);
      return ImageRecords.map(rows, reader, conf.value(),
          r -> {
            decoded.add(1);
            return LossRecord.good(computer.compute(r), r.source(),
                StretchedImages.shapes(r));
          },
          (bad, input) -> {
            if (mode == BadRecordMode.FAILFAST) {
              throw bad;
            }
            String id = bad.imageId() != null ? bad.imageId() : idOf(input);
            return LossRecord.bad(id, bad.source(), bad.reason());
          });
    });
  }
}
