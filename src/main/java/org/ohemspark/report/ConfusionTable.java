package org.ohemspark.report;

import java.util.List;
import org.ohemspark.core.ClassReport;

/**
 * Section (d): the first rows of {@code confusion/} (the kept pixels by label and predicted
 * class, most kept first), with each pair's share of all kept pixels as a bar. A pair whose
 * label equals its prediction is a correct but uncertain pixel, marked as such.
 */
final class ConfusionTable {
  private ConfusionTable() {}

  /**
   * @param rows the confusion rows in rank order; the first {@code limit} are shown
   * @param allKept the kept pixels of the run (summary's {@code n_kept}), for the share
   */
  static String render(List<ClassReport.ConfusionRow> rows, int limit, long allKept) {
    StringBuilder s = new StringBuilder("<table class=\"data sortable\" "
        + "id=\"confusion-table\"><thead><tr><th data-col=\"0\">label</th>"
        + "<th data-col=\"1\">predicted</th><th data-col=\"2\" class=\"num\">n_kept</th>"
        + "<th data-col=\"3\" class=\"num\">share of kept</th>"
        + "<th data-col=\"4\" class=\"num\">mean_loss</th></tr></thead><tbody>");
    for (ClassReport.ConfusionRow r : rows.subList(0, Math.min(limit, rows.size()))) {
      double share = allKept == 0 ? 0 : (double) r.nKept() / allKept;
      s.append("<tr>");
      cls(s, r.label(), r.labelName());
      cls(s, r.predicted(), r.predictedName());
      if (r.label() == r.predicted()) {
        s.setLength(s.length() - "</td>".length());
        s.append(" <span class=\"tag\">right class, low confidence</span></td>");
      }
      s.append("<td class=\"num\" data-sort=\"").append(r.nKept()).append("\">")
          .append(Figures.count(r.nKept())).append("</td><td class=\"num share\" data-sort=\"")
          .append(share).append("\"><span class=\"share-bar\" style=\"width:")
          .append(String.format(java.util.Locale.ROOT, "%.1f", 100 * share))
          .append("%\"></span><span class=\"share-text\">").append(Figures.percent(share))
          .append("</span></td><td class=\"num\" data-sort=\"").append(r.meanLoss())
          .append("\">").append(Figures.real(r.meanLoss())).append("</td></tr>");
    }
    s.append("</tbody></table>");
    if (rows.size() > limit) {
      s.append("<p class=\"note\">").append(Figures.count(rows.size() - limit))
          .append(" more pairs in confusion/.</p>");
    }
    return s.toString();
  }

  private static void cls(StringBuilder s, int id, String name) {
    s.append("<td data-sort=\"").append(id).append("\"><span class=\"swatch\" style=\""
        + "background:").append(Palette.css(id)).append("\"></span>")
        .append(Html.text(ClassNames.label(id, name))).append("</td>");
  }
}
