package org.ohemspark.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ohemspark.spark.BadRecordMode;
import org.ohemspark.spark.InferredLogits;
import org.ohemspark.spark.MiningSummary;

/**
 * {@code summary.json}: the run's figures and the parameters used. It holds no timestamps or
 * timings, so two runs over the same input write the same bytes.
 */
public final class SummaryJson {
  private SummaryJson() {}

  /** The summary of a run without a model (no {@code model} field). */
  public static Map<String, Object> toMap(MiningSummary s, JobConfig c) {
    return toMap(s, c, null);
  }

  /**
   * The summary as an ordered map (the JSON object's fields, in order).
   *
   * @param model the model that gave the logits ({@code --model}), or null: then no
   *     {@code model} field
   */
  public static Map<String, Object> toMap(MiningSummary s, JobConfig c,
      InferredLogits.Model model) {
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
    m.put("mode", s.mode().name());
    m.put("n_bad_records", s.nBadRecords());
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("thresh", c.params().thresh());
    p.put("factor", c.params().factor());
    p.put("ignore_index", c.params().ignoreIndex());
    p.put("label_convention", c.labelConvention().toString());
    p.put("classes", c.classes());
    p.put("class_weights", c.params().classWeights());
    p.put("group_by", c.groupBy().label());
    m.put("params", p);
    m.put("input", c.input());
    if (model != null) {
      m.put("model", modelMap(model));
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("images", "images");
    o.put("hard_pixels", "hard_pixels");
    if (s.mode() == BadRecordMode.PERMISSIVE) {
      o.put("quarantine", "quarantine");
    }
    m.put("outputs", o);
    return m;
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

  /** Pretty-printed JSON text with a final newline, without a model. */
  public static String toJson(MiningSummary s, JobConfig c) {
    return toJson(s, c, null);
  }

  /**
   * Pretty-printed JSON text with a final newline.
   *
   * @param model the model that gave the logits, or null
   */
  public static String toJson(MiningSummary s, JobConfig c, InferredLogits.Model model) {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(toMap(s, c, model)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
