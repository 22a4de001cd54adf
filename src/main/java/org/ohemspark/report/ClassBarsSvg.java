package org.ohemspark.report;

import java.util.List;
import java.util.Locale;
import org.ohemspark.core.ClassReport;

/**
 * The per-class bar chart as inline SVG: a row per class (its palette colour and name), a bar
 * of {@code kept_fraction} ({@code rect.bar-kept}) and one of IoU ({@code rect.bar-iou}) on a
 * shared 0 to 100% axis. A null figure (0 / 0) has no bar and an em dash.
 */
public final class ClassBarsSvg {
  private ClassBarsSvg() {}

  static final int WIDTH = 880;
  private static final int LABEL = 200;
  private static final int RIGHT = 70;
  private static final int TOP = 30;
  private static final int ROW = 30;
  private static final int BAR = 10;

  /** The chart of {@code rows}, one row each, in their order. */
  public static String render(List<ClassReport.ClassRow> rows) {
    int pw = WIDTH - LABEL - RIGHT;
    int height = TOP + ROW * rows.size() + 24;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg class=\"chart\" id=\"class-bars\" viewBox=\"0 0 "
        + "%d %d\" role=\"img\" aria-label=\"Kept fraction and IoU per class\" "
        + ">", WIDTH, height));
    for (int p = 0; p <= 100; p += 25) {
      double x = LABEL + pw * p / 100.0;
      s.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" "
          + "y1=\"%d\" y2=\"%d\"/><text class=\"tick\" x=\"%.1f\" y=\"%d\" "
          + "text-anchor=\"middle\">%d%%</text>", x, x, TOP - 4, TOP + ROW * rows.size(), x,
          TOP + ROW * rows.size() + 16, p));
    }
    s.append(String.format(Locale.ROOT, "<rect class=\"key-kept\" x=\"%d\" y=\"6\" width=\"12\" "
        + "height=\"10\"/><text class=\"legend\" x=\"%d\" y=\"15\">kept fraction (kept / valid "
        + "pixels of the class)</text><rect class=\"key-iou\" x=\"%d\" y=\"6\" width=\"12\" "
        + "height=\"10\"/><text class=\"legend\" x=\"%d\" y=\"15\">IoU</text>", LABEL, LABEL + 18,
        LABEL + 330, LABEL + 348));
    for (int i = 0; i < rows.size(); i++) {
      ClassReport.ClassRow r = rows.get(i);
      int y = TOP + i * ROW;
      s.append(String.format(Locale.ROOT, "<rect class=\"swatch\" x=\"4\" y=\"%d\" width=\"12\" "
          + "height=\"12\" fill=\"%s\"/><text class=\"class-label\" x=\"22\" y=\"%d\">%s</text>",
          y + 7, Palette.css(r.classId()), y + 17, Html.text(ClassNames.label(r))));
      bar(s, "bar-kept", "kept fraction", r.keptFraction(), y + 4, pw);
      bar(s, "bar-iou", "IoU", r.iou(), y + 4 + BAR + 1, pw);
    }
    return s.append("</svg>").toString();
  }

  private static void bar(StringBuilder s, String cls, String what, Double v, int y, int pw) {
    if (v == null) {
      s.append(String.format(Locale.ROOT, "<text class=\"value\" x=\"%d\" y=\"%d\">%s %s</text>",
          LABEL + 4, y + BAR - 1, what, Figures.NONE));
      return;
    }
    double w = pw * Math.max(0, Math.min(1, v));
    s.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.2f\" "
        + "height=\"%d\"><title>%s %s</title></rect><text class=\"value\" x=\"%.1f\" "
        + "y=\"%d\">%s</text>", cls, LABEL, y, Math.max(w, 0.5), BAR, what, Figures.percent(v),
        LABEL + w + 4, y + BAR - 1, Figures.percent(v)));
  }
}
