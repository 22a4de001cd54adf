package org.ohemspark.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame over an RDD of rows built on the executors. Unlike
 * {@code SparkSession.createDataFrame(JavaRDD<Row>, StructType)}, which converts and then copies
 * every row, this plans the conversion as a generated serializer inside the consumer's stage
 * (as {@code Dataset.map} does), so millions of output rows go to a writer with no extra copy.
 */
public final class RowFrames {
  private RowFrames() {}

  /** The rows of {@code rows}, which must match {@code schema}, lazily. */
  public static Dataset<Row> of(SparkSession spark, JavaRDD<Row> rows, StructType schema) {
    return spark.createDataset(rows.rdd(), Encoders.row(schema));
  }
}
