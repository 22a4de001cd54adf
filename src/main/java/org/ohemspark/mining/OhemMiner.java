package org.ohemspark.mining;

import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ClassReport;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptConfusion;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.LossBins;
import org.ohemspark.core.LossSketch;
import org.ohemspark.core.OhemOutcome;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.TopK;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.BatchFile;
import org.ohemspark.source.DatasetDirectory;
import org.ohemspark.source.ImageSource;
import org.ohemspark.source.Partitioning;
import org.ohemspark.source.StretchedImages;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.spark.RowFrames;
import org.ohemspark.spark.ScanPartitions;

/**
 * The one entry to OHEM mining on Spark: options in, a {@link Result} out (the summary, the
 * per-image report and the hard pixels as DataFrames). The command-line job and tests are thin
 * shells over it.
 *
 * <pre>{@code
 * try (OhemMiner.Result r = OhemMiner.on(spark).params(OhemParams.DEFAULTS)
 *     .groupBy(GroupBy.DATASET).mineDirectory("hdfs:///data/val")) {
 *   double mean = r.summary().mean();
 *   r.hardPixels().write().parquet("hdfs:///out/hard_pixels");
 * }
 * }</pre>
 *
 * <p>Passes: one over the logits (building the cached {@link LossRecord}s, one per image:
 * {@link LossPass}, which no other job overlaps, so each image is decoded once), one small
 * aggregation of ids ({@link BadRecords}) and one of per-image and per-class figures
 * ({@link DatasetTotals}), on the top-k branch the {@link DistributedTopK} passes over the
 * cached losses, read in place, and once the keep rule is known one pass summing the kept pixels
 * by (label, predicted) ({@link KeptConfusionPass}); the aggregations run in fewer, larger
 * tasks than the loss pass
 * ({@link ScanPartitions}); {@code images/}' rank then takes a pass computing each image's
 * sort key, a range partitioner's sample and a count of the keys per range, and a shuffle of
 * the rows ({@link ImageRanks}). No pixel, and no row per image, is ever collected on the
 * driver.
 */
public final class OhemMiner {
  private final SparkSession spark;
  private OhemParams params = OhemParams.DEFAULTS;
  private LabelConvention convention = LabelConvention.TRAIN_IDS;
  private Integer classes;
  private GroupBy groupBy = GroupBy.DATASET;
  private int partitions;
  private long partitionBytes = Partitioning.DEFAULT_TARGET_BYTES;
  private BadRecordMode mode = BadRecordMode.FAILFAST;
  private StorageLevel cacheLevel;
  private List<String> classNames;
  private Dataset<Row> batchesGiven;
  private String batchesGivenFrom;
  /** The batch assignment of the run under way (the given one, else the source's). */
  private Dataset<Row> assignments;
  private String assignmentsFrom;

  /**
   * Session configuration key of the cached loss records' storage level when
   * {@link #cacheLevel} is not called: a name of {@link StorageLevel#fromString}, default
   * {@code MEMORY_AND_DISK}.
   */
  public static final String CACHE_LEVEL_KEY = "spark.ohem.cacheStorageLevel";

  private OhemMiner(SparkSession spark) {
    this.spark = spark;
  }

  public static OhemMiner on(SparkSession spark) {
    return new OhemMiner(spark);
  }

  public OhemMiner params(OhemParams p) {
    this.params = p;
    return this;
  }

  public OhemMiner labelConvention(LabelConvention c) {
    this.convention = c;
    return this;
  }

  /** The declared class count (null: take each image's logits C). */
  public OhemMiner classes(Integer c) {
    this.classes = c;
    return this;
  }

  public OhemMiner groupBy(GroupBy g) {
    this.groupBy = g;
    return this;
  }

  /**
   * Class names by class id for the {@code classes} and {@code confusion} tables (null, the
   * default: no names). A class beyond the list has a null name; names beyond the logits'
   * {@code C} are not used.
   */
  /**
   * The images' training batches for {@link GroupBy#BATCH}: rows of {@code image_id} (string)
   * and {@code batch} (integer), e.g. {@link BatchFile#read}; overrides the source's own
   * ({@link ImageSource#batches}).
   *
   * @param from where they come from, for messages
   */
  public OhemMiner batches(Dataset<Row> rows, String from) {
    this.batchesGiven = rows;
    this.batchesGivenFrom = from;
    return this;
  }

  public OhemMiner classNames(List<String> names) {
    this.classNames = names == null ? null : java.util.Collections.unmodifiableList(
        new java.util.ArrayList<>(names));
    return this;
  }

  /** What to do with bad records (default FAILFAST). */
  public OhemMiner mode(BadRecordMode m) {
    this.mode = m;
    return this;
  }

  /**
   * Partitions of the loss pass, an override; 0 (the default) cuts the input by bytes
   * ({@link #partitionBytes}).
   */
  public OhemMiner partitions(int n) {
    this.partitions = n;
    return this;
  }

  /**
   * The most bytes of input a partition of the loss pass holds when cutting by bytes (default
   * {@link Partitioning#DEFAULT_TARGET_BYTES}, 64 MiB): see {@link Partitioning}.
   */
  public OhemMiner partitionBytes(long bytes) {
    this.partitionBytes = bytes;
    return this;
  }

  /**
   * Storage level of the cached loss records (default: the session's
   * {@value #CACHE_LEVEL_KEY}, else {@code MEMORY_AND_DISK}, deserialized: the later passes
   * read the arrays in place). A serialized level ({@code MEMORY_AND_DISK_SER}) trades a
   * decode per pass for no unrolling; {@code DISK_ONLY} writes every record through the
   * session's serializer (BENCHMARKS.md, "Cached loss records").
   */
  public OhemMiner cacheLevel(StorageLevel level) {
    this.cacheLevel = level;
    return this;
  }

  private StorageLevel cacheLevel() {
    return cacheLevel != null ? cacheLevel
        : StorageLevel.fromString(spark.conf().get(CACHE_LEVEL_KEY, "MEMORY_AND_DISK"));
  }

  /** Mines a dataset directory ({@link DatasetDirectory}). */
  public Result mineDirectory(String input) {
    return mine(new DatasetDirectory(input));
  }

  /**
   * Why {@code --group-by batch} cannot run on {@code source} without {@code --batches}: it
   * holds no batch values.
   */
  public static String noBatches(ImageSource source) {
    return "--group-by batch needs each image's batch: " + source.describe() + " holds none "
        + "(a directory's batches.csv beside dataset.json, the shards' batch column, the "
        + "batch field of a tar's <key>.json); give --batches FILE (CSV: image_id,batch)";
  }

  /**
   * Mines the images of a source: one pass over the logits builds the cached
   * {@link LossRecord}s ({@link #cacheLevel}), and every later pass reads them.
   *
   * @throws BadRecordException for an empty dataset, or the first bad record
   */
  public Result mine(ImageSource source) {
    if (groupBy == GroupBy.BATCH) {
      assignments = batchesGiven != null ? batchesGiven : source.batches(spark);
      assignmentsFrom = batchesGiven != null ? batchesGivenFrom : source.describe();
      if (assignments == null) {
        throw new IllegalArgumentException(noBatches(source));
      }
    }
    Broadcast<HadoopConf> conf = spark.sparkContext().broadcast(
        new HadoopConf(spark.sparkContext().hadoopConfiguration()),
        scala.reflect.ClassTag$.MODULE$.apply(HadoopConf.class));
    LongAccumulator decoded = spark.sparkContext().longAccumulator("ohem.images_decoded");
    JavaRDD<LossRecord> records = LossFrames.compute(source.records(spark,
        Partitioning.of(partitions, partitionBytes)), source,
        conf, params, convention, classes, mode, decoded)
        .persist(cacheLevel());
    long t0 = System.nanoTime();
    // The loss pass runs alone: no other job reads the records before it ends, so no task
    // decodes a partition that another executor is still decoding (LossPass).
    LossPass lossPass = LossPass.start(records, mode);
    try {
      lossPass.await();
      JavaRDD<LossRecord> all = UnreadRecords.append(source, records, mode);
      BadRecords bad = BadRecords.split(spark, all, mode);
      JavaRDD<LossRecord> good = bad.good();
      JavaRDD<ImageLosses> images = good.map(LossRecord::losses);
      DatasetTotals totals = DatasetTotals.of(ScanPartitions.of(good), params.ignoreIndex());
      long firstPassNanos = System.nanoTime() - t0;
      if (totals.images() == 0) {
        String first = bad.count() == 0 ? "" : "; first: " + bad.quarantine().limit(3)
            .collectAsList().stream().map(BadRecords::describe)
            .collect(java.util.stream.Collectors.joining("; "));
        throw new BadRecordException(source.describe(), null, bad.count() == 0
            ? "empty dataset: no image found"
            : "no good record: all " + bad.count() + " records are bad" + first);
      }
      Dataset<Row> lossFrame = RowFrames.of(spark,
          good.map(r -> LossFrame.toRow(r.losses(), r.source())), LossFrame.SCHEMA);
      return mineGood(records, images, lossFrame, bad, totals, firstPassNanos, decoded);
    } catch (RuntimeException e) {
      lossPass.cancel();
      records.unpersist();
      throw e;
    }
  }

  /**
   * The OHEM figures from one pass over the images, nothing cached ({@code --topk approx}):
   * the counts, {@code n_min}, the threshold branch and {@code miou}/{@code aacc} are exact; on
   * the top-k branch the k-th loss and the mean are estimated and bounded by a
   * {@link LossSketch} built in the pass ({@link LossSketch#topK}: guaranteed bounds). Dataset
   * scope and FAILFAST only (the image scope's top-k is exact in memory anyway, and the lenient
   * modes' bad records need the records kept).
   *
   * @throws IllegalStateException with {@code --group-by image} or another mode than FAILFAST
   * @throws BadRecordException for an empty dataset, or the first bad record by image id
   */
  public Estimate estimate(ImageSource source) {
    if (groupBy != GroupBy.DATASET || mode != BadRecordMode.FAILFAST) {
      throw new IllegalStateException("the approximate top-k runs in dataset scope and "
          + "FAILFAST only, not " + groupBy.label() + " / " + mode);
    }
    Broadcast<HadoopConf> conf = spark.sparkContext().broadcast(
        new HadoopConf(spark.sparkContext().hadoopConfiguration()),
        scala.reflect.ClassTag$.MODULE$.apply(HadoopConf.class));
    LongAccumulator decoded = spark.sparkContext().longAccumulator("ohem.images_decoded");
    long t0 = System.nanoTime();
    ApproxTotals t = ApproxTotals.of(LossFrames.compute(source.records(spark,
        Partitioning.of(partitions, partitionBytes)), source, conf, params, convention,
        classes, mode, decoded), params.ignoreIndex());
    DatasetTotals totals = t.totals();
    if (totals.images() == 0) {
      throw new BadRecordException(source.describe(), null, "empty dataset: no image found");
    }
    long nValid = totals.nValid();
    long nHard = totals.nHard();
    long nMin = params.nMin(nValid);
    ClassReport classReport = ClassReport.of(totals.classes(), new KeptConfusion(), classNames);
    LossSketch.Bounds bounds = null;
    MiningSummary summary;
    if (OhemOutcome.needsTopK(params, nValid, nHard)) {
      bounds = t.sketch().topK(nMin);
      summary = new MiningSummary(bounds.mean(), "OK", groupBy, totals.images(), nValid, nMin,
          nHard, nMin, true, bounds.kth(), params.lossThreshold(), 1, 0, 0, mode, 0);
    } else {
      OhemOutcome o = OhemOutcome.of(params, nValid, nHard, totals.sumHard(), null);
      summary = new MiningSummary(o.mean(), o.status(), groupBy, totals.images(), nValid,
          o.nMin(), o.nHard(), o.nKept(), false, null, o.lossThreshold(), 0,
          o.mean() == null ? 1 : 0, 0, mode, 0);
    }
    double lossSum = 0;
    for (int c = 0; c < totals.classes().classes(); c++) {
      lossSum += totals.classes().lossSum(c);
    }
    return new Estimate(summary, bounds, classReport.miou(), classReport.aacc(),
        nValid == 0 ? null : lossSum / nValid, System.nanoTime() - t0, decoded);
  }

  /**
   * What {@link #estimate} gives.
   *
   * @param summary the figures; on the top-k branch {@code mean} and {@code kthLoss} are the
   *     sketch's estimates and {@code histogramPasses} is 0
   * @param bounds the top-k bounds, null on the threshold branch (where every figure is exact)
   * @param miou as {@link ClassReport#miou} (exact: it needs no selection)
   * @param aacc as {@link ClassReport#aacc}
   * @param meanLoss mean loss of the valid pixels (nats), null without one
   * @param passNanos time of the one pass
   * @param imagesDecoded images whose logits were decoded
   */
  public record Estimate(MiningSummary summary, LossSketch.Bounds bounds, Double miou,
      Double aacc, Double meanLoss, long passNanos, LongAccumulator imagesDecoded) {}

  /** Mines the good images; the result unpersists {@code cached}. */
  private Result mineGood(JavaRDD<LossRecord> cached, JavaRDD<ImageLosses> frame,
      Dataset<Row> lossFrame, BadRecords bad, DatasetTotals totals, long firstPassNanos,
      LongAccumulator decoded) {
    long nImages = totals.images();
    long nValid = totals.nValid();
    long nHard = totals.nHard();
    double sumHard = totals.sumHard();

    long t1 = System.nanoTime();
    if (groupBy == GroupBy.IMAGE) {
      ImageOutcomes outcomes = new ImageOutcomes(frame, params, cacheLevel(),
          spark.sparkContext().longAccumulator("ohem.image_rules"));
      Dataset<Row> unranked = ImageReport.ofImages(spark, outcomes.pairs(),
          params.ignoreIndex()).persist(StorageLevel.MEMORY_AND_DISK());
      ImageScopeTotals s = ImageScopeTotals.of(unranked);
      Dataset<Row> images = ImageRanks.rank(spark,
          ImageRanks.keys(outcomes.rules(), params.ignoreIndex()), unranked.javaRDD(),
          ImageReport.schema(GroupBy.IMAGE));
      ClassReport classReport = ClassReport.of(totals.classes(),
          KeptConfusionPass.of(outcomes.rules(), params.ignoreIndex()), classNames);
      Double mean = s.meanOfMeans();
      MiningSummary summary = new MiningSummary(mean, mean == null ? "EMPTY" : "OK", groupBy,
          nImages, nValid, s.nMin(), nHard, s.nKept(), s.nTopk() > 0, null,
          params.lossThreshold(), s.nTopk(), s.nEmpty(), 0, mode, bad.count());
      return new Result(summary, cached, lossFrame, images,
          HardPixels.of(spark, outcomes.rules(), params.ignoreIndex()), bad.quarantine(),
          classReport, ClassTables.classes(spark, classReport),
          ClassTables.confusion(spark, classReport),
          firstPassNanos, System.nanoTime() - t1, decoded, totals.stretched(), outcomes,
          unranked, totals.lossBins(), outcomes.rules(), null);
    }

    if (groupBy == GroupBy.BATCH) {
      BatchOutcomes outcomes = new BatchOutcomes(frame, assignments, assignmentsFrom, params,
          cacheLevel());
      BatchOutcomes.Totals b = outcomes.totals();
      ClassReport classReport = ClassReport.of(totals.classes(),
          KeptConfusionPass.of(outcomes.rules(), params.ignoreIndex()), classNames);
      Double mean = b.meanOfMeans();
      MiningSummary summary = new MiningSummary(mean, mean == null ? "EMPTY" : "OK", groupBy,
          nImages, nValid, b.nMin(), nHard, b.nKept(), b.topk() > 0, null,
          params.lossThreshold(), b.topk(), b.empty(), 0, mode, bad.count());
      Dataset<Row> images = ImageRanks.rank(spark,
          ImageRanks.keys(outcomes.rules(), params.ignoreIndex()),
          ImageReport.ofDataset(outcomes.rules(), params.ignoreIndex()),
          ImageReport.schema(GroupBy.DATASET));
      return new Result(summary, cached, lossFrame, images,
          HardPixels.of(spark, outcomes.rules(), params.ignoreIndex()), bad.quarantine(),
          classReport, ClassTables.classes(spark, classReport),
          ClassTables.confusion(spark, classReport), firstPassNanos, System.nanoTime() - t1,
          decoded, totals.stretched(), null, null, totals.lossBins(), outcomes.rules(),
          outcomes);
    }
    TopK topk = null;
    int passes = 0;
    TieCutoff cutoff = null;
    if (OhemOutcome.needsTopK(params, nValid, nHard)) {
      DistributedTopK.Result r = DistributedTopK.find(ScanPartitions.of(frame),
          params.nMin(nValid), params.ignoreIndex());
      topk = r.topk();
      passes = r.histogramPasses();
      cutoff = r.tieCutoff();
    }
    OhemOutcome o = OhemOutcome.of(params, nValid, nHard, sumHard, topk);
    ImageKeepRule keep = ImageKeepRule.dataset(o.rule(), cutoff);
    ClassReport classReport = ClassReport.of(totals.classes(),
        KeptConfusionPass.of(keep.pair(frame), params.ignoreIndex()), classNames);
    MiningSummary summary = new MiningSummary(o.mean(), o.status(), groupBy, nImages, nValid,
        o.nMin(), o.nHard(), o.nKept(), o.usedTopk(), o.kthLoss(), o.lossThreshold(),
        o.usedTopk() ? 1 : 0, o.mean() == null ? 1 : 0, passes, mode, bad.count());
    // the rows are computed once, by the rank's shuffle: no need to cache them (the image
    // scope sums them first)
    Dataset<Row> images = ImageRanks.rank(spark,
        ImageRanks.keys(keep.pair(frame), params.ignoreIndex()),
        ImageReport.ofDataset(keep.pair(frame), params.ignoreIndex()),
        ImageReport.schema(GroupBy.DATASET));
    return new Result(summary, cached, lossFrame, images,
        HardPixels.of(spark, keep.pair(frame), params.ignoreIndex()), bad.quarantine(),
        classReport, ClassTables.classes(spark, classReport),
        ClassTables.confusion(spark, classReport), firstPassNanos, System.nanoTime() - t1,
        decoded, totals.stretched(), null, null, totals.lossBins(), keep.pair(frame), null);
  }

  /**
   * What a run gives: the summary, and the frames to write. Close it to unpersist the cached
   * loss records.
   *
   * @param cached the persisted loss records, good and bad
   * @param lossFrame the good records as a {@link LossFrame} (a lazy view; converting it costs a
   *     copy of every loss array)
   * @param quarantine the bad records ({@link BadRecords#QUARANTINE_SCHEMA})
   * @param classReport the per-class figures, the confusion of the kept pixels, {@code miou}
   *     and {@code aacc} ({@link ClassReport})
   * @param classes {@code classReport}'s per-class table ({@link ClassTables#CLASSES_SCHEMA})
   * @param confusion {@code classReport}'s confusion of the kept pixels
   *     ({@link ClassTables#CONFUSION_SCHEMA})
   * @param firstPassNanos time of the pass over logits plus the per-image aggregation
   * @param selectionNanos time of the selection (top-k passes, tie quota)
   * @param imagesDecoded counts images whose logits were decoded; it grows while the outputs
   *     are written if cached records had to be recomputed
   * @param stretched the good images whose logits were resized to another aspect ratio (for a
   *     warning): counted from the cached records, exact as the summary's figures
   * @param imageOutcomes with {@code --group-by image}, each image's own outcome, persisted
   *     (read by {@code images} and {@code hardPixels}); null with {@code --group-by dataset}
   * @param unrankedImages with {@code --group-by image}, the rows of {@code images} before
   *     {@link ImageRanks} (persisted: summed, then ranked); null with {@code --group-by
   *     dataset}
   * @param lossBins the valid pixels' losses in equal bins (the report's histogram)
   * @param keptRules each good cached image with its keep rule: the pairs {@code hardPixels}
   *     and {@code images} are built from (lazily), for more per-image outputs
   *     ({@link org.ohemspark.output.MaskPngs}, the report's worst images:
   *     {@link org.ohemspark.output.ReportImages})
   * @param batchOutcomes with {@code --group-by batch}, the persisted batches (read by
   *     {@link #batches}, {@code images} and {@code hardPixels}); else null
   */
  public record Result(MiningSummary summary, JavaRDD<LossRecord> cached, Dataset<Row> lossFrame,
      Dataset<Row> images, Dataset<Row> hardPixels, Dataset<Row> quarantine,
      ClassReport classReport, Dataset<Row> classes, Dataset<Row> confusion,
      long firstPassNanos, long selectionNanos, LongAccumulator imagesDecoded,
      StretchedImages stretched, ImageOutcomes imageOutcomes, Dataset<Row> unrankedImages,
      LossBins lossBins, JavaPairRDD<ImageLosses, KeepRule> keptRules,
      BatchOutcomes batchOutcomes)
      implements AutoCloseable {

    /** {@code batches/} ({@link BatchOutcomes#SCHEMA}) with {@code --group-by batch}, else null. */
    public Dataset<Row> batches() {
      return batchOutcomes == null ? null
          : batchOutcomes.batches(images.sparkSession());
    }

    /**
     * Passes over the logits so far: images decoded divided by images (1.0 when every logits
     * file was read once), or NaN when unknown.
     */
    public double logitsPasses() {
      return imagesDecoded == null || summary.nImages() == 0 ? Double.NaN
          : (double) imagesDecoded.value() / summary.nImages();
    }

    @Override
    public void close() {
      if (unrankedImages != null) {
        unrankedImages.unpersist();
      }
      if (imageOutcomes != null) {
        imageOutcomes.unpersist();
      }
      if (batchOutcomes != null) {
        batchOutcomes.unpersist();
      }
      cached.unpersist();
    }
  }
}
