package org.ohemspark.spark;

/**
 * Rethrows a failure unchanged, whatever its type: Spark's Scala actions throw
 * {@code SparkException} (checked in Java) undeclared, and callers (the job's exit codes) examine
 * a failure as the action gave it, not wrapped.
 */
public final class Rethrow {
  private Rethrow() {}

  /**
   * Throws {@code t} itself. Declared to return an exception so that a caller can write
   * {@code throw Rethrow.unchecked(t);} and the compiler sees the branch end.
   */
  public static RuntimeException unchecked(Throwable t) {
    throw Rethrow.<RuntimeException>as(t);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E as(Throwable t) throws E {
    throw (E) t;
  }
}
