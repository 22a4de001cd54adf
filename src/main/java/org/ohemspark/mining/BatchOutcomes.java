package org.ohemspark.mining;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.BatchRule;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.OhemOutcome;
import org.ohemspark.core.OhemParams;
import org.ohemspark.source.ImageSource;
import org.ohemspark.spark.RowFrames;
import scala.Tuple2;

/**
 * With {@code --group-by batch}: the images grouped by their training batch (an assignment of
 * {@code image_id} to {@code batch}, {@link ImageSource#batches}), each batch one OHEM call
 * ({@link BatchRule}), on the executors: a task holds one batch's images. The batches'
 * results are persisted once and read by {@code batches/}, {@code images/}, {@code hard_pixels/}
 * and the kept confusion.
 *
 * <p>{@code batches/} (Parquet), one row per batch:
 *
 * <pre>
 *   batch      long     the batch value
 *   n_images   long     images of the batch
 *   n_valid, n_min, n_hard, n_kept   long   the batch's OHEM counts
 *   used_topk  boolean  n_hard &lt; n_min
 *   kth_loss   double   the smallest kept loss on the top-k branch, else null
 *   mean       double   the batch's OHEM mean, null where PyTorch gives NaN
 *   status     string   OK or EMPTY
 * </pre>
 */
public final class BatchOutcomes {
  /** {@code batches/}'s schema. */
  public static final StructType SCHEMA = new StructType()
      .add("batch", DataTypes.LongType, false)
      .add("n_images", DataTypes.LongType, false)
      .add("n_valid", DataTypes.LongType, false)
      .add("n_min", DataTypes.LongType, false)
      .add("n_hard", DataTypes.LongType, false)
      .add("n_kept", DataTypes.LongType, false)
      .add("used_topk", DataTypes.BooleanType, false)
      .add("kth_loss", DataTypes.DoubleType, true)
      .add("mean", DataTypes.DoubleType, true)
      .add("status", DataTypes.StringType, false);

  /** One batch's result: what is persisted (in its Java form under Kryo too). */
  @DefaultSerializer(JavaSerializer.class)
  static final class Done implements Serializable {
    private static final long serialVersionUID = 1L;
    final long batch;
    final OhemOutcome outcome;
    final List<ImageLosses> images;
    final List<KeepRule> rules;

    Done(long batch, BatchRule.Result r) {
      this.batch = batch;
      this.outcome = r.outcome();
      this.images = new ArrayList<>(r.images());
      this.rules = new ArrayList<>(r.rules());
    }
  }

  private final JavaRDD<Done> done;

  /**
   * @param images the good images (cached)
   * @param assignments {@code image_id} (string) to {@code batch} (long) rows
   * @param where where the assignments come from, for messages
   * @param level the persisted batches' storage level
   */
  public BatchOutcomes(JavaRDD<ImageLosses> images, Dataset<Row> assignments, String where,
      OhemParams params, StorageLevel level) {
    JavaPairRDD<String, Long> batchOf = assignments.javaRDD().mapToPair(r -> {
      if (r.isNullAt(0) || r.isNullAt(1)) {
        throw new BadRecordException(where, r.isNullAt(0) ? null : r.getString(0),
            "a batch assignment has a null " + (r.isNullAt(0) ? "image_id" : "batch"));
      }
      return new Tuple2<>(r.getString(0), ((Number) r.get(1)).longValue());
    }).reduceByKey((a, b) -> {
      if (!a.equals(b)) {
        throw new IllegalStateException("two batches for one image: " + a + " and " + b);
      }
      return a;
    });
    JavaPairRDD<Long, ImageLosses> byBatch = images.mapToPair(i -> new Tuple2<>(i.imageId(), i))
        .leftOuterJoin(batchOf).mapToPair(e -> {
          Optional<Long> b = e._2()._2();
          if (!b.isPresent()) {
            throw new BadRecordException(where, e._1(), "the image has no batch: every image "
                + "needs one with --group-by batch (or give --batches FILE)");
          }
          return new Tuple2<>(b.get(), e._2()._1());
        });
    this.done = byBatch.groupByKey().map(g -> {
      List<ImageLosses> list = new ArrayList<>();
      g._2().forEach(list::add);
      return new Done(g._1(), BatchRule.of(params, list));
    }).persist(level);
  }

  /** Each image with its batch's rule for it, lazily. */
  public JavaPairRDD<ImageLosses, KeepRule> rules() {
    return done.flatMapToPair(d -> {
      List<Tuple2<ImageLosses, KeepRule>> out = new ArrayList<>(d.images.size());
      for (int i = 0; i < d.images.size(); i++) {
        out.add(new Tuple2<>(d.images.get(i), d.rules.get(i)));
      }
      return out.iterator();
    });
  }

  /** {@code batches/}, lazily. */
  public Dataset<Row> batches(SparkSession spark) {
    return RowFrames.of(spark, done.map(d -> {
      OhemOutcome o = d.outcome;
      return RowFactory.create(d.batch, (long) d.images.size(), o.nValid(), o.nMin(),
          o.nHard(), o.nKept(), o.usedTopk(), o.kthLoss(), o.mean(), o.status());
    }), SCHEMA);
  }

  /**
   * The batches' figures summed for the summary: counts over batches, and the mean of the
   * batch means that exist (EMPTY batches counted in {@code empty}, not averaged).
   */
  @DefaultSerializer(JavaSerializer.class) // Kryo cannot build records
  public record Totals(long batches, long nMin, long nKept, long topk, long empty,
      double sumOfMeans, long means) implements Serializable {
    Totals plus(Totals o) {
      return new Totals(batches + o.batches, nMin + o.nMin, nKept + o.nKept, topk + o.topk,
          empty + o.empty, sumOfMeans + o.sumOfMeans, means + o.means);
    }

    /** The mean of the batch means, null when every batch is EMPTY. */
    public Double meanOfMeans() {
      return means == 0 ? null : sumOfMeans / means;
    }
  }

  /** The batches' {@link Totals} (one small object reaches the driver). */
  public Totals totals() {
    return done.map(d -> {
      OhemOutcome o = d.outcome;
      return new Totals(1, o.nMin(), o.nKept(), o.usedTopk() ? 1 : 0, o.mean() == null ? 1 : 0,
          o.mean() == null ? 0 : o.mean(), o.mean() == null ? 0 : 1);
    }).fold(new Totals(0, 0, 0, 0, 0, 0, 0), Totals::plus);
  }

  /** Drops the persisted batches. */
  public void unpersist() {
    done.unpersist();
  }
}
