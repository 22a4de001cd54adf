package org.ohemspark.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.LossBins;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.output.ReportImages;
import org.ohemspark.report.Histogram;
import org.ohemspark.report.ReportData;
import org.ohemspark.report.ReportPage;
import org.ohemspark.spark.HadoopConf;

/**
 * Gathers the mining report's data from a finished run and renders {@code report.html}
 * ({@link ReportPage}): the summary's fields, the loss histogram the totals pass already built
 * ({@link OhemMiner.Result#lossBins}, at most {@value #HISTOGRAM_BINS} bins up to the largest
 * loss), the class and confusion tables, and the worst images with their thumbnails
 * ({@link ReportImages}: two small jobs over the cached records). Driver memory: O(bins + C^2 +
 * images shown).
 */
final class MiningReport {
  private MiningReport() {}

  /** Display bins of the loss histogram, at most. */
  static final int HISTOGRAM_BINS = 64;

  /**
   * @param summary {@code summary.json}'s fields ({@link SummaryJson#toMap})
   * @param images the worst images to show
   * @param startNanos when the job started ({@link System#nanoTime}), for the time taken
   */
  static String html(SparkSession spark, OhemMiner.Result r, Map<String, Object> summary,
      JobConfig config, int images, long startNanos) {
    Broadcast<HadoopConf> conf = spark.sparkContext().broadcast(
        new HadoopConf(spark.sparkContext().hadoopConfiguration()),
        scala.reflect.ClassTag$.MODULE$.apply(HadoopConf.class));
    int ignore = config.params().ignoreIndex();
    var worst = ReportImages.of(spark, r.keptRules(), images, ignore, config.input(), conf);
    LossBins.Coarse bins = r.lossBins().coarsened(HISTOGRAM_BINS);
    Map<String, Object> shown = new LinkedHashMap<>(summary);
    shown.remove("classes");
    shown.remove("outputs");
    ReportData data = new ReportData(shown, (System.nanoTime() - startNanos) / 1e9,
        new Histogram(bins.width(), bins.counts()), r.classReport().classes(),
        r.classReport().confusion(), worst, ignore);
    return ReportPage.render(data);
  }
}
