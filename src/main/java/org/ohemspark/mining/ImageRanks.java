package org.ohemspark.mining;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.RangePartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.ImageRanking;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptPixels;
import org.ohemspark.spark.RowFrames;
import org.ohemspark.spark.ScanPartitions;
import org.ohemspark.spark.TreeDepth;
import scala.Tuple2;

/**
 * Adds {@code rank} (long, 1..n_images, {@link ImageRanking}'s order) to the rows of
 * {@code images/}, distributed: no task holds more than one partition of the sorted rows (a
 * spillable sort), and the driver gets only O(partitions): a range partitioner's sample and
 * bounds, and each partition's row count.
 *
 * <ol>
 *   <li>The images' small sort keys ({@code kept_loss_sum}, {@code image_id}), computed from the
 *       cached losses and the keep rules (no {@code hard_mask} is built), are persisted; a
 *       {@link RangePartitioner} samples them, and one pass counts each range's images: the
 *       first rank of range {@code i} is 1 plus the images of the ranges before it.
 *   <li>The full rows (with their masks) are shuffled once into those ranges, sorted within
 *       each by the same key, and numbered. Read in partition order, they come in rank order.
 * </ol>
 *
 * The full rows are computed once (the shuffle's map side); the keys' pass is one walk over
 * each image's losses and labels.
 */
public final class ImageRanks {
  private ImageRanks() {}

  /** The {@code rank} column ({@link #rank} appends it). */
  public static final String RANK_COLUMN = "rank";

  /** {@code schema} with {@link #RANK_COLUMN} appended. */
  public static StructType schema(StructType schema) {
    return schema.add(RANK_COLUMN, DataTypes.LongType, false);
  }

  /** Each image's sort key under its rule: its kept pixels' loss sum ({@link KeptPixels}). */
  public static JavaRDD<ImageRanking.Key> keys(JavaPairRDD<ImageLosses, KeepRule> images,
      int ignoreIndex) {
    return images.map(e -> new ImageRanking.Key(
        KeptPixels.totals(e._1(), e._2(), ignoreIndex).sum(), e._1().imageId()));
  }

  /**
   * The rows with {@code rank} appended, partitioned and ordered by rank (lazily, but the
   * partitioner's sample and the counts run now).
   *
   * @param keys one key per row, of the same images (its columns {@link ImageRanking#SUM_COLUMN}
   *     and {@link ImageRanking#ID_COLUMN} hold the same values)
   * @param rows the rows of {@code schema}
   * @throws IllegalStateException (from the tasks) when the rows and keys do not match
   */
  public static Dataset<Row> rank(SparkSession spark, JavaRDD<ImageRanking.Key> keys,
      JavaRDD<Row> rows, StructType schema) {
    int sumAt = schema.fieldIndex(ImageRanking.SUM_COLUMN);
    int idAt = schema.fieldIndex(ImageRanking.ID_COLUMN);
    int width = schema.size();
    JavaRDD<ImageRanking.Key> cached = keys.persist(StorageLevel.MEMORY_AND_DISK());
    RangePartitioner<ImageRanking.Key, Boolean> ranges;
    long[] first;
    try {
      int parts = ScanPartitions.partitions(rows.getNumPartitions(),
          spark.sparkContext().defaultParallelism());
      ranges = new RangePartitioner<>(parts, cached.mapToPair(k -> new Tuple2<>(k, true)).rdd(),
          true, 20, scala.math.Ordering$.MODULE$.comparatorToOrdering(ImageRanking.ORDER),
          scala.reflect.ClassTag$.MODULE$.apply(ImageRanking.Key.class));
      RangePartitioner<ImageRanking.Key, Boolean> p = ranges;
      int n = p.numPartitions();
      long[] counts = cached.treeAggregate(new long[n], (c, k) -> {
        c[p.getPartition(k)]++;
        return c;
      }, (a, b) -> {
        for (int i = 0; i < a.length; i++) {
          a[i] += b[i];
        }
        return a;
      }, TreeDepth.of(cached));
      first = new long[n + 1];
      for (int i = 0; i < n; i++) {
        first[i + 1] = first[i] + counts[i];
      }
    } finally {
      cached.unpersist(false);
    }
    long[] starts = first;
    JavaRDD<Row> ranked = rows.mapToPair(r -> {
      Object[] v = new Object[width]; // a plain row: no schema to serialize with each
      for (int i = 0; i < width; i++) {
        v[i] = r.get(i);
      }
      return new Tuple2<>(new ImageRanking.Key(r.getDouble(sumAt), r.getString(idAt)),
          RowFactory.create(v));
    }).repartitionAndSortWithinPartitions(ranges, ImageRanking.ORDER)
        .mapPartitionsWithIndex((part, it) -> numbered(it, starts[part], starts[part + 1],
            width), true);
    return RowFrames.of(spark, ranked, schema(schema));
  }

  /** The rows of one range, with ranks {@code from + 1 .. to}, checked against the count. */
  private static Iterator<Row> numbered(Iterator<Tuple2<ImageRanking.Key, Row>> it, long from,
      long to, int width) {
    return new Iterator<>() {
      private long next = from;

      @Override
      public boolean hasNext() {
        boolean more = it.hasNext();
        if (more == (next >= to)) {
          throw new IllegalStateException("images/ rank: a range of the sort holds "
              + (more ? "more" : "fewer") + " rows than keys (" + (to - from)
              + "): the rows and the keys are not of the same images");
        }
        return more;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row r = it.next()._2();
        Object[] v = new Object[width + 1];
        for (int i = 0; i < width; i++) {
          v[i] = r.get(i);
        }
        v[width] = ++next;
        return RowFactory.create(v);
      }
    };
  }
}
