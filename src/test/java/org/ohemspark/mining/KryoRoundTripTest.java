package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.serializer.Serializer;
import org.ohemspark.testing.Serializers;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.core.ClassTotals;
import org.ohemspark.core.ExactSum;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptConfusion;
import org.ohemspark.core.LossHistogram;
import org.ohemspark.core.OhemOutcome;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.PredictedClasses;
import org.ohemspark.source.StretchedImages;
import org.ohemspark.spark.JavaSerialized;
import scala.Tuple2;

/**
 * Every object the engine hands to Spark's data serializer (the session's
 * {@code spark.serializer}) comes back with the same content through Spark's Java serializer and
 * through its Kryo serializer as a session configures it with nothing registered
 * ({@code new KryoSerializer(new SparkConf())}), and through Kryo requiring registration with
 * {@link OhemKryoRegistrator}: the cached loss records, the task results, the
 * aggregation states that come back as results or cross the tree's shuffle, the shuffled and
 * parallelized records ({@code org.ohemspark.source.InputsKryoRoundTripTest} has the inputs'
 * side: the broadcast Hadoop configuration, a listing's slice, a footer, a tar's index). No
 * SparkSession ({@link KryoGoldenSparkTest} runs the engine under Kryo).
 */
class KryoRoundTripTest {

  static Stream<Serializer> serializers() {
    return Serializers.all();
  }

  private static <T> T roundTrip(Serializer s, T value) {
    return Serializers.roundTrip(s, value);
  }

  private static ImageLosses image(String id, int[] labels) {
    double[] losses = {0.0, 1.5, Double.MIN_VALUE, 0.0, 7.25, 3.0};
    // 300 classes: predictions stored as shorts, so the non-byte array goes through too
    return new ImageLosses(id, 2, 3, labels, PredictedClasses.of(300, new int[] {0, 299, 7, 1,
        256, 3}), losses, 4, 2, 8.75, 12.75 + Double.MIN_VALUE, 7.25);
  }

  private static void assertSameImage(ImageLosses want, ImageLosses got) {
    assertEquals(List.of(want.imageId(), want.height(), want.width(), want.nValid(),
        want.nHard(), want.sumHard(), want.sumLoss(), want.maxLoss()),
        List.of(got.imageId(), got.height(), got.width(), got.nValid(), got.nHard(),
            got.sumHard(), got.sumLoss(), got.maxLoss()));
    assertArrayEquals(want.labels(), got.labels());
    assertEquals(want.packedLabels().bytesPerLabel(), got.packedLabels().bytesPerLabel());
    assertArrayEquals(want.losses(), got.losses());
    assertArrayEquals(want.predictedClasses().toArray(), got.predictedClasses().toArray());
    assertEquals(List.of(want.classes(), want.predictedClasses().bytesPerPixel()),
        List.of(got.classes(), got.predictedClasses().bytesPerPixel()));
  }

  private static void assertSameRecord(LossRecord want, LossRecord got) {
    assertEquals(Arrays.asList(want.imageId(), want.source(), want.error(), want.stretched()),
        Arrays.asList(got.imageId(), got.source(), got.error(), got.stretched()));
    if (want.losses() == null) {
      assertEquals(null, got.losses());
    } else {
      assertSameImage(want.losses(), got.losses());
    }
  }

  /**
   * The cached records (an RDD block spilled, serialized or read remotely), good with labels
   * packed in bytes, shorts and ints, and bad; a loss-pass task result holding a bad one.
   */
  @ParameterizedTest
  @MethodSource("serializers")
  void lossRecordsAndLossPassResults(Serializer s) {
    for (int[] labels : List.of(new int[] {255, 0, 18, 255, 3, 1},
        new int[] {-100, 0, 149, -100, 3, 1}, new int[] {70000, 0, 1, 70000, 3, 1},
        new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, 3, 1})) {
      LossRecord r = LossRecord.good(image("id-7", labels), "logits/id-7.npy", "2x3 from 1x3");
      assertSameRecord(r, roundTrip(s, r));
    }
    LossRecord bad = LossRecord.bad(null, "labels/x.png", "not a PNG");
    assertSameRecord(bad, roundTrip(s, bad));
    LossPass.PartitionResult p = roundTrip(s, new LossPass.PartitionResult(12, bad));
    assertEquals(12, p.records());
    assertSameRecord(bad, p.firstBad());
    assertEquals(new LossPass.PartitionResult(3, null),
        roundTrip(s, new LossPass.PartitionResult(3, null)));
  }

  /** The histogram a top-k pass merges: its non-empty bins, and it merges after the trip. */
  @ParameterizedTest
  @MethodSource("serializers")
  void histogramPartials(Serializer s) {
    LossHistogram h = LossHistogram.firstLevel();
    for (double v : new double[] {0.0, 0.1, 0.1, 2.5, 1e300}) {
      h.add(v);
    }
    LossHistogram back = roundTrip(s, JavaSerialized.of(h)).get();
    int bins = 0;
    for (int b = 0; b < LossHistogram.BINS; b++) {
      assertEquals(h.count(b), back.count(b));
      if (h.count(b) > 0) {
        bins++;
        assertEquals(List.of(h.sum(b), h.min(b), h.max(b)),
            List.of(back.sum(b), back.min(b), back.max(b)));
      }
    }
    assertEquals(4, bins);
    assertEquals(10, back.merge(h).total(), "a histogram read back merges");
  }

  /** The other aggregation states: top-k tail, dataset and image-scope totals, exact sums. */
  @ParameterizedTest
  @MethodSource("serializers")
  void aggregationStates(Serializer s) {
    ImageLosses img = new ImageLosses("a", 1, 4, new int[] {0, 1, 255, 1},
        PredictedClasses.of(2, new int[] {0, 0, 1, 1}), new double[] {0.5, 0.25, 0.0, 0.25}, 3,
        1, 0.5, 1.0, 0.5);
    DistributedTopK.Tail t = roundTrip(s, new DistributedTopK.Tail().add(img, 0.25, 255));
    assertEquals(List.of(1L, 2L, 0.5), List.of(t.gt, t.eq, t.sumGt.toDouble()));

    DatasetTotals d = roundTrip(s, DatasetTotals.empty(255).add(
        LossRecord.good(img, "s", "1x4 from 1x2")));
    assertEquals(List.of(1L, 3L, 1L, 0.5), List.of(d.images(), d.nValid(), d.nHard(),
        d.sumHard()));
    // per class: labels 0, 1, 1 predicted 0, 0, 1 with losses 0.5, 0.25, 0.25; merges after
    ClassTotals ct = d.classes().merge(roundTrip(s, d.classes()));
    assertEquals(List.of(2L, 4L, 4L, 2L, 2L, 2L, 1.0, 1.0), List.of(ct.nValid(0), ct.nValid(1),
        ct.nPredicted(0), ct.nPredicted(1), ct.nCorrect(0), ct.nCorrect(1), ct.lossSum(0),
        ct.lossSum(1)));
    KeptConfusion kc = roundTrip(s, new KeptConfusion().add(img, new KeepRule(0.3, 0), 255));
    kc.merge(roundTrip(s, kc)); // a deserialized state takes more images too
    kc.add(img, new KeepRule(0.3, 0), 255);
    assertEquals(List.of(3L, 1.5, 0L), List.of(kc.count(0, 0), kc.lossSum(0, 0),
        kc.count(1, 1)));
    assertEquals(new StretchedImages(1, "image_id='a' 1x4 from 1x2"), d.stretched());

    ExactSum sum = new ExactSum().add(1e300).add(1.0).add(-1e300);
    assertEquals(1.0, roundTrip(s, sum).toDouble());

    StructType report = new StructType().add("n_min", DataTypes.LongType)
        .add("n_kept", DataTypes.LongType).add("used_topk", DataTypes.BooleanType)
        .add("ohem_mean", DataTypes.DoubleType);
    ImageScopeTotals z = roundTrip(s, new ImageScopeTotals()
        .add(new GenericRowWithSchema(new Object[] {5L, 5L, true, 0.75}, report))
        .add(new GenericRowWithSchema(new Object[] {2L, 0L, false, null}, report))
        .add(new GenericRowWithSchema(new Object[] {1L, 3L, false, 0.25}, report)));
    assertEquals(List.of(8L, 8L, 1L, 1L, 0.5), List.of(z.nMin(), z.nKept(), z.nTopk(),
        z.nEmpty(), z.meanOfMeans()));
  }

  /**
   * The bad-record split's shuffled (id, copies) pairs and its aggregated tally, and the tie
   * cut-off a top-k task returns.
   */
  @ParameterizedTest
  @MethodSource("serializers")
  void badRecordSplitAndTieCutoff(Serializer s) {
    ImageLosses img = image("7", new int[] {0, 1, 2, 3, 4, 5});
    BadRecords.Copies c = BadRecords.Copies.of(LossRecord.good(img, "a/7.npy", null), 1)
        .merge(BadRecords.Copies.of(LossRecord.good(img, "b/7.npy", null), 0))
        .merge(BadRecords.Copies.of(LossRecord.bad("7", "c/7.npy", "bad"), 1));
    Tuple2<String, BadRecords.Copies> pair = roundTrip(s, new Tuple2<>("7", c));
    assertEquals("7", pair._1());
    assertCopies(c, pair._2());
    BadRecords.Tally t = roundTrip(s, new BadRecords.Tally().add(new Tuple2<>("7", c)));
    assertEquals(List.of(3L, 1L, "7"), List.of(t.bad, t.duplicatedIds, t.firstDupId));
    assertCopies(c, t.firstDup);

    assertEquals(new TieCutoff("0042", 3), roundTrip(s, new TieCutoff("0042", 3)));
    List<TieCutoff> found = new ArrayList<>(List.of(new TieCutoff("b", 1)));
    assertEquals(found, roundTrip(s, found));
  }

  private static void assertCopies(BadRecords.Copies want, BadRecords.Copies got) {
    assertEquals(List.of(want.n, want.good, want.goodSources, want.goodPartitions),
        List.of(got.n, got.good, got.goodSources, got.goodPartitions));
  }

  /** Each image's own outcome, persisted with {@code --group-by image}. */
  @ParameterizedTest
  @MethodSource("serializers")
  void imageOutcomes(Serializer s) {
    ImageLosses img = image("9", new int[] {0, 1, 2, 3, 4, 255});
    for (OhemParams p : List.of(OhemParams.DEFAULTS, OhemParams.DEFAULTS.withThresh(0.7).withFactor(2))) {
      OhemOutcome o = OhemOutcome.ofImage(p, img);
      assertEquals(o, roundTrip(s, JavaSerialized.of(o)).get());
    }
  }
}
