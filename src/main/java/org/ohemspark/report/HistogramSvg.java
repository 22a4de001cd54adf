package org.ohemspark.report;

import java.util.Locale;

/**
 * The loss histogram as inline SVG: one {@code rect.bar} per non-empty bin (its
 * {@code data-count} the bin's count, {@code data-lo} and {@code data-hi} its range in nats,
 * {@code Infinity} for the last bin's end; its tooltip the range and count), a log-scaled count
 * axis (powers of ten), a loss axis in nats, and vertical marks at {@code -ln(thresh)}
 * ({@code line.mark-thresh}) and at the k-th loss ({@code line.mark-kth}, where there is one).
 * The count axis starts a little below 1, so a bin of one pixel still shows.
 */
public final class HistogramSvg {
  private HistogramSvg() {}

  static final int WIDTH = 880;
  static final int HEIGHT = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 44;
  /** Decades below 1 on the count axis, so a bin of one pixel has a visible bar. */
  private static final double BASE = 0.3;

  /**
   * @param threshold {@code -ln(thresh)}, nats
   * @param kth the k-th loss, nats, or null
   */
  public static String render(Histogram hist, double threshold, Double kth) {
    int pw = WIDTH - LEFT - RIGHT;
    int ph = HEIGHT - TOP - BOTTOM;
    long max = 1;
    for (long c : hist.counts()) {
      max = Math.max(max, c);
    }
    double decades = Math.max(1, Math.ceil(Math.log10(max))); // the axis top: 10^decades
    double top = hist.width() * hist.bins();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg class=\"chart\" id=\"loss-histogram\" "
        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Histogram of valid pixel losses\" "
        + "data-bins=\"%d\">", WIDTH, HEIGHT, hist.bins()));
    // count axis: a grid line per power of ten
    for (int d = 0; d <= decades; d++) {
      double y = TOP + ph - height(Math.pow(10, d), decades, ph);
      s.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" "
          + "y1=\"%.1f\" y2=\"%.1f\"/><text class=\"tick\" x=\"%d\" y=\"%.1f\" "
          + "text-anchor=\"end\">%s</text>", LEFT, LEFT + pw, y, y, LEFT - 6, y + 4,
          powerLabel(d)));
    }
    double bw = (double) pw / hist.bins();
    for (int b = 0; b < hist.bins(); b++) {
      long c = hist.counts()[b];
      if (c == 0) {
        continue;
      }
      double bh = height(c, decades, ph);
      double x = LEFT + b * bw;
      String range = b == hist.bins() - 1
          ? String.format(Locale.ROOT, "\u2265 %s nats", Figures.real(b * hist.width()))
          : String.format(Locale.ROOT, "%s to %s nats", Figures.real(b * hist.width()),
              Figures.real((b + 1) * hist.width()));
      s.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" "
          + "width=\"%.2f\" height=\"%.2f\" data-count=\"%d\" data-lo=\"%s\" data-hi=\"%s\">"
          + "<title>%s: %s pixels</title></rect>", x + 0.5, TOP + ph - bh, Math.max(0.5, bw - 1),
          bh, c, b * hist.width(), b == hist.bins() - 1 ? "Infinity" : (b + 1) * hist.width(),
          range, Figures.count(c)));
    }
    // loss axis
    s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" "
        + "y2=\"%d\"/>", LEFT, LEFT + pw, TOP + ph, TOP + ph));
    double step = niceStep(top / 8);
    for (double v = 0; v <= top + 1e-9; v += step) {
      double x = LEFT + pw * v / top;
      s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" "
          + "y1=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"%.1f\" y=\"%d\" "
          + "text-anchor=\"middle\">%s</text>", x, x, TOP + ph, TOP + ph + 5, x, TOP + ph + 18,
          Figures.real(v)));
    }
    s.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" "
        + "text-anchor=\"middle\">loss (nats)</text>", LEFT + pw / 2, HEIGHT - 6));
    s.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"14\" y=\"%d\" "
        + "text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">pixels (log)</text>",
        TOP + ph / 2, TOP + ph / 2));
    mark(s, "mark-thresh", "-ln(thresh) = " + Figures.real(threshold), threshold, top, pw, ph,
        kth == null ? 0 : 1);
    if (kth != null) {
      mark(s, "mark-kth", "k-th loss = " + Figures.real(kth), kth, top, pw, ph, 0);
    }
    return s.append("</svg>").toString();
  }

  /**
   * A vertical mark at loss {@code v} (its tooltip {@code label}) and its key in the legend at
   * the top right, the {@code slot}-th from the right.
   */
  private static void mark(StringBuilder s, String cls, String label, double v, double top,
      int pw, int ph, int slot) {
    double x = LEFT + pw * Math.min(v, top) / top;
    s.append(String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
        + "y2=\"%d\"><title>%s</title></line>", cls, x, x, TOP, TOP + ph, Html.text(label)));
    int right = LEFT + pw - slot * 210;
    s.append(String.format(Locale.ROOT, "<line class=\"key-%s\" x1=\"%d\" x2=\"%d\" "
        + "y1=\"10\" y2=\"10\"/><text class=\"%s-label\" x=\"%d\" y=\"14\">%s</text>", cls,
        right - 200, right - 176, cls, right - 170, Html.text(label)));
  }

  /**
   * A count's bar height on the log axis: the axis starts at {@code 10^-BASE} (so a count of one
   * shows) and ends at {@code 10^decades}.
   */
  private static double height(double count, double decades, int ph) {
    return ph * (Math.log10(count) + BASE) / (decades + BASE);
  }

  /** 1, 10, 100, 1k, 10k, 100k, 1M ... 100G, then 10^d. */
  static String powerLabel(int d) {
    String[] units = {"", "k", "M", "G"};
    if (d >= 12) {
      return "1e" + d;
    }
    return (long) Math.pow(10, d % 3) + units[d / 3];
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
