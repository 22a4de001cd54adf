package org.ohemspark.job;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
