package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.core.ClassReport;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.SparkTestSession;

/**
 * The predicted class of each kept pixel, the per-class table, {@code miou}, {@code aacc} and
 * the confusion of the kept pixels on every golden case, in both scopes, against arithmetic done
 * here: PyTorch's argmax and float64 losses ({@code golden_classes/<case>.json}, made by
 * {@code make_golden_classes.py} with {@code torch.argmax} and {@code F.cross_entropy}), the
 * argmax again by a plain loop over the float32 logits files where they are at the label size,
 * and every count, ratio and mean by plain loops over those pixels. The kept set itself is the
 * engine's {@code hard_pixels/} ({@link GoldenSparkTest} holds it to PyTorch's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClassTablesGoldenSparkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  SparkSession spark;

  @BeforeAll
  void start() {
    spark = SparkTestSession.create("class-tables-golden");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  static Stream<String> cases() {
    return Golden.cases().stream();
  }

  /** PyTorch's figures of one case. */
  static JsonNode torch(String name) {
    Path p = Golden.root().resolveSibling("golden_classes").resolve(name + ".json");
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static double[] doubles(JsonNode a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  /**
   * The argmax of every pixel by a plain loop over the logits files, the first maximum in class
   * order; null where the logits are resized or not float32 (PyTorch's argmax covers those).
   */
  static int[] plainArgmax(Golden.Case c) {
    int classes = c.logitsShape()[1];
    int h = c.logitsShape()[2];
    int w = c.logitsShape()[3];
    if (h != c.height() || w != c.width() || c.name().equals("float16_logits")) {
      return null;
    }
    int hw = h * w;
    int[] out = new int[c.images() * hw];
    for (int n = 0; n < c.images(); n++) {
      float[] l = Golden.readFloat32(c.logitsFile(n), new int[] {classes, h, w});
      for (int i = 0; i < hw; i++) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
          if (l[k * hw + i] > l[best * hw + i]) {
            best = k;
          }
        }
        out[n * hw + i] = best;
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void datasetScope(String name) {
    check(name, GroupBy.DATASET);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void imageScope(String name) {
    check(name, GroupBy.IMAGE);
  }

  private void check(String name, GroupBy scope) {
    Golden.Case c = Golden.load(name);
    JsonNode t = torch(name);
    int classes = t.get("classes").asInt();
    int[] labels = ints(t.get("labels"));
    int[] argmax = ints(t.get("argmax"));
    double[] loss = doubles(t.get("loss64"));
    int[] plain = plainArgmax(c);
    if (plain != null) {
      for (int i = 0; i < plain.length; i++) {
        assertEquals(plain[i], argmax[i], "PyTorch's argmax and a plain loop, pixel " + i);
      }
    }
    int ignore = c.params().ignoreIndex();
    long hw = (long) c.height() * c.width();
    List<String> names = new ArrayList<>();
    for (int k = 0; k < classes - 1; k++) { // the last class has no name: null
      names.add("class " + k);
    }
    try (OhemMiner.Result r = OhemMiner.on(spark).params(c.params().toOhemParams())
        .groupBy(scope).partitions(2).classNames(names).mineDirectory(c.dir().toString())) {
      // the predicted class of every kept pixel; the kept set, by (label, predicted)
      long[] keptOf = new long[classes];
      Map<List<Integer>, double[]> pairs = new TreeMap<>(
          Comparator.<List<Integer>>comparingInt(l -> l.get(0)).thenComparingInt(l -> l.get(1)));
      List<Row> hard = r.hardPixels().collectAsList();
      for (Row row : hard) {
        int flat = (int) (Integer.parseInt(row.getString(0)) * hw + row.getLong(1));
        assertEquals(argmax[flat], row.<Integer>getAs("predicted"), "predicted at " + flat);
        assertEquals(labels[flat], row.<Integer>getAs("label"));
        keptOf[labels[flat]]++;
        double[] cell = pairs.computeIfAbsent(List.of(labels[flat], argmax[flat]),
            k -> new double[2]);
        cell[0]++;
        cell[1] += loss[flat];
      }
      long allKept = hard.size();

      // per class, plain loops over the valid pixels
      List<Row> rows = r.classes().collectAsList();
      assertEquals(classes, rows.size(), "one row per class");
      long sumCorrect = 0;
      long sumValid = 0;
      double iouSum = 0;
      int iouN = 0;
      for (int k = 0; k < classes; k++) {
        long nValid = 0;
        long nPred = 0;
        long nCorrect = 0;
        double lossSum = 0;
        for (int i = 0; i < labels.length; i++) {
          if (labels[i] == ignore) {
            continue;
          }
          nValid += labels[i] == k ? 1 : 0;
          nPred += argmax[i] == k ? 1 : 0;
          nCorrect += labels[i] == k && argmax[i] == k ? 1 : 0;
          lossSum += labels[i] == k ? loss[i] : 0;
        }
        Row row = rows.get(k);
        String where = name + " " + scope + " class " + k;
        JsonNode pc = t.get("per_class").get(k);
        assertEquals(k, row.<Integer>getAs("class_id"), where);
        assertEquals(k < classes - 1 ? "class " + k : null, row.getAs("class_name"), where);
        assertEquals(List.of(nValid, nPred, nCorrect), List.of(row.<Long>getAs("n_valid"),
            row.<Long>getAs("n_predicted"), row.<Long>getAs("n_correct")), where);
        assertEquals(List.of(pc.get("n_valid").asLong(), pc.get("n_predicted").asLong(),
            pc.get("n_correct").asLong()), List.of(nValid, nPred, nCorrect), where + " torch");
        long union = nValid + nPred - nCorrect;
        assertRatio(union == 0 ? null : (double) nCorrect / union, row.getAs("iou"), where);
        assertRatio(pc.get("iou").isNull() ? null : pc.get("iou").asDouble(), row.getAs("iou"),
            where + " torch iou");
        assertRatio(nValid == 0 ? null : (double) nCorrect / nValid, row.getAs("acc"), where);
        Double meanLoss = row.getAs("mean_loss");
        if (nValid == 0) {
          assertNull(meanLoss, where);
          assertTrue(pc.get("mean_loss").isNull(), where);
        } else {
          double want = pc.get("mean_loss").asDouble();
          assertEquals(lossSum / nValid, want, 1e-12 * Math.abs(want) + 1e-15, where);
          assertEquals(want, meanLoss, 1e-6 * Math.abs(want) + 1e-12, where + " mean_loss");
        }
        assertEquals(keptOf[k], row.<Long>getAs("n_kept"), where + " n_kept");
        assertRatio(nValid == 0 ? null : (double) keptOf[k] / nValid,
            row.getAs("kept_fraction"), where);
        assertRatio(allKept == 0 ? null : (double) keptOf[k] / allKept, row.getAs("kept_share"),
            where);
        if (union > 0) {
          iouSum += (double) nCorrect / union;
          iouN++;
        }
        sumCorrect += nCorrect;
        sumValid += nValid;
      }
      ClassReport report = r.classReport();
      assertRatio(iouN == 0 ? null : iouSum / iouN, report.miou(), name + " miou");
      assertRatio(t.get("miou").isNull() ? null : t.get("miou").asDouble(), report.miou(),
          name + " torch miou");
      assertRatio(sumValid == 0 ? null : (double) sumCorrect / sumValid, report.aacc(),
          name + " aacc");
      assertRatio(t.get("aacc").isNull() ? null : t.get("aacc").asDouble(), report.aacc(),
          name + " torch aacc");

      // the confusion of the kept pixels, ranked by n_kept, then label, predicted
      List<double[]> want = new ArrayList<>();
      pairs.forEach((k, v) -> want.add(new double[] {k.get(0), k.get(1), v[0], v[1] / v[0]}));
      want.sort(Comparator.<double[]>comparingDouble(a -> -a[2])
          .thenComparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
      List<Row> conf = r.confusion().collectAsList();
      assertEquals(want.size(), conf.size(), name + " confusion rows");
      for (int j = 0; j < want.size(); j++) {
        double[] w = want.get(j);
        Row row = conf.get(j);
        String where = name + " " + scope + " confusion row " + j;
        assertEquals(List.of((int) w[0], (int) w[1], (long) w[2]),
            List.of(row.<Integer>getAs("label"), row.<Integer>getAs("predicted"),
                row.<Long>getAs("n_kept")), where);
        assertEquals(w[0] < classes - 1 ? "class " + (int) w[0] : null,
            row.getAs("label_name"), where);
        assertEquals(w[1] < classes - 1 ? "class " + (int) w[1] : null,
            row.getAs("predicted_name"), where);
        assertEquals(w[3], row.<Double>getAs("mean_loss"), 1e-6 * w[3] + 1e-12, where);
      }
    }
  }

  private static void assertRatio(Double want, Double got, String where) {
    if (want == null) {
      assertNull(got, where + ": a zero denominator gives null");
    } else {
      assertNotNull(got, where);
      assertEquals(want, got, 1e-12 * Math.abs(want) + 1e-15, where);
    }
  }
}
