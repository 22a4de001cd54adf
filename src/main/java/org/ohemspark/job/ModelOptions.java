package org.ohemspark.job;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of {@code --model} (logits from an ONNX model, inferred in the job), resolved
 * like the other keys ({@link JobConfig}): built-in defaults, the configuration file, flags.
 *
 * <p>Keys (properties file / flag): {@code model} / {@code --model} (the {@code .onnx} file,
 * any Hadoop URI), {@code model_json} / {@code --model-json} (its declaration; default:
 * {@code <name>.json} or {@code model.json} beside the model), {@code model_batch} /
 * {@code --model-batch} (images per run, default 1), {@code model_threads} /
 * {@code --model-threads} (intra-op threads per session, default {@code spark.task.cpus}),
 * {@code save_logits} / {@code --save-logits} (a folder to write the inferred logits to, as
 * Parquet shards), {@code save_logits_dtype} / {@code --save-logits-dtype} ({@code float32} or
 * {@code float16}, default float32). The declaration's keys can also be given one by one as
 * {@code --model-param key=value} (flags only).
 *
 * @param model null when no model is used (the dataset holds logits)
 * @param params {@code --model-param} keys, in the order given
 * @param threads 0 for {@code spark.task.cpus}
 * @param saveLogits null when the logits are not saved
 * @param float16 whether saved logits are float16 (else float32)
 */
public record ModelOptions(String model, String json, Map<String, String> params, int batch,
    int threads, String saveLogits, boolean float16) {

  /** The keys a configuration file may hold for a model. */
  public static final java.util.List<String> KEYS = java.util.List.of("model", "model_json",
      "model_batch", "model_threads", "save_logits", "save_logits_dtype");

  /**
   * @param file the configuration file's keys
   * @param flags keys given on the command line (absent or null: not given)
   * @param params {@code --model-param} keys (may be null)
   * @throws IllegalArgumentException naming the key and value when one is malformed, or when a
   *     model setting is given without a model
   */
  public static ModelOptions resolve(Properties file, Map<String, String> flags,
      Map<String, String> params) {
    Properties p = new Properties();
    p.putAll(file);
    flags.forEach((k, v) -> {
      if (v != null && KEYS.contains(k)) {
        p.setProperty(k, v);
      }
    });
    String model = blankToNull(p.getProperty("model"));
    int batch = positive(p, "model_batch", 1);
    int threads = positive(p, "model_threads", 0);
    String save = blankToNull(p.getProperty("save_logits"));
    String given = blankToNull(p.getProperty("save_logits_dtype"));
    String dtype = given == null ? "float32" : given.toLowerCase(Locale.ROOT);
    if (!dtype.equals("float32") && !dtype.equals("float16")) {
      throw new IllegalArgumentException("save_logits_dtype must be float32 or float16, got '"
          + dtype + "'");
    }
    Map<String, String> ps = params == null ? Map.of() : new LinkedHashMap<>(params);
    if (model == null) {
      for (String k : KEYS) {
        if (!k.equals("model") && blankToNull(p.getProperty(k)) != null) {
          throw new IllegalArgumentException(k + " is set but no model is given: give --model "
              + "MODEL.onnx (or model= in the configuration file)");
        }
      }
      if (!ps.isEmpty()) {
        throw new IllegalArgumentException("--model-param is given but no model: give --model "
            + "MODEL.onnx");
      }
    }
    return new ModelOptions(model, blankToNull(p.getProperty("model_json")), ps, batch,
        threads, save, dtype.equals("float16"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static int positive(Properties p, String key, int dflt) {
    String v = blankToNull(p.getProperty(key));
    if (v == null) {
      return dflt;
    }
    try {
      int x = Integer.parseInt(v);
      if (x >= 1) {
        return x;
      }
    } catch (NumberFormatException e) { // reported below
    }
    throw new IllegalArgumentException(key + " must be an integer >= 1, got '" + v + "'");
  }
}
