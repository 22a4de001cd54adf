package org.ohemspark.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Section (a) of the report: the run's headline figures as cards (mean, status, the counts,
 * {@code -ln(thresh)}, the k-th loss, mIoU, aAcc, mode and bad records, time taken) and a table
 * of the parameters, the input and the rest of {@code summary.json}'s fields. Each value
 * carries {@code data-key}, the field's name in {@code summary.json} ({@code params.thresh} for
 * a parameter).
 */
final class SummarySection {
  private SummarySection() {}

  /** The cards' fields, in order, and their captions. */
  private static final List<String[]> CARDS = List.of(
      new String[] {"mean", "OHEM mean loss (nats)"},
      new String[] {"status", "status"},
      new String[] {"n_images", "images"},
      new String[] {"n_valid", "valid pixels"},
      new String[] {"n_min", "n_min (valid / factor)"},
      new String[] {"n_hard", "hard pixels (loss > -ln thresh)"},
      new String[] {"n_kept", "kept pixels"},
      new String[] {"loss_threshold", "-ln(thresh), nats"},
      new String[] {"kth_loss", "k-th loss, nats"},
      new String[] {"miou", "mIoU"},
      new String[] {"aacc", "aAcc"},
      new String[] {"mode", "bad-record mode"},
      new String[] {"n_bad_records", "bad records"});

  /** Fields of the summary the page shows elsewhere or not at all. */
  private static final List<String> NOT_IN_TABLE = List.of("classes", "outputs", "params",
      "model");

  static String render(Map<String, Object> summary, double seconds) {
    StringBuilder s = new StringBuilder("<section id=\"summary\"><h2>Summary</h2>"
        + "<div class=\"cards\">");
    for (String[] c : CARDS) {
      if (!summary.containsKey(c[0])) {
        continue;
      }
      Object v = summary.get(c[0]);
      String cls = c[0].equals("status") ? " status-" + Html.text(String.valueOf(v)) : "";
      s.append("<div class=\"card").append(cls).append("\"><div class=\"card-value\" "
          + "data-key=\"").append(c[0]).append("\">").append(Html.text(Figures.any(v)))
          .append("</div><div class=\"card-label\">").append(Html.text(c[1]))
          .append("</div></div>");
    }
    s.append("<div class=\"card\"><div class=\"card-value\" data-key=\"seconds\">")
        .append(String.format(Locale.ROOT, "%.1f s", seconds))
        .append("</div><div class=\"card-label\">time taken</div></div></div>");
    s.append("<h3>Parameters and input</h3><dl class=\"kv\" id=\"params\">");
    Object params = summary.get("params");
    if (params instanceof Map<?, ?> p) {
      for (Map.Entry<?, ?> e : p.entrySet()) {
        row(s, "params." + e.getKey(), String.valueOf(e.getKey()), e.getValue());
      }
    }
    for (Map.Entry<String, Object> e : summary.entrySet()) {
      boolean carded = CARDS.stream().anyMatch(c -> c[0].equals(e.getKey()));
      boolean inParams = params instanceof Map<?, ?> p && p.containsKey(e.getKey());
      if (!carded && !inParams && !NOT_IN_TABLE.contains(e.getKey())) {
        row(s, e.getKey(), e.getKey(), e.getValue());
      }
    }
    if (summary.get("model") instanceof Map<?, ?> m) {
      row(s, "model.path", "model", m.get("path"));
      row(s, "model.sha256", "model sha256", m.get("sha256"));
    }
    return s.append("</dl></section>").toString();
  }

  private static void row(StringBuilder s, String key, String name, Object v) {
    s.append("<div><dt>").append(Html.text(name)).append("</dt><dd data-key=\"")
        .append(Html.text(key)).append("\">").append(Html.text(Figures.any(v)))
        .append("</dd></div>");
  }
}
