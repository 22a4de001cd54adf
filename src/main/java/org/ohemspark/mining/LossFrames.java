package org.ohemspark.mining;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.ImageRecords;
import org.ohemspark.source.ImageSource;
import org.ohemspark.source.StretchedImages;
import org.ohemspark.spark.HadoopConf;

/**
 * The loss pass: each executor decodes its images and runs the cross-entropy kernel, one
 * {@link LossRecord} per image (an input row may hold many images: {@link ImageSource#readAll}).
 * This is the only pass that reads logits; the caller persists its result, and every later pass
 * reads the cached records in place. A bad record becomes a bad {@link LossRecord} (its
 * {@code error} says why, its id is the input row's where the decoder did not know it); in
 * {@link BadRecordMode#FAILFAST} the partition ends there (the driver fails the job on it:
 * {@link LossPass}), in the other modes the pass goes on. A good record also says whether its
 * logits were stretched to another aspect ratio ({@link LossRecord#stretched}), counted from
 * the records like every other figure ({@link DatasetTotals}).
 */
public final class LossFrames {
  private LossFrames() {}

  /**
   * The input row's {@code image_id}, or null where it has none: a tar's row, or a row with no
   * schema (the batches of {@code --model-batch}, whose rows Spark hands out schemaless and
   * whose {@code getAs(name)} throws an unsupported-operation error, not an
   * {@link IllegalArgumentException}).
   */
  private static String idOf(Row input) {
    if (input == null || input.schema() == null
        || input.schema().getFieldIndex("image_id").isEmpty()) {
      return null;
    }
    return input.getAs("image_id");
  }

  /**
   * @param inputs rows of {@code reader.records}, already partitioned as wanted
   * @param reader decodes an input row into its images ({@link ImageSource#readAll})
   * @param classes declared class count or null
   * @param decoded counts the good images whose logits were decoded (every task attempt counts,
   *     so a value above the good image count means some logits were read more than once; a bad
   *     record is not counted, as the image count leaves it out)
   * @return the records, lazily (not persisted)
   */
  public static JavaRDD<LossRecord> compute(Dataset<Row> inputs, ImageSource reader,
      Broadcast<HadoopConf> conf, OhemParams params, LabelConvention convention,
      Integer classes, BadRecordMode mode, LongAccumulator decoded) {
    return reader.rdd(inputs).mapPartitions(rows -> {
      ImageLossComputer computer = new ImageLossComputer(params, convention, classes);
      Iterator<LossRecord> out = ImageRecords.map(rows, reader, conf.value(),
          r -> {
            LossRecord good = LossRecord.good(computer.compute(r), r.source(),
                StretchedImages.shapes(r));
            decoded.add(1); // good images only: the ratio's denominator is the good images
            return good;
          },
          (bad, input) -> {
            String id = bad.imageId() != null ? bad.imageId() : idOf(input);
            return LossRecord.bad(id, bad.source(), bad.reason());
          });
      return mode == BadRecordMode.FAILFAST ? throughFirstBad(out) : out;
    });
  }

  /**
   * The records up to and including the first bad one: in FAILFAST a task ends there and
   * returns the bad record ({@link LossPass} fails the job on it) instead of throwing, which
   * Spark would retry.
   */
  private static Iterator<LossRecord> throughFirstBad(Iterator<LossRecord> records) {
    return new Iterator<>() {
      private boolean stopped;

      @Override
      public boolean hasNext() {
        return !stopped && records.hasNext();
      }

      @Override
      public LossRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        LossRecord r = records.next();
        stopped = !r.isGood();
        return r;
      }
    };
  }
}
