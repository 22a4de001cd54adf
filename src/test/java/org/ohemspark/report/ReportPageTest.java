package org.ohemspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.ClassReport;

/**
 * The renderer without a browser: names from user files are escaped everywhere they appear,
 * numbers print as documented, the charts have one mark per non-empty bin and per non-null
 * class figure, and the page refers to nothing outside itself.
 */
class ReportPageTest {
  private static final String EVIL = "<script>alert('x')</script> & \"q\"";

  @Test
  void htmlEscapesTheFiveSpecialCharacters() {
    assertEquals("&lt;b&gt; &amp; &quot;x&quot; &#39;y&#39;", Html.text("<b> & \"x\" 'y'"));
    assertEquals("", Html.text(null));
    assertEquals("plain", Html.text("plain"));
  }

  @Test
  void figuresPrintIntegersGroupedAndRealsToSixDigits() {
    assertEquals("1,234,567", Figures.count(1234567));
    assertEquals("0", Figures.count(0));
    assertEquals("0.356675", Figures.real(-Math.log(0.7))); // 0.35667494...
    assertEquals("12.5", Figures.real(12.5));
    assertEquals("2", Figures.real(2.0));
    assertEquals("1.5e-7", Figures.real(1.5e-7));
    assertEquals("123457", Figures.real(123456.7));
    assertEquals("\u2014", Figures.real(null));
    assertEquals("42.1%", Figures.percent(0.4212));
    assertEquals("3", Figures.any(3L));
    assertEquals("0.1, 2", Figures.any(new double[] {0.1, 2}));
  }

  @Test
  void aClassNameIsTextInEveryTableAndChart() {
    String html = ReportPage.render(data(List.of()));
    assertFalse(html.contains("<script>alert"), "a class name never becomes markup");
    String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;";
    // the class table, the bar chart's label, two confusion cells, the legend
    assertEquals(5, count(html, Pattern.quote("1 " + escaped)), html);
    assertEquals(1, count(html, "<script>"), "only the sorting script");
  }

  @Test
  void theHistogramHasOneBarPerNonEmptyBinWithItsCount() {
    String svg = HistogramSvg.render(new Histogram(0.5, new long[] {100, 0, 7, 1}), 0.36,
        1.2);
    Matcher m = Pattern.compile("<rect class=\"bar\"[^>]*data-count=\"(\\d+)\" data-lo=\"([^\"]+)"
        + "\" data-hi=\"([^\"]+)\"").matcher(svg);
    StringBuilder seen = new StringBuilder();
    while (m.find()) {
      seen.append(m.group(1)).append('@').append(m.group(2)).append('-').append(m.group(3))
          .append(' ');
    }
    assertEquals("100@0.0-0.5 7@1.0-1.5 1@1.5-Infinity ", seen.toString());
    assertEquals(1, count(svg, "class=\"mark-thresh\""));
    assertEquals(1, count(svg, "class=\"mark-kth\""));
    assertEquals(0, count(HistogramSvg.render(new Histogram(0.5, new long[] {1}), 0.36, null),
        "class=\"mark-kth\""));
    // grid lines at 1, 10, 100 (the axis' top for a largest count of 100)
    assertEquals(3, count(svg, "<line class=\"grid\""));
    assertEquals("100k", HistogramSvg.powerLabel(5));
    assertEquals("1M", HistogramSvg.powerLabel(6));
  }

  @Test
  void theClassChartHasABarPerFigureThatIsNotNull() {
    String svg = ClassBarsSvg.render(classes());
    assertEquals(2, count(svg, "<rect class=\"bar-kept\""));
    assertEquals(1, count(svg, "<rect class=\"bar-iou\""));
    assertTrue(svg.contains("kept fraction \u2014"));
  }

  @Test
  void thePageLoadsNothingFromElsewhere() {
    String html = ReportPage.render(data(List.of()));
    assertFalse(html.contains("http:") || html.contains("https:") || html.contains("<link")
        || html.contains("url(") || html.contains("@import"));
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("data-key=\"n_valid\">1,000</div>"));
    assertTrue(html.contains("data-key=\"params.thresh\">0.7</dd>"));
  }

  private static int count(String s, String regex) {
    Matcher m = Pattern.compile(regex).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static List<ClassReport.ClassRow> classes() {
    return List.of(
        new ClassReport.ClassRow(0, "road", 900, 880, 850, 0.9, 0.94, 0.1, 50, 50 / 900.0,
            0.5),
        new ClassReport.ClassRow(1, EVIL, 100, 120, 0, null, 0.0, 2.0, 50,
            0.5, 0.5),
        new ClassReport.ClassRow(2, null, 0, 0, 0, null, null, null, 0, null, null));
  }

  private static ReportData data(List<WorstImage> worst) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("status", "OK");
    s.put("mean", 1.25);
    s.put("n_images", 2L);
    s.put("n_valid", 1000L);
    s.put("n_min", 62L);
    s.put("n_hard", 100L);
    s.put("n_kept", 100L);
    s.put("kth_loss", null);
    s.put("loss_threshold", -Math.log(0.7));
    s.put("mode", "FAILFAST");
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("thresh", 0.7);
    p.put("factor", 16);
    s.put("params", p);
    s.put("input", "/data/<set>");
    return new ReportData(s, 3.2, new Histogram(0.25, new long[] {900, 50, 50}), classes(),
        List.of(new ClassReport.ConfusionRow(1, EVIL, 0, "road", 60, 2.5),
            new ClassReport.ConfusionRow(0, "road", 1, EVIL, 40, 1.5)), worst, 255);
  }
}
