package org.ohemspark.report;

import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import org.ohemspark.core.ClassReport;

/**
 * Section (e): the worst images by rank, a card each: the picture with its kept pixels marked,
 * the label mask and the predicted classes (PNG {@code data:} URIs), and the image's figures;
 * above them, the palette's legend for the classes of the run.
 */
final class WorstImagesSection {
  private WorstImagesSection() {}

  static String render(List<WorstImage> worst, List<ClassReport.ClassRow> classes) {
    StringBuilder s = new StringBuilder("<section id=\"worst\"><h2>Worst images</h2>");
    s.append("<p class=\"lead\">The ").append(worst.size()).append(" images whose kept pixels "
        + "sum the most loss (<code>kept_loss_sum</code>, ties by <code>image_id</code>). "
        + "Kept pixels are <span class=\"kept-key\">magenta</span> over the picture; the rest "
        + "is dimmed.</p>");
    s.append(legend(classes));
    s.append("<div class=\"worst-grid\">");
    for (WorstImage w : worst) {
      s.append("<article class=\"worst-card\" data-rank=\"").append(w.rank())
          .append("\" data-image-id=\"").append(Html.text(w.imageId())).append("\">")
          .append("<h3><span class=\"rank\">#").append(w.rank()).append("</span> ")
          .append(Html.text(w.imageId())).append("</h3><div class=\"thumbs\">");
      thumb(s, w.picture(), w.photo() ? "picture, kept pixels" : "labels (no picture), kept "
          + "pixels");
      thumb(s, w.labels(), "label mask");
      thumb(s, w.predicted(), "predicted");
      s.append("</div><dl class=\"figs\">");
      fig(s, "kept loss sum", Figures.real(w.keptLossSum()));
      fig(s, "kept", Figures.count(w.nKept()));
      fig(s, "hard", Figures.count(w.nHard()));
      fig(s, "valid", Figures.count(w.nValid()));
      fig(s, "mean kept loss", Figures.real(w.meanKeptLoss()));
      fig(s, "size", w.height() + " \u00d7 " + w.width());
      s.append("</dl></article>");
    }
    return s.append("</div></section>").toString();
  }

  private static String legend(List<ClassReport.ClassRow> classes) {
    TreeMap<Integer, String> names = new TreeMap<>();
    for (ClassReport.ClassRow r : classes) {
      names.put(r.classId(), ClassNames.label(r));
    }
    StringBuilder s = new StringBuilder("<div class=\"legend-row\">");
    names.forEach((id, name) -> s.append("<span class=\"legend-item\"><span class=\"swatch\" "
        + "style=\"background:").append(Palette.css(id)).append("\"></span>")
        .append(Html.text(name)).append("</span>"));
    return s.append("<span class=\"legend-item\"><span class=\"swatch\" style=\"background:")
        .append(Palette.css(-1)).append("\"></span>ignored</span></div>").toString();
  }

  private static void thumb(StringBuilder s, byte[] png, String caption) {
    s.append("<figure><img alt=\"").append(Html.text(caption))
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>")
        .append(Html.text(caption)).append("</figcaption></figure>");
  }

  private static void fig(StringBuilder s, String name, String value) {
    s.append("<div><dt>").append(Html.text(name)).append("</dt><dd>").append(Html.text(value))
        .append("</dd></div>");
  }
}
