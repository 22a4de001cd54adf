package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ohemspark.testing.Browser;
import org.ohemspark.testing.PictureDatasets;
import org.ohemspark.testing.SparkTestSession;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * {@code report.html} as a person sees it: the job mines a generated dataset with pictures
 * (class names holding {@code < & " '}), and a headless Chromium opens the report from disk.
 * Every picture decodes, the charts have one mark per non-empty bin and per class figure, the
 * tables hold the figures of {@code summary.json}, {@code classes/} and {@code hard_pixels/}
 * (read back independently), the worst images come in the order of their kept losses summed
 * from {@code hard_pixels/} and of {@code images/}' rank, a header click sorts, and the console shows no error. Skipped,
 * with the reason, where no browser is installed.
 */
class ReportBrowserTest {
  private static final String[] NAMES = {"road", "<b>car</b>", "Tom & Jerry", "\"sky\"",
      "it's"};
  private static final int SHOWN = 6;
  private static SparkSession spark;
  private static Path root;
  private static Path out;
  private static Path data;
  private static ChromeDriver browser;
  private static JobRun run;

  @BeforeAll
  static void mineAndOpen() throws IOException {
    assumeTrue(Browser.missing() == null, Browser.missing());
    spark = SparkTestSession.create("report");
    root = Files.createTempDirectory("ohem-report");
    data = PictureDatasets.write(root.resolve("data"), 10, 48, 64, NAMES.length, NAMES);
    out = root.resolve("out");
    run = JobRun.of(OhemMineJob::run, spark, "--input", data.toString(), "--output",
        out.toString(), "--report-images", Integer.toString(SHOWN));
    browser = Browser.start(1280, 2400);
    browser.get(out.resolve("report.html").toUri().toString());
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  private static JsonNode summary() throws IOException {
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private static String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText().trim();
  }

  @Test
  void everyPictureDecodesAndTheConsoleIsClean() throws IOException {
    assertEquals(ExitCode.OK, run.code(), run.err());
    assertTrue(run.out().contains("report.html"), run.out());
    List<WebElement> imgs = browser.findElements(By.tagName("img"));
    assertEquals(3 * SHOWN, imgs.size());
    assertEquals(0L, js("return Array.from(document.images).filter(i => !(i.complete && "
        + "i.naturalWidth > 0 && i.naturalHeight > 0)).length;"));
    // the pictures are the input's pictures (64 px wide, the label's size), not masks
    assertEquals(64L, js("return document.images[0].naturalWidth;"));
    assertEquals(SHOWN, browser.findElements(By.cssSelector("figcaption")).stream()
        .filter(f -> f.getText().equals("picture, kept pixels")).count());
    List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
        .collect(Collectors.toList());
    assertTrue(errors.isEmpty(), errors.toString());
    String html = Files.readString(out.resolve("report.html"));
    assertFalse(html.contains("http:") || html.contains("https:") || html.contains("<link")
        || html.contains("url("), "the report loads nothing from elsewhere");
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "report-browser.png"),
        browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void theSummaryCardsHoldSummaryJsonsFigures() throws IOException {
    JsonNode s = summary();
    for (String k : new String[] {"n_images", "n_valid", "n_min", "n_hard", "n_kept",
        "n_bad_records"}) {
      assertEquals(String.format(Locale.ROOT, "%,d", s.get(k).asLong()),
          text("[data-key=\"" + k + "\"]"), k);
    }
    for (String k : new String[] {"mean", "loss_threshold", "kth_loss", "miou", "aacc"}) {
      String shown = text("[data-key=\"" + k + "\"]");
      if (s.get(k).isNull()) {
        assertEquals("\u2014", shown, k);
      } else {
        assertEquals(s.get(k).asDouble(), Double.parseDouble(shown), 1e-5 * s.get(k).asDouble(),
            k);
      }
    }
    assertEquals(s.get("status").asText(), text("[data-key=\"status\"]"));
    assertEquals(s.get("mode").asText(), text("[data-key=\"mode\"]"));
    assertEquals(s.get("input").asText(), text("[data-key=\"input\"]"));
    assertEquals("0.7", text("[data-key=\"params.thresh\"]"));
    assertEquals("16", text("[data-key=\"params.factor\"]"));
    assertTrue(text("[data-key=\"seconds\"]").matches("[0-9]+\\.[0-9] s"));
  }

  @Test
  void theHistogramHasABarPerNonEmptyBinAndBothMarks() throws IOException {
    JsonNode s = summary();
    List<WebElement> bars = browser.findElements(By.cssSelector("#loss-histogram rect.bar"));
    long sum = 0;
    double lastLo = 0;
    double lastHi = 0;
    for (WebElement b : bars) {
      long c = Long.parseLong(b.getAttribute("data-count"));
      assertTrue(c > 0);
      sum += c;
      lastLo = Double.parseDouble(b.getAttribute("data-lo"));
      lastHi = Double.parseDouble(b.getAttribute("data-hi"));
    }
    assertEquals(s.get("n_valid").asLong(), sum, "every valid pixel is in a bar");
    int bins = Integer.parseInt(browser.findElement(By.id("loss-histogram"))
        .getAttribute("data-bins"));
    assertTrue(bars.size() > 1 && bars.size() <= bins && bins <= 64, bars.size() + "/" + bins);
    // the last bar holds the largest loss of images/
    double max = spark.read().parquet(out.resolve("images").toString()).agg(
        org.apache.spark.sql.functions.max("max_loss")).first().getDouble(0);
    assertTrue(lastLo <= max && max < lastHi, lastLo + " <= " + max + " < " + lastHi);
    assertEquals(1, browser.findElements(By.cssSelector("#loss-histogram line.mark-thresh"))
        .size());
    assertEquals(s.get("kth_loss").isNull() ? 0 : 1,
        browser.findElements(By.cssSelector("#loss-histogram line.mark-kth")).size());
  }

  @Test
  void theClassTableAndChartHoldClassesFigures() {
    List<Row> rows = spark.read().parquet(out.resolve("classes").toString()).sort("class_id")
        .collectAsList();
    assertEquals(NAMES.length, rows.size());
    List<WebElement> trs = browser.findElements(By.cssSelector("#classes-table tbody tr"));
    assertEquals(rows.size(), trs.size());
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      List<WebElement> td = trs.get(i).findElements(By.tagName("td"));
      assertEquals(r.getInt(r.fieldIndex("class_id")) + " " + NAMES[i], td.get(0).getText());
      assertEquals(String.format(Locale.ROOT, "%,d", r.getLong(r.fieldIndex("n_valid"))),
          td.get(1).getText());
      assertEquals(String.format(Locale.ROOT, "%,d", r.getLong(r.fieldIndex("n_kept"))),
          td.get(7).getText());
      close(r, "iou", td.get(4).getText());
      close(r, "kept_fraction", td.get(8).getText());
    }
    long keptBars = rows.stream().filter(r -> !r.isNullAt(r.fieldIndex("kept_fraction")))
        .count();
    long iouBars = rows.stream().filter(r -> !r.isNullAt(r.fieldIndex("iou"))).count();
    assertEquals(keptBars, browser.findElements(By.cssSelector("#class-bars rect.bar-kept"))
        .size());
    assertEquals(iouBars, browser.findElements(By.cssSelector("#class-bars rect.bar-iou"))
        .size());
    List<String> labels = browser.findElements(By.cssSelector("#class-bars text.class-label"))
        .stream().map(WebElement::getText).collect(Collectors.toList());
    assertEquals("1 <b>car</b>", labels.get(1), "a name is text, never markup");
  }

  @Test
  void aHeaderClickSortsTheClassTable() {
    browser.findElement(By.cssSelector("#classes-table th[data-col=\"1\"]")).click();
    List<Long> shown = new ArrayList<>();
    for (WebElement tr : browser.findElements(By.cssSelector("#classes-table tbody tr"))) {
      shown.add(Long.parseLong(tr.findElements(By.tagName("td")).get(1).getText()
          .replace(",", "")));
    }
    List<Long> sorted = new ArrayList<>(shown);
    sorted.sort(Comparator.reverseOrder());
    assertEquals(sorted, shown);
    browser.findElement(By.cssSelector("#classes-table th[data-col=\"0\"]")).click();
    browser.findElement(By.cssSelector("#classes-table th[data-col=\"0\"]")).click();
  }

  @Test
  void theConfusionTableHoldsConfusionsFirstRows() {
    List<Row> rows = spark.read().parquet(out.resolve("confusion").toString())
        .sort(org.apache.spark.sql.functions.desc("n_kept"),
            org.apache.spark.sql.functions.asc("label"),
            org.apache.spark.sql.functions.asc("predicted")).collectAsList();
    List<WebElement> trs = browser.findElements(By.cssSelector("#confusion-table tbody tr"));
    assertEquals(Math.min(15, rows.size()), trs.size());
    for (int i = 0; i < trs.size(); i++) {
      Row r = rows.get(i);
      List<WebElement> td = trs.get(i).findElements(By.tagName("td"));
      assertTrue(td.get(0).getText().startsWith(r.getInt(r.fieldIndex("label")) + " "));
      assertTrue(td.get(1).getText().startsWith(r.getInt(r.fieldIndex("predicted")) + " "));
      assertEquals(String.format(Locale.ROOT, "%,d", r.getLong(r.fieldIndex("n_kept"))),
          td.get(2).getText());
    }
  }

  @Test
  void theWorstImagesAreThoseOfTheLargestKeptLossSums() {
    List<Row> sums = spark.read().parquet(out.resolve("hard_pixels").toString())
        .groupBy("image_id").agg(org.apache.spark.sql.functions.sum("loss").as("s"),
            org.apache.spark.sql.functions.count("loss").as("n"))
        .collectAsList();
    List<Row> order = new ArrayList<>(sums);
    order.sort(Comparator.<Row>comparingDouble(r -> -r.getDouble(1))
        .thenComparing(r -> r.getString(0)));
    List<Row> ranked = spark.read().parquet(out.resolve("images").toString())
        .sort("rank").limit(SHOWN).collectAsList();
    List<WebElement> cards = browser.findElements(By.cssSelector("article.worst-card"));
    assertEquals(SHOWN, cards.size());
    for (int i = 0; i < SHOWN; i++) {
      assertEquals(order.get(i).getString(0), cards.get(i).getAttribute("data-image-id"));
      Row r = ranked.get(i);
      assertEquals(i + 1, r.getLong(r.fieldIndex("rank")));
      assertEquals(r.getString(r.fieldIndex("image_id")), cards.get(i)
          .getAttribute("data-image-id"), "the report's order is images/' rank");
      assertEquals(Integer.toString(i + 1), cards.get(i).getAttribute("data-rank"));
      assertTrue(cards.get(i).getText().contains(String.format(Locale.ROOT, "%,d",
          order.get(i).getLong(2))), cards.get(i).getText());
    }
  }

  /**
   * The same dataset as WebDataset tars (each sample's picture a {@code <id>.png} member): the
   * report shows the same pictures, thumbnails and order as the directory's.
   */
  @Test
  void tarsGiveTheSamePicturesAsTheDirectory() throws IOException {
    Path tars = org.ohemspark.testing.Layouts.toTars(data, root.resolve("tars"), 3);
    Path tarOut = root.resolve("out-tars");
    JobRun r = JobRun.of(OhemMineJob::run, spark, "--input", tars.toString(), "--output",
        tarOut.toString(), "--report-images", Integer.toString(SHOWN));
    assertEquals(ExitCode.OK, r.code(), r.err());
    List<String> fromTars = dataUris(Files.readString(tarOut.resolve("report.html")));
    assertEquals(3 * SHOWN, fromTars.size());
    assertEquals(dataUris(Files.readString(out.resolve("report.html"))), fromTars);
  }

  private static List<String> dataUris(String html) {
    List<String> uris = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"(data:[^\"]+)\"")
        .matcher(html);
    while (m.find()) {
      uris.add(m.group(1));
    }
    return uris;
  }

  private static void close(Row r, String col, String shown) {
    if (r.isNullAt(r.fieldIndex(col))) {
      assertEquals("\u2014", shown, col);
    } else {
      double v = r.getDouble(r.fieldIndex(col));
      assertEquals(v, Double.parseDouble(shown), 1e-5 * Math.max(1e-3, Math.abs(v)), col);
    }
  }
}
