package org.ohemspark.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ohemspark.core.ClassReport;
import org.ohemspark.core.LossSketch;
import org.ohemspark.mining.GroupBy;
import org.ohemspark.mining.MiningSummary;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.InferredLogits;

/**
 * {@code summary.json}: the run's figures and the parameters used. It holds no timestamps or
 * timings, so two runs over the same input write the same bytes.
 */
public final class SummaryJson {
  private SummaryJson() {}

  /**
   * The summary as an ordered map (the JSON object's fields, in order).
   *
   * @param classes the per-class table ({@code miou}, {@code aacc}, {@code classes})
   * @param model the model that gave the logits ({@code --model}), or null: then no
   *     {@code model} field
   */
  public static Map<String, Object> toMap(MiningSummary s, ClassReport classes, JobConfig c,
      InferredLogits.Model model) {
    Map<String, Object> m = figures(s);
    m.put("topk", "exact");
    m.put("mode", s.mode().name());
    m.put("n_bad_records", s.nBadRecords());
    m.put("miou", classes.miou());
    m.put("aacc", classes.aacc());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ClassReport.ClassRow r : classes.classes()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("class_id", r.classId());
      row.put("class_name", r.className());
      row.put("n_valid", r.nValid());
      row.put("n_predicted", r.nPredicted());
      row.put("n_correct", r.nCorrect());
      row.put("iou", r.iou());
      row.put("acc", r.acc());
      row.put("mean_loss", r.meanLoss());
      row.put("n_kept", r.nKept());
      row.put("kept_fraction", r.keptFraction());
      row.put("kept_share", r.keptShare());
      rows.add(row);
    }
    m.put("classes", rows);
    paramsAndInput(m, c, model);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("images", "images");
    o.put("hard_pixels", "hard_pixels");
    o.put("classes", "classes");
    o.put("confusion", "confusion");
    if (s.groupBy() == GroupBy.BATCH) {
      o.put("batches", "batches");
    }
    if (c.masks() == org.ohemspark.output.MaskFormat.PNG) {
      o.put("masks", "masks");
    }
    if (s.mode() == BadRecordMode.PERMISSIVE) {
      o.put("quarantine", "quarantine");
    }
    m.put("outputs", o);
    return m;
  }

  /**
   * The summary of {@code --topk approx} ({@link OhemMiner#estimate}): the figures, {@code topk}
   * {@code "approx"}, and on the top-k branch {@code kth_loss_bounds} and {@code mean_bounds}
   * ({@code [lo, hi]}, guaranteed to hold the exact values: {@code bounds} says so),
   * {@code rank_error} (values sharing the k-th's bin); {@code miou} and {@code aacc} (exact);
   * no per-class rows (their kept counts need the selection) and no outputs but this file.
   */
  public static Map<String, Object> toMap(OhemMiner.Estimate e, JobConfig c,
      InferredLogits.Model model) {
    Map<String, Object> m = figures(e.summary());
    m.put("topk", "approx");
    LossSketch.Bounds b = e.bounds();
    m.put("kth_loss_bounds", b == null ? null : List.of(b.kthLo(), b.kthHi()));
    m.put("mean_bounds", b == null ? null : List.of(b.meanLo(), b.meanHi()));
    m.put("rank_error", b == null ? null : b.rankError());
    m.put("bounds", b == null ? null : "guaranteed");
    m.put("mode", e.summary().mode().name());
    m.put("n_bad_records", e.summary().nBadRecords());
    m.put("miou", e.miou());
    m.put("aacc", e.aacc());
    paramsAndInput(m, c, model);
    m.put("outputs", new LinkedHashMap<>());
    return m;
  }

  /** The run's figures, the first fields of every summary. */
  private static Map<String, Object> figures(MiningSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", s.status());
    m.put("mean", s.mean());
    m.put("group_by", s.groupBy().label());
    m.put("n_images", s.nImages());
    m.put("n_valid", s.nValid());
    m.put("n_min", s.nMin());
    m.put("n_hard", s.nHard());
    m.put("n_kept", s.nKept());
    m.put("used_topk", s.usedTopk());
    m.put("kth_loss", s.kthLoss());
    m.put("loss_threshold", s.lossThreshold());
    m.put("n_images_topk", s.nImagesTopk());
    m.put("n_images_empty", s.nImagesEmpty());
    m.put("topk_histogram_passes", s.histogramPasses());
    return m;
  }

  /** {@code params}, {@code input} and {@code model}. */
  private static void paramsAndInput(Map<String, Object> m, JobConfig c,
      InferredLogits.Model model) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("thresh", c.params().thresh());
    p.put("factor", c.params().factor());
    p.put("min_kept", c.params().minKept());
    p.put("label_smoothing", c.params().labelSmoothing());
    p.put("align_corners", c.params().alignCorners());
    p.put("ignore_index", c.params().ignoreIndex());
    p.put("label_convention", c.labelConvention().toString());
    p.put("classes", c.classes());
    p.put("class_weights", c.params().classWeights());
    p.put("group_by", c.groupBy().label());
    p.put("topk", c.topk().label());
    p.put("batches", c.batchesFile());
    m.put("params", p);
    m.put("input", c.input());
    if (model != null) {
      m.put("model", modelMap(model));
    }
  }

  /**
   * The {@code model} field: {@code path} (as given to {@code --model}), {@code sha256} (of its
   * bytes, hex), {@code input} and {@code output} (the tensor names used), {@code classes} (the
   * output's channel count; null where neither the model nor a declaration fixes it).
   */
  static Map<String, Object> modelMap(InferredLogits.Model model) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", model.name());
    m.put("sha256", model.hash());
    m.put("input", model.spec().input());
    m.put("output", model.spec().output());
    m.put("classes", model.spec().classes());
    return m;
  }

  /** {@link #toMap(OhemMiner.Estimate, JobConfig, InferredLogits.Model)} as JSON text. */
  public static String toJson(OhemMiner.Estimate e, JobConfig c, InferredLogits.Model model) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(toMap(e, c, model)) + "\n";
    } catch (JsonProcessingException x) {
      throw new IllegalStateException(x);
    }
  }

  /**
   * Pretty-printed JSON text with a final newline.
   *
   * @param model the model that gave the logits, or null
   */
  public static String toJson(MiningSummary s, ClassReport classes, JobConfig c,
      InferredLogits.Model model) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(toMap(s, classes, c, model)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
