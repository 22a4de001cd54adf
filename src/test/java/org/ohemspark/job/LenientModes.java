package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.testing.JobOutputs;

/** The check every bad-input test makes of the modes that go on past bad records. */
final class LenientModes {
  static final List<String> MODES = List.of("PERMISSIVE", "DROPMALFORMED");

  private LenientModes() {}

  /**
   * Mines {@code data} in PERMISSIVE and DROPMALFORMED into {@code <outPrefix><MODE>}: exit 0,
   * the summary figures and hard-pixel rows of {@code cleanOut} (a run over the good records
   * only), {@code nBad} bad records, the mode in the summary, {@code quarantine/} only in
   * PERMISSIVE.
   *
   * @param extraArgs more arguments for both runs (e.g. {@code --model M})
   * @return the two runs, by mode (their stderr holds the bad-record report line)
   */
  static Map<String, JobRun> giveTheCleanResult(SparkSession spark, Path data, Path cleanOut,
      String outPrefix, long nBad, String... extraArgs) throws IOException {
    Map<String, JobRun> runs = new LinkedHashMap<>();
    for (String mode : MODES) {
      Path out = Path.of(outPrefix + mode);
      List<String> args = new java.util.ArrayList<>(List.of("--input", data.toString(),
          "--output", out.toString(), "--mode", mode));
      args.addAll(List.of(extraArgs));
      JobRun r = JobRun.of(OhemMineJob::run, spark, args.toArray(new String[0]));
      assertEquals(ExitCode.OK, r.code(), mode + ": " + r.err());
      assertEquals(JobOutputs.figures(JobOutputs.summary(cleanOut)),
          JobOutputs.figures(JobOutputs.summary(out)), mode);
      assertEquals(nBad, JobOutputs.summary(out).get("n_bad_records").asLong(), mode);
      assertEquals(mode, JobOutputs.summary(out).get("mode").asText());
      assertEquals(JobOutputs.hardRows(spark, cleanOut), JobOutputs.hardRows(spark, out), mode);
      assertEquals(mode.equals("PERMISSIVE"), Files.exists(out.resolve("quarantine")), mode);
      runs.put(mode, r);
    }
    return runs;
  }
}
