package org.ohemspark.report;

import java.util.Map;

/**
 * The mining report, {@code report.html}: one self-contained page (inline CSS, inline SVG
 * charts, PNG {@code data:} URIs, one small inline script that sorts tables; nothing loaded
 * from elsewhere, so it opens offline). Sections: (a) summary ({@link SummarySection}), (b) the
 * loss histogram ({@link HistogramSvg}), (c) the per-class table and chart
 * ({@link ClassTable}, {@link ClassBarsSvg}), (d) the top confusions of the kept pixels
 * ({@link ConfusionTable}), (e) the worst images ({@link WorstImagesSection}).
 */
public final class ReportPage {
  private ReportPage() {}

  /** Confusion rows shown. */
  public static final int CONFUSION_ROWS = 15;

  /** The page's HTML text (UTF-8 when written). */
  public static String render(ReportData d) {
    Map<String, Object> sum = d.summary();
    double threshold = ((Number) sum.get("loss_threshold")).doubleValue();
    Double kth = sum.get("kth_loss") == null ? null : ((Number) sum.get("kth_loss"))
        .doubleValue();
    long kept = sum.get("n_kept") == null ? 0 : ((Number) sum.get("n_kept")).longValue();
    StringBuilder s = new StringBuilder(64 * 1024);
    s.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>OHEM mining report</title><style>").append(Style.CSS).append("</style></head>"
        + "<body><header><h1>OHEM mining report</h1><p class=\"input\">")
        .append(Html.text(String.valueOf(sum.get("input")))).append("</p><nav>"
        + "<a href=\"#summary\">Summary</a><a href=\"#losses\">Losses</a>"
        + "<a href=\"#classes\">Classes</a><a href=\"#confusions\">Confusions</a>"
        + "<a href=\"#worst\">Worst images</a></nav></header><main>");
    s.append(SummarySection.render(sum, d.seconds()));
    s.append("<section id=\"losses\"><h2>Loss histogram</h2><p class=\"lead\">Losses of the ")
        .append(Figures.count(d.histogram().total())).append(" valid pixels, in bins of ")
        .append(Figures.real(d.histogram().width())).append(" nats (the last bin holds every "
        + "larger loss); counts on a log scale. Pixels right of <span class=\"thresh-key\">"
        + "-ln(thresh)</span> are hard")
        .append(kth == null ? "" : "; the top-k branch keeps those from the <span "
            + "class=\"kth-key\">k-th loss</span> up")
        .append(".</p><div class=\"chart-box\">")
        .append(HistogramSvg.render(d.histogram(), threshold, kth)).append("</div></section>");
    s.append("<section id=\"classes\"><h2>Classes</h2><p class=\"lead\">Which classes the kept "
        + "pixels come from, and how well each is segmented. Click a column to sort.</p>"
        + "<div class=\"chart-box\">").append(ClassBarsSvg.render(d.classes()))
        .append("</div><div class=\"table-box\">").append(ClassTable.render(d.classes()))
        .append("</div></section>");
    s.append("<section id=\"confusions\"><h2>Top confusions of kept pixels</h2>"
        + "<p class=\"lead\">What the model predicted where the kept (hardest) pixels are, "
        + "most frequent pairs first.</p><div class=\"table-box\">")
        .append(ConfusionTable.render(d.confusion(), CONFUSION_ROWS, kept))
        .append("</div></section>");
    s.append(WorstImagesSection.render(d.worst(), d.classes()));
    s.append("</main><footer>Written by ohem-spark's ohem-mine. The figures are those of "
        + "summary.json, images/, classes/ and confusion/ beside this file.</footer><script>")
        .append(Style.SORT_SCRIPT).append("</script></body></html>\n");
    return s.toString();
  }
}
