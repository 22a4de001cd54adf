package org.ohemspark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;

/**
 * Splits the {@link LossRecord}s of the loss pass into the good records and the bad ones:
 * records whose {@code error} is set, and every copy of an image id that occurs more than once
 * (which copy is right cannot be known). The split works on a small projection (id, source,
 * error: no pixel); only the suspect ids reach the driver, never pixels.
 *
 * <p>{@code quarantine/} schema: {@code image_id} string, {@code source} string (file, shard or
 * tar member), {@code reason} string (what was expected, what was found).
 *
 * @param good the good records (a view of the cached records)
 * @param quarantine one row per bad record, ordered by image id and source
 * @param count how many bad records
 */
public record BadRecords(JavaRDD<LossRecord> good, Dataset<Row> quarantine, long count) {

  /** Schema of {@code quarantine/}: see the class comment. */
  public static final StructType QUARANTINE_SCHEMA = new StructType()
      .add("image_id", DataTypes.StringType, true)
      .add("source", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true);

  /**
   * Estimated size of a quarantine row on disk, bytes, for {@link OutputFiles}: an id, a path
   * and a sentence, each stored once where the reason is distinct (200 records of one reason
   * took 21 bytes each, dictionary encoded).
   */
  public static final long QUARANTINE_ROW_BYTES = 256;

  /**
   * A quarantine row for messages: {@code image_id='<id>' source=<source>: <reason>}, without
   * the id where none is known (as {@link BadRecordException} words it).
   */
  public static String describe(Row quarantined) {
    String id = quarantined.getString(0);
    return (id == null ? "" : "image_id='" + id + "' ") + "source=" + quarantined.getString(1)
        + ": " + quarantined.getString(2);
  }

  private static final StructType IDS = new StructType()
      .add("image_id", DataTypes.StringType, true)
      .add("source", DataTypes.StringType, true)
      .add("error", DataTypes.StringType, true);

  /**
   * Runs the loss pass if {@code records} is not computed yet (this is its first action).
   *
   * @throws BadRecordException in {@link BadRecordMode#FAILFAST} for a duplicate image id (bad
   *     records cannot occur there: they fail their task)
   */
  public static BadRecords split(SparkSession spark, JavaRDD<LossRecord> records,
      BadRecordMode mode) {
    Dataset<Row> ids = RowFrames.of(spark, 
        records.map(r -> RowFactory.create(r.imageId(), r.source(), r.error())), IDS);
    // one small aggregation over ids finds both kinds: error rows and repeated good ids
    List<Row> suspects = ids.groupBy("image_id")
        .agg(functions.count("*").as("n"),
            functions.sum(when(col("error").isNull(), 1).otherwise(0)).as("n_good"),
            collect_list(when(col("error").isNull(), col("source"))).as("sources"))
        .filter(col("n_good").gt(1).or(col("n_good").lt(col("n"))))
        .orderBy("image_id").collectAsList();
    long count = 0;
    List<Row> dupRows = new ArrayList<>(); // O(duplicated records), never pixels
    Set<String> dup = new HashSet<>();
    for (Row r : suspects) {
      long n = r.getLong(1);
      long good = r.getLong(2);
      count += n - good;
      if (good > 1) {
        List<String> sources = r.getList(3);
        String reason = "duplicate image id: " + good + " records, from " + sources;
        if (mode == BadRecordMode.FAILFAST) {
          throw new BadRecordException(sources.get(0), r.getString(0), reason);
        }
        dup.add(r.getString(0));
        for (String source : sources) {
          dupRows.add(RowFactory.create(r.getString(0), source, reason));
        }
        count += good;
      }
    }
    JavaRDD<LossRecord> good = dup.isEmpty() ? records.filter(LossRecord::isGood)
        : records.filter(r -> r.isGood() && !dup.contains(r.imageId()));
    Dataset<Row> bad = ids.filter(col("error").isNotNull())
        .select(col("image_id"), col("source"), col("error").as("reason"))
        .union(spark.createDataFrame(dupRows, QUARANTINE_SCHEMA))
        .orderBy("image_id", "source");
    return new BadRecords(good, bad, count);
  }
}
