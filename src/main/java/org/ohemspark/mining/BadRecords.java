package org.ohemspark.mining;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.spark.RowFrames;
import org.ohemspark.spark.ScanPartitions;
import scala.Tuple2;

/**
 * Splits the {@link LossRecord}s of the loss pass into the good records and the bad ones:
 * records whose {@code error} is set, and every copy of an image id that occurs more than once
 * (which copy is right cannot be known).
 *
 * <p>Everything is counted on the executors: the records' ids (no pixel) are reduced by id to
 * their {@link Copies}, and the driver receives one small {@link Tally} per partition (counts
 * and the smallest duplicated id, for the FAILFAST message), never a row per bad record, so a
 * wrong label convention that makes every image bad costs the driver nothing more. Duplicated
 * ids are taken out of the good records where the records lie: the ids go, keyed by the
 * partition holding a copy, to that partition's task ({@code zipPartitions}), so the cached
 * records are neither moved nor collected. The quarantine is a lazy DataFrame the executors
 * write.
 *
 * <p>{@code quarantine/} schema: {@code image_id} string, {@code source} string (file, shard or
 * tar member), {@code reason} string (what was expected, what was found).
 *
 * @param good the good records (a view of the cached records)
 * @param quarantine one row per bad record, ordered by image id and source (lazy)
 * @param count how many bad records
 */
public record BadRecords(JavaRDD<LossRecord> good, Dataset<Row> quarantine, long count) {

  /** Schema of {@code quarantine/}: see the class comment. */
  public static final StructType QUARANTINE_SCHEMA = new StructType()
      .add("image_id", DataTypes.StringType, true)
      .add("source", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, true);

  /**
   * Estimated size of a quarantine row on disk, bytes, for
   * {@link org.ohemspark.output.OutputFiles}: an id, a path and a sentence, each stored once where
   * the reason is distinct (200 records of one reason took 21 bytes each, dictionary encoded).
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

  /**
   * The records of one image id: how many, how many good, and where the good ones are (sources
   * sorted, and the partitions of the records RDD that hold them).
   */
  static final class Copies implements Serializable {
    private static final long serialVersionUID = 1L;
    long n;
    long good;
    final List<String> goodSources = new ArrayList<>(1);
    final List<Integer> goodPartitions = new ArrayList<>(1);

    static Copies of(LossRecord r, int partition) {
      Copies c = new Copies();
      c.n = 1;
      if (r.isGood()) {
        c.good = 1;
        c.goodSources.add(r.source());
        c.goodPartitions.add(partition);
      }
      return c;
    }

    Copies merge(Copies o) {
      n += o.n;
      good += o.good;
      goodSources.addAll(o.goodSources);
      goodPartitions.addAll(o.goodPartitions);
      return this;
    }

    boolean duplicated() {
      return good > 1;
    }

    /** Bad records among these copies: the bad ones, and every copy of a duplicated id. */
    long bad() {
      return duplicated() ? n : n - good;
    }

    List<String> sortedSources() {
      List<String> s = new ArrayList<>(goodSources);
      s.sort(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
      return s;
    }
  }

  /** The split's figures, summed over the ids on the executors. */
  static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    long bad;
    long duplicatedIds;
    /** The smallest duplicated id and its copies, or null. */
    String firstDupId;
    Copies firstDup;

    Tally add(Tuple2<String, Copies> e) {
      Copies c = e._2();
      bad += c.bad();
      if (c.duplicated()) {
        duplicatedIds++;
        keepFirst(e._1(), c);
      }
      return this;
    }

    Tally merge(Tally o) {
      bad += o.bad;
      duplicatedIds += o.duplicatedIds;
      if (o.firstDupId != null) {
        keepFirst(o.firstDupId, o.firstDup);
      }
      return this;
    }

    private void keepFirst(String id, Copies c) {
      if (firstDupId == null || id.compareTo(firstDupId) < 0) {
        firstDupId = id;
        firstDup = c;
      }
    }
  }

  /** Sends the key, a partition index of the records RDD, to that partition. */
  private static final class ToPartition extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    ToPartition(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }
  }

  private static String duplicateReason(Copies c) {
    return "duplicate image id: " + c.good + " records, from " + c.sortedSources();
  }

  /**
   * Splits the loss pass's records (already computed: {@link LossPass}). Runs one small job
   * (ids reduced by id); where ids are duplicated, the good records and the quarantine read
   * that job's shuffle again.
   *
   * @throws BadRecordException in {@link BadRecordMode#FAILFAST} for the smallest duplicated
   *     image id (bad records cannot occur there: {@link LossPass} fails on the first)
   */
  public static BadRecords split(SparkSession spark, JavaRDD<LossRecord> records,
      BadRecordMode mode) {
    JavaPairRDD<String, Copies> suspects = records
        .mapPartitionsWithIndex((p, it) -> stream(it)
            .map(r -> new Tuple2<>(r.imageId(), Copies.of(r, p))).iterator(), true)
        .mapToPair(t -> t)
        .reduceByKey(Copies::merge, ScanPartitions.partitions(records.getNumPartitions(),
            records.context().defaultParallelism())) // ids only: a few tasks suffice
        .filter(e -> e._2().bad() > 0);
    Tally t = suspects.aggregate(new Tally(), Tally::add, Tally::merge);
    if (t.duplicatedIds > 0 && mode == BadRecordMode.FAILFAST) {
      throw new BadRecordException(t.firstDup.sortedSources().get(0), t.firstDupId,
          duplicateReason(t.firstDup));
    }
    if (t.bad == 0) {
      return new BadRecords(records.filter(LossRecord::isGood),
          spark.createDataFrame(List.of(), QUARANTINE_SCHEMA), 0);
    }
    JavaRDD<Row> errorRows = records.filter(r -> !r.isGood())
        .map(r -> RowFactory.create(r.imageId(), r.source(), r.error()));
    Dataset<Row> quarantine = RowFrames.of(spark, errorRows, QUARANTINE_SCHEMA);
    JavaRDD<LossRecord> good = records.filter(LossRecord::isGood);
    if (t.duplicatedIds > 0) {
      JavaPairRDD<String, Copies> dups = suspects.filter(e -> e._2().duplicated());
      good = withoutIds(records, dups);
      JavaRDD<Row> dupRows = dups.flatMap(e -> {
        List<Row> rows = new ArrayList<>();
        for (String source : e._2().sortedSources()) {
          rows.add(RowFactory.create(e._1(), source, duplicateReason(e._2())));
        }
        return rows.iterator();
      });
      quarantine = quarantine.union(RowFrames.of(spark, dupRows, QUARANTINE_SCHEMA));
    }
    quarantine = quarantine.orderBy("image_id", "source");
    return new BadRecords(good, quarantine, t.bad);
  }

  /**
   * The good records of {@code records} but those whose id is in {@code dups}: each
   * duplicated id is sent to the partitions holding a copy of it, and each task of the
   * records filters its own partition (task memory: the duplicated ids of one partition).
   */
  private static JavaRDD<LossRecord> withoutIds(JavaRDD<LossRecord> records,
      JavaPairRDD<String, Copies> dups) {
    JavaPairRDD<Integer, String> byPartition = dups
        .flatMapToPair(e -> {
          List<Tuple2<Integer, String>> out = new ArrayList<>();
          for (int p : new HashSet<>(e._2().goodPartitions)) {
            out.add(new Tuple2<>(p, e._1()));
          }
          return out.iterator();
        })
        .partitionBy(new ToPartition(records.getNumPartitions()));
    return records.zipPartitions(byPartition, (Iterator<LossRecord> recs,
        Iterator<Tuple2<Integer, String>> ids) -> {
      Set<String> drop = new HashSet<>();
      ids.forEachRemaining(e -> drop.add(e._2()));
      return stream(recs).filter(r -> r.isGood() && !drop.contains(r.imageId())).iterator();
    });
  }

  private static <T> Stream<T> stream(Iterator<T> it) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED),
        false);
  }
}
