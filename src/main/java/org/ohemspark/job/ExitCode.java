package org.ohemspark.job;

/** Process exit codes of the jobs, for schedulers. */
public final class ExitCode {
  private ExitCode() {}

  /** The run finished and its output is committed. */
  public static final int OK = 0;
  /** Anything else failed (Spark, I/O, a bug); no output was committed. */
  public static final int FAILURE = 1;
  /** Bad arguments or configuration (unknown flag, value out of range, output exists). */
  public static final int BAD_ARGUMENTS = 2;
  /** Bad input data (a malformed or inconsistent record, an empty dataset). */
  public static final int BAD_INPUT = 3;
}
