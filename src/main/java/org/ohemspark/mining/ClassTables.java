package org.ohemspark.mining;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.ClassReport;

/**
 * The {@code classes/} and {@code confusion/} outputs as DataFrames, from a {@link ClassReport}
 * (O(C) and O(C^2) rows built on the driver from the merged states; no pixel is read here).
 *
 * <pre>
 * classes/, one row per class c in [0, C), by class_id:
 *   class_id       int     c
 *   class_name     string  from class_names, null where none
 *   n_valid        long    pixels labelled c
 *   n_predicted    long    valid pixels whose argmax is c
 *   n_correct      long    valid pixels labelled and predicted c
 *   iou            double  n_correct / (n_valid + n_predicted - n_correct), null when 0/0
 *   acc            double  n_correct / n_valid, null when n_valid = 0
 *   mean_loss      double  mean loss (nats) of the pixels labelled c, null when n_valid = 0
 *   n_kept         long    kept pixels labelled c
 *   kept_fraction  double  n_kept / n_valid, null when n_valid = 0
 *   kept_share     double  n_kept / all kept pixels, null when nothing is kept
 *
 * confusion/, one row per (label, predicted) pair of kept pixels, n_kept descending, then
 * label, predicted ascending:
 *   label, predicted            int     the pair
 *   label_name, predicted_name  string  their class names, null where none
 *   n_kept                      long    kept pixels with that label and prediction (>= 1)
 *   mean_loss                   double  their mean loss, nats
 * </pre>
 */
public final class ClassTables {
  private ClassTables() {}

  public static final StructType CLASSES_SCHEMA = new StructType()
      .add("class_id", DataTypes.IntegerType, false)
      .add("class_name", DataTypes.StringType, true)
      .add("n_valid", DataTypes.LongType, false)
      .add("n_predicted", DataTypes.LongType, false)
      .add("n_correct", DataTypes.LongType, false)
      .add("iou", DataTypes.DoubleType, true)
      .add("acc", DataTypes.DoubleType, true)
      .add("mean_loss", DataTypes.DoubleType, true)
      .add("n_kept", DataTypes.LongType, false)
      .add("kept_fraction", DataTypes.DoubleType, true)
      .add("kept_share", DataTypes.DoubleType, true);

  public static final StructType CONFUSION_SCHEMA = new StructType()
      .add("label", DataTypes.IntegerType, false)
      .add("label_name", DataTypes.StringType, true)
      .add("predicted", DataTypes.IntegerType, false)
      .add("predicted_name", DataTypes.StringType, true)
      .add("n_kept", DataTypes.LongType, false)
      .add("mean_loss", DataTypes.DoubleType, false);

  /** {@code classes/}: one row per class, by class id, in one partition. */
  public static Dataset<Row> classes(SparkSession spark, ClassReport report) {
    List<Row> rows = new ArrayList<>();
    for (ClassReport.ClassRow r : report.classes()) {
      rows.add(RowFactory.create(r.classId(), r.className(), r.nValid(), r.nPredicted(),
          r.nCorrect(), r.iou(), r.acc(), r.meanLoss(), r.nKept(), r.keptFraction(),
          r.keptShare()));
    }
    return spark.createDataFrame(rows, CLASSES_SCHEMA).coalesce(1);
  }

  /** {@code confusion/}: one row per pair of kept pixels, ranked, in one partition. */
  public static Dataset<Row> confusion(SparkSession spark, ClassReport report) {
    List<Row> rows = new ArrayList<>();
    for (ClassReport.ConfusionRow r : report.confusion()) {
      rows.add(RowFactory.create(r.label(), r.labelName(), r.predicted(), r.predictedName(),
          r.nKept(), r.meanLoss()));
    }
    return spark.createDataFrame(rows, CONFUSION_SCHEMA).coalesce(1);
  }
}
