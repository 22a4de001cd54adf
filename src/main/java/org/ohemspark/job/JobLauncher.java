package org.ohemspark.job;

import java.io.PrintStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * What every job's entry point shares: a SparkSession (master from spark-submit, else
 * {@code local[*]}), picocli parsing with the {@link ExitCode} for bad flags, and
 * {@code System.exit} with the body's code once the session is stopped.
 */
final class JobLauncher {
  private JobLauncher() {}

  /** A job's body, run on a session it does not stop. */
  @FunctionalInterface
  interface Body {
    int run(String[] args, SparkSession spark, PrintStream out, PrintStream err);
  }

  /** Runs {@code body} as the process's main and exits with its code. */
  static void main(String name, String[] args, Body body) {
    SparkSession.Builder b = SparkSession.builder().appName(name);
    if (!new SparkConf().contains("spark.master")) {
      b.master("local[*]");
    }
    int code;
    SparkSession spark = null;
    try {
      spark = b.getOrCreate();
      code = body.run(args, spark, System.out, System.err);
    } catch (RuntimeException e) {
      System.err.println(name + ": cannot start Spark: " + e);
      code = ExitCode.FAILURE;
    } finally {
      if (spark != null) {
        spark.stop();
      }
    }
    System.exit(code);
  }

  /**
   * Parses {@code args} into the picocli command object {@code cmd}.
   *
   * @return null to go on, or the exit code to return: {@link ExitCode#BAD_ARGUMENTS} with the
   *     usage on {@code err} for bad flags, {@link ExitCode#OK} after printing help or the
   *     version ({@link JobVersion})
   */
  static Integer parse(String name, Object cmd, String[] args, PrintStream out,
      PrintStream err) {
    CommandLine cl = new CommandLine(cmd);
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      err.println(name + ": " + e.getMessage());
      cl.usage(err);
      return ExitCode.BAD_ARGUMENTS;
    }
    if (cl.isVersionHelpRequested()) {
      cl.printVersionHelp(out);
      return ExitCode.OK;
    }
    if (cl.isUsageHelpRequested()) {
      cl.usage(out);
      return ExitCode.OK;
    }
    return null;
  }
}
