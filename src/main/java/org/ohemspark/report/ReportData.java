package org.ohemspark.report;

import java.util.List;
import java.util.Map;
import org.ohemspark.core.ClassReport;

/**
 * Everything the mining report shows, as plain data (no Spark type), so the page can be
 * rendered and tested without a cluster.
 *
 * @param summary the fields of {@code summary.json} in its order (status, mean, counts,
 *     {@code loss_threshold}, {@code kth_loss}, mode, {@code params}, {@code input}...); the
 *     {@code classes} and {@code outputs} fields are not shown from here
 * @param seconds the job's wall time so far, seconds
 * @param histogram the valid pixels' losses
 * @param classes the per-class rows ({@code classes/})
 * @param confusion the kept pixels by (label, predicted), in {@link ClassReport#RANK} order
 *     ({@code confusion/}); the page shows the first {@link ReportPage#CONFUSION_ROWS}
 * @param worst the worst images by rank, rank 1 first
 * @param ignoreIndex the label of ignored pixels (drawn in the palette's ignore colour)
 */
public record ReportData(Map<String, Object> summary, double seconds, Histogram histogram,
    List<ClassReport.ClassRow> classes, List<ClassReport.ConfusionRow> confusion,
    List<WorstImage> worst, int ignoreIndex) {}
