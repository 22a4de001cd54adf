package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;

/**
 * Splits a {@link LossFrame} into its good records and its bad ones: rows whose {@code error}
 * is set, and every copy of an image id that occurs more than once (which copy is right cannot
 * be known). Only the duplicate ids reach the driver, never pixels.
 *
 * <p>{@code quarantine/} schema: {@code image_id} string, {@code source} string (file, shard or
 * tar member), {@code reason} string (what was expected, what was found).
 *
 * @param good the good records (a view of the frame)
 * @param quarantine one row per bad record, ordered by image id and source
 * @param count how many bad records
 */
public record BadRecords(Dataset<Row> good, Dataset<Row> quarantine, long count) {

  public static final StructType QUARANTINE_SCHEMA = new StructType()
      .add("image_id", DataTypes.StringType, true)
      .add("source", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true);

  /**
   * @throws BadRecordException in {@link BadRecordMode#FAILFAST} for a duplicate image id (error
   *     rows cannot occur there: they fail their task)
   */
  public static BadRecords split(Dataset<Row> frame, BadRecordMode mode) {
    List<Row> dups = frame.filter(col("error").isNull())
        .groupBy("image_id").agg(functions.count("*").as("n"), collect_list("source").as("sources"))
        .filter(col("n").gt(1)).orderBy("image_id").collectAsList();
    if (mode == BadRecordMode.FAILFAST && !dups.isEmpty()) {
      Row d = dups.get(0);
      List<String> sources = d.getList(2);
      throw new BadRecordException(sources.get(0), d.getString(0), "duplicate image id: "
          + d.getLong(1) + " records, from " + sources);
    }
    List<String> ids = new ArrayList<>();
    for (Row d : dups) {
      ids.add(d.getString(0));
    }
    Column isDup = ids.isEmpty() ? lit(false) : col("image_id").isin(ids.toArray());
    Dataset<Row> good = frame.filter(col("error").isNull().and(not(isDup)));
    Dataset<Row> bad = frame.filter(col("error").isNotNull())
        .select(col("image_id"), col("source"), col("error").as("reason"))
        .union(frame.filter(col("error").isNull().and(isDup)).select(col("image_id"),
            col("source"), lit("duplicate image id: another record has the same id")
                .as("reason")))
        .orderBy("image_id", "source");
    return new BadRecords(good, bad, bad.count());
  }
}
