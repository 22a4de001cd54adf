package org.ohemspark.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.Logits;

/**
 * The array-column variant of the shard row (not the canonical one): logits as
 * {@code array<smallint>} (float16 bits), {@code array<float>} or {@code array<double>}, labels
 * as {@code array<int>}. For the test that both read alike and for the read benchmark.
 */
public final class ArrayShards {
  private ArrayShards() {}

  /** The schema with logits of {@code dtype}. */
  public static StructType schema(DenseLogits.DType dtype) {
    DataType e = switch (dtype) {
      case FLOAT16 -> DataTypes.ShortType;
      case FLOAT32 -> DataTypes.FloatType;
      case FLOAT64 -> DataTypes.DoubleType;
    };
    return new StructType()
        .add("image_id", DataTypes.StringType, false)
        .add("height", DataTypes.IntegerType, false)
        .add("width", DataTypes.IntegerType, false)
        .add("classes", DataTypes.IntegerType, false)
        .add("logits_height", DataTypes.IntegerType, false)
        .add("logits_width", DataTypes.IntegerType, false)
        .add("logits", DataTypes.createArrayType(e, false), false)
        .add("labels", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
  }

  /**
   * A record as a row of {@link #schema}: float16 keeps its bits (the record's logits must then
   * be float16), float32 and float64 take the values (exact for float64).
   */
  public static Row toRow(ImageRecord r, DenseLogits.DType dtype) {
    Logits l = r.logits();
    int n = l.channels() * l.height() * l.width();
    List<Object> logits = new ArrayList<>(n);
    if (dtype == DenseLogits.DType.FLOAT16) {
      byte[] b = ((DenseLogits) l).toLittleEndianCOrder();
      for (int i = 0; i < n; i++) {
        logits.add((short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8)));
      }
    } else {
      double[] row = new double[l.width()];
      for (int c = 0; c < l.channels(); c++) {
        for (int y = 0; y < l.height(); y++) {
          l.readRow(c, y, row, 0);
          for (double v : row) {
            logits.add(dtype == DenseLogits.DType.FLOAT32 ? (Object) (float) v : (Object) v);
          }
        }
      }
    }
    List<Object> labels = new ArrayList<>(r.storedLabels().length);
    for (int v : r.storedLabels()) {
      labels.add(v);
    }
    return RowFactory.create(r.imageId(), r.height(), r.width(), l.channels(), l.height(),
        l.width(), seq(logits), seq(labels));
  }

  private static Object seq(List<Object> l) {
    return scala.jdk.javaapi.CollectionConverters.asScala(l).toSeq();
  }
}
