package org.ohemspark.report;

import java.util.Locale;

/**
 * How the report prints numbers, one rule for every table, so a reader (and a test) can match
 * a figure with {@code summary.json}: integers with thousands separators ({@code 1,234,567});
 * other numbers with 6 significant digits, without trailing zeros ({@code 0.356675},
 * {@code 12.5}, {@code 1.5e-07} below 1e-4); fractions as percentages with one decimal
 * ({@code 42.1%}); null as an em dash.
 */
public final class Figures {
  private Figures() {}

  /** The dash printed for a null figure (a 0 / 0). */
  public static final String NONE = "\u2014";

  /** An integer with thousands separators. */
  public static String count(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  /** A real number with 6 significant digits (see the class comment); null gives {@link #NONE}. */
  public static String real(Double v) {
    if (v == null) {
      return NONE;
    }
    double d = v;
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    if (d == 0) {
      return "0";
    }
    double a = Math.abs(d);
    if (a < 1e-4 || a >= 1e9) {
      String s = String.format(Locale.ROOT, "%.5e", d);
      int e = s.indexOf('e');
      return trimZeros(s.substring(0, e)) + "e" + Integer.parseInt(s.substring(e + 1));
    }
    return trimZeros(new java.math.BigDecimal(d).round(new java.math.MathContext(6))
        .toPlainString());
  }

  /** A fraction in [0, 1] as a percentage with one decimal; null gives {@link #NONE}. */
  public static String percent(Double v) {
    return v == null ? NONE : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  /** Any summary value: integers by {@link #count}, reals by {@link #real}, else its text. */
  public static String any(Object v) {
    if (v == null) {
      return NONE;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      return count(((Number) v).longValue());
    }
    if (v instanceof Number n) {
      return real(n.doubleValue());
    }
    if (v instanceof double[] a) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < a.length; i++) {
        b.append(i == 0 ? "" : ", ").append(real(a[i]));
      }
      return b.toString();
    }
    return v.toString();
  }

  private static String trimZeros(String s) {
    if (!s.contains(".")) {
      return s;
    }
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
