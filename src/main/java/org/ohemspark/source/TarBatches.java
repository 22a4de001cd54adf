package org.ohemspark.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.io.PositionedFile;
import org.ohemspark.io.TarJsonMembers;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.spark.RowFrames;

/**
 * The training batch of each sample of WebDataset tars, for {@code --group-by batch}: the
 * {@code batch} field of the sample's {@code <key>.json} member (as WebDataset writers store a
 * sample's metadata: {@code {"batch": 12, ...}}), read on the executors, one task per tar,
 * reading only the tars' headers and JSON members (other members are passed over by position).
 *
 * <p>{@code batch} is a JSON integer (or a number of integral value, {@code 3.0}), or a string
 * holding one (as a shard's {@code batch}
 * column may be cast). A sample without a JSON member or without a {@code batch} field gives
 * no row: the image then has no batch, which {@link org.ohemspark.mining.BatchOutcomes} reports
 * naming the image (a batch assignment is never partial; {@code --batches FILE} replaces this one).
 * A JSON member that does not parse, whose top level is not an object, or whose {@code batch} is
 * null, fractional, out of the long range or not a number fails the read with a
 * {@link BadRecordException} naming the member, the key and the value, whatever the miner's
 * bad-record mode (an assignment is all or nothing, as {@link BatchFile}'s is).
 */
final class TarBatches {
  private TarBatches() {}

  /** The field read. */
  static final String FIELD = "batch";

  /** Rows of {@code image_id} and {@code batch}. */
  static final StructType SCHEMA = new StructType()
      .add("image_id", DataTypes.StringType, false)
      .add("batch", DataTypes.LongType, false);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The assignment of the tars {@code tars} (rows of path and length in bytes, as
   * {@link WebDatasetTars#tars} lists them), lazily: nothing is read until an action.
   */
  static Dataset<Row> of(SparkSession spark, List<Row> tars) {
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(tars, tars.size())
        .flatMap(t -> read(t.getString(0), t.getLong(1), conf).iterator());
    return RowFrames.of(spark, rows, SCHEMA);
  }

  /** One tar's rows, in archive order. */
  private static List<Row> read(String tar, long length, HadoopConf conf) {
    PositionedFile file;
    try {
      file = TarPieces.open(TarPieces.Piece.whole(tar, length), conf);
    } catch (IOException e) {
      throw new BadRecordException(tar, null, "cannot read: " + e.getMessage(), e);
    }
    List<Row> out = new ArrayList<>();
    for (TarJsonMembers.Member m : TarJsonMembers.read(tar, file)) {
      Long b = batch(tar + "!/" + m.member(), m.key(), m.bytes());
      if (b != null) {
        out.add(RowFactory.create(m.key(), b));
      }
    }
    return out;
  }

  /**
   * The {@code batch} field of one JSON member, or null without one.
   *
   * @param source {@code <tar>!/<member>}, for messages
   * @throws BadRecordException naming source, key and value: see the class comment
   */
  static Long batch(String source, String key, byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new BadRecordException(source, key, "malformed JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new BadRecordException(source, key, "JSON member is not an object: "
          + (root == null ? "(empty)" : clip(root.toString())));
    }
    JsonNode v = root.get(FIELD);
    if (v == null) {
      return null;
    }
    if (v.isNumber() && v.canConvertToExactIntegral() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isTextual()) {
      try {
        return Long.parseLong(v.textValue().trim());
      } catch (NumberFormatException e) {
        // reported below with the value
      }
    }
    throw new BadRecordException(source, key, "\"" + FIELD + "\" is " + clip(v.toString())
        + "; expected an integer (the image's training batch)");
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
