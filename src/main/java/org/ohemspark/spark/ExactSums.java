package org.ohemspark.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Dataset-wide sums of per-image double sums that do not depend on the order tasks finish in:
 * each double is cast to {@code DECIMAL(38,18)} and summed exactly, then rounded once to double.
 * Reruns over the same input give the same bits. Good to 1e20 nats in total.
 */
final class ExactSums {
  private ExactSums() {}

  static Column sum(Column doubles) {
    return org.apache.spark.sql.functions.sum(doubles.cast(DataTypes.createDecimalType(38, 18)));
  }

  static double toDouble(Row row, int i) {
    return row.isNullAt(i) ? 0.0 : row.getDecimal(i).doubleValue();
  }
}
