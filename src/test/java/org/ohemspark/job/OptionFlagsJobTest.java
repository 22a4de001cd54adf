package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ohemspark.testing.Golden;
import org.ohemspark.testing.SparkTestSession;

/**
 * The options the field uses, given as the job's flags ({@code --min-kept}, {@code --factor 0},
 * {@code --label-smoothing}, {@code --align-corners}), on each of PyTorch's options cases
 * ({@code src/test/resources/golden_options}): summary.json holds PyTorch's float64 figures and
 * echoes the parameters.
 */
class OptionFlagsJobTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("option-flags");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * One case per flag and all at once (the engine runs every options case in both scopes in
   * {@code GoldenSparkTest}; here the flags' way to it is under test).
   */
  static List<String> cases() {
    return List.of("factor_0_min_kept", "min_kept_capped_by_n_valid", "label_smoothing_weights",
        "align_corners_smoothing_min_kept");
  }

  /** The job's flags for a case's parameters. */
  static List<String> flags(Golden.Params p) {
    List<String> f = new ArrayList<>(List.of("--thresh", Double.toString(p.thresh()),
        "--factor", Integer.toString(p.factor()), "--ignore-index",
        Integer.toString(p.ignoreIndex())));
    if (p.minKept() > 0) {
      f.addAll(List.of("--min-kept", Long.toString(p.minKept())));
    }
    if (p.labelSmoothing() > 0) {
      f.addAll(List.of("--label-smoothing", Double.toString(p.labelSmoothing())));
    }
    if (p.alignCorners()) {
      f.add("--align-corners");
    }
    if (p.classWeights() != null) {
      f.addAll(List.of("--class-weights", DoubleStream.of(p.classWeights())
          .mapToObj(Double::toString).collect(Collectors.joining(","))));
    }
    return f;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void datasetScopeFlagsGivePyTorchsFigures(String name) throws Exception {
    Golden.Case c = Golden.load(Golden.OPTIONS, name);
    JsonNode s = run(c, "dataset");
    Golden.Expected e = c.float64();
    assertEquals(e.nValid(), s.get("n_valid").asLong(), "n_valid");
    assertEquals(e.nMin(), s.get("n_min").asLong(), "n_min");
    assertEquals(e.nHard(), s.get("n_hard").asLong(), "n_hard");
    assertEquals(e.nKept(), s.get("n_kept").asLong(), "n_kept");
    assertEquals(e.usedTopk(), s.get("used_topk").asBoolean(), "used_topk");
    assertEquals(e.mean(), s.get("mean").asDouble(), 1e-6 * e.mean(), "mean");
    JsonNode p = s.get("params");
    assertEquals(c.params().minKept(), p.get("min_kept").asLong());
    assertEquals(c.params().labelSmoothing(), p.get("label_smoothing").asDouble());
    assertEquals(c.params().alignCorners(), p.get("align_corners").asBoolean());
    assertEquals(c.params().factor(), p.get("factor").asInt());
  }

  /**
   * {@code --topk approx}: summary.json alone, with bounds that hold PyTorch's k-th loss and
   * mean; it refuses the image scope and the lenient modes (exit 2).
   */
  @org.junit.jupiter.api.Test
  void approxTopKWritesTheSummaryAloneWithBoundsOfPyTorchsFigures() throws Exception {
    Golden.Case c = Golden.load("topk_path");
    Path out = tmp.resolve("approx");
    List<String> args = new ArrayList<>(List.of("--input", c.dir().toString(), "--output",
        out.toString(), "--topk", "approx"));
    args.addAll(flags(c.params()));
    JobRun r = JobRun.of(OhemMineJob::run, spark, args.toArray(String[]::new));
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    Golden.Expected e = c.float64();
    assertEquals("approx", s.get("topk").asText());
    assertEquals("approx", s.get("params").get("topk").asText());
    assertEquals("guaranteed", s.get("bounds").asText());
    assertEquals(true, s.get("used_topk").asBoolean());
    assertEquals(e.nKept(), s.get("n_kept").asLong());
    JsonNode kth = s.get("kth_loss_bounds");
    JsonNode mean = s.get("mean_bounds");
    org.junit.jupiter.api.Assertions.assertTrue(kth.get(0).asDouble() <= e.kthLoss() + 1e-6
        && e.kthLoss() - 1e-6 <= kth.get(1).asDouble(), kth.toString());
    org.junit.jupiter.api.Assertions.assertTrue(mean.get(0).asDouble() <= e.mean() * (1 + 1e-6)
        && e.mean() * (1 - 1e-6) <= mean.get(1).asDouble(), mean.toString());
    org.junit.jupiter.api.Assertions.assertTrue(s.get("rank_error").asLong() >= 1);
    assertEquals(0, s.get("outputs").size());
    try (var files = java.nio.file.Files.list(out)) {
      assertEquals(List.of("summary.json"), files.map(f -> f.getFileName().toString())
          .filter(n -> !n.startsWith(".") && !n.startsWith("_")).sorted().toList());
    }
    assertEquals(true, r.out().contains("bounds (guaranteed): mean ["), r.out());
    for (String[] bad : new String[][] {{"--group-by", "image"}, {"--mode", "PERMISSIVE"}}) {
      JobRun refused = JobRun.of(OhemMineJob::run, spark, "--input", c.dir().toString(),
          "--output", tmp.resolve("refused").toString(), "--topk", "approx", bad[0], bad[1]);
      assertEquals(ExitCode.BAD_ARGUMENTS, refused.code(), refused.err());
      org.junit.jupiter.api.Assertions.assertTrue(refused.err().contains("topk=approx"),
          refused.err());
    }
  }

  private JsonNode run(Golden.Case c, String groupBy) throws Exception {
    assertEquals(true, Golden.cases(Golden.OPTIONS).contains(c.name()), c.name());
    Path out = tmp.resolve("out-" + groupBy);
    List<String> args = new ArrayList<>(List.of("--input", c.dir().toString(), "--output",
        out.toString(), "--group-by", groupBy, "--partitions", "2"));
    args.addAll(flags(c.params()));
    JobRun r = JobRun.of(OhemMineJob::run, spark, args.toArray(String[]::new));
    assertEquals(ExitCode.OK, r.code(), r.err());
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }
}
