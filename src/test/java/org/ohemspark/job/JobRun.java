package org.ohemspark.job;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One in-process run of a job's {@code run(args, spark, out, err)}: exit code and output. */
record JobRun(int code, String out, String err) {

  /** Runs {@code body} on {@code spark}, capturing stdout and stderr. */
  static JobRun of(JobLauncher.Body body, SparkSession spark, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = body.run(args, spark, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new JobRun(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Ingests {@code input} into Parquet shards at {@code output} ({@code ohem-ingest}, with
   * {@code extra} flags), and fails the test unless it exits {@link ExitCode#OK}.
   *
   * @return {@code output}
   */
  static Path ingest(SparkSession spark, Path input, Path output, String... extra) {
    String[] args = new String[4 + extra.length];
    args[0] = "--input";
    args[1] = input.toString();
    args[2] = "--output";
    args[3] = output.toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    JobRun r = of(OhemIngestJob::run, spark, args);
    if (r.code() != ExitCode.OK) {
      throw new AssertionError("ohem-ingest exited " + r.code() + ": " + r.err());
    }
    return output;
  }
}
