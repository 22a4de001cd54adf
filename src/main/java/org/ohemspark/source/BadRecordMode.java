package org.ohemspark.source;

import java.util.Locale;

/**
 * What to do with bad records, after Spark's own reader option {@code mode}.
 *
 * <ul>
 *   <li>{@code FAILFAST}: stop at the first bad record (the job exits 3, naming it).</li>
 *   <li>{@code PERMISSIVE}: go on; every bad record is written to {@code quarantine/} with its
 *       image id, source and reason, and counted in the summary.</li>
 *   <li>{@code DROPMALFORMED}: go on; bad records are dropped and counted.</li>
 * </ul>
 *
 * In every mode the result over the good records is the result over a dataset holding only them.
 */
public enum BadRecordMode {
  FAILFAST, PERMISSIVE, DROPMALFORMED;

  /**
   * @throws IllegalArgumentException for any other name
   */
  public static BadRecordMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mode must be FAILFAST, PERMISSIVE or DROPMALFORMED, "
          + "got '" + s + "'");
    }
  }
}
