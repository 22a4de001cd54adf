package org.ohemspark.report;

import java.util.List;
import org.ohemspark.core.ClassReport;

/**
 * The per-class table of section (c), the rows of {@code classes/}: sortable by any column
 * (each cell's {@code data-sort} is the raw number, the page's script sorts on it), the class
 * with its palette colour.
 */
final class ClassTable {
  private ClassTable() {}

  static final String[] COLUMNS = {"class", "n_valid", "n_predicted", "n_correct", "iou",
      "acc", "mean_loss", "n_kept", "kept_fraction", "kept_share"};

  static String render(List<ClassReport.ClassRow> rows) {
    StringBuilder s = new StringBuilder("<table class=\"data sortable\" id=\"classes-table\">"
        + "<thead><tr>");
    for (int i = 0; i < COLUMNS.length; i++) {
      s.append("<th data-col=\"").append(i).append("\"").append(i == 0 ? "" : " class=\"num\"")
          .append(">").append(COLUMNS[i]).append("</th>");
    }
    s.append("</tr></thead><tbody>");
    for (ClassReport.ClassRow r : rows) {
      s.append("<tr data-class-id=\"").append(r.classId()).append("\">")
          .append("<td data-sort=\"").append(r.classId()).append("\"><span class=\"swatch\" "
              + "style=\"background:").append(Palette.css(r.classId())).append("\"></span>")
          .append(Html.text(ClassNames.label(r))).append("</td>");
      count(s, r.nValid());
      count(s, r.nPredicted());
      count(s, r.nCorrect());
      real(s, r.iou());
      real(s, r.acc());
      real(s, r.meanLoss());
      count(s, r.nKept());
      real(s, r.keptFraction());
      real(s, r.keptShare());
      s.append("</tr>");
    }
    return s.append("</tbody></table>").toString();
  }

  private static void count(StringBuilder s, long v) {
    s.append("<td class=\"num\" data-sort=\"").append(v).append("\">")
        .append(Figures.count(v)).append("</td>");
  }

  private static void real(StringBuilder s, Double v) {
    s.append("<td class=\"num\" data-sort=\"").append(v == null ? "" : v.toString())
        .append("\">").append(Figures.real(v)).append("</td>");
  }
}
