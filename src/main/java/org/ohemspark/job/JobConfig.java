package org.ohemspark.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.spark.network.util.JavaUtils;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;
import org.ohemspark.io.DatasetDescriptor;
import org.ohemspark.mining.GroupBy;
import org.ohemspark.mining.TopKMode;
import org.ohemspark.output.MaskFormat;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.InputFormat;

/**
 * The resolved settings of one mining run. Each key is resolved in one place, in this order
 * (later wins): built-in defaults, the configuration file ({@code --conf}, a Java properties
 * file such as {@code conf/ohem-spark.properties}), the dataset's {@code dataset.json} (for
 * {@code classes}, {@code ignore_index}, {@code label_convention}, {@code class_weights}; for a
 * single-file input, the one in the file's folder: {@link OhemMineJob#readDescriptor}), and
 * command-line flags.
 *
 * <p>Keys (properties file / flag): {@code input} / {@code --input}, {@code output} /
 * {@code --output}, {@code thresh}, {@code factor}, {@code min_kept} / {@code --min-kept},
 * {@code label_smoothing} / {@code --label-smoothing}, {@code align_corners} /
 * {@code --align-corners} (see {@link OhemParams}), {@code ignore_index} /
 * {@code --ignore-index}, {@code label_convention} / {@code --label-convention},
 * {@code classes}, {@code class_weights} (comma-separated), {@code group_by} /
 * {@code --group-by}, {@code partitions}, {@code partition_bytes} / {@code --partition-bytes}
 * (a size: {@code 64m}, {@code 1g}, bytes), {@code overwrite}, {@code mode} ({@code FAILFAST |
 * PERMISSIVE | DROPMALFORMED}), {@code format} / {@code --format} ({@code auto | dir | parquet |
 * webdataset}), {@code output_file_size} / {@code --output-file-size} (target size of an output
 * file: bytes, or with a unit as Spark's sizes, {@code 128m}; see
 * {@link org.ohemspark.output.OutputFiles}), {@code class_names} / {@code --class-names} (a file
 * of class names, one per line: {@link ClassNames}; else {@code dataset.json}'s
 * {@code class_names}); {@code topk} / {@code --topk} ({@code exact | approx}: {@link TopKMode});
 * {@code batches} / {@code --batches} (a CSV of {@code image_id,batch} for
 * {@code group_by=batch}: {@link org.ohemspark.source.BatchFile}); {@code masks} /
 * {@code --masks} ({@code none | png}: also write {@code masks/<image_id>.png},
 * {@link org.ohemspark.output.MaskPngs}); the model's keys ({@link ModelOptions#KEYS},
 * resolved by {@link ModelOptions}) and the report's ({@link ReportOptions#KEYS}).
 */
public record JobConfig(String input, String output, OhemParams params,
    LabelConvention labelConvention, Integer classes, GroupBy groupBy, int partitions,
    long partitionBytes, boolean overwrite, BadRecordMode mode, InputFormat format,
    long outputFileBytes, String classNamesFile, List<String> datasetClassNames,
    TopKMode topk, String batchesFile, MaskFormat masks) {

  /** Keys a configuration file may hold. */
  public static final List<String> KEYS = List.of("input", "output",
      "thresh", "factor", "min_kept", "label_smoothing", "align_corners", "ignore_index", "label_convention", "classes", "class_weights",
      "group_by", "partitions", "partition_bytes", "overwrite", "mode", "format",
      "output_file_size", "class_names", "topk", "batches", "masks", "model", "model_json",
      "model_batch", "model_threads",
      "save_logits",
      "save_logits_dtype", "report", "report_images");

  /** Built-in defaults, as a layer. */
  public static Properties defaults() {
    Properties p = new Properties();
    p.setProperty("output", "./ohem-output");
    p.setProperty("thresh", "0.7");
    p.setProperty("factor", "16");
    p.setProperty("min_kept", "0");
    p.setProperty("label_smoothing", "0");
    p.setProperty("align_corners", "false");
    p.setProperty("ignore_index", "255");
    p.setProperty("label_convention", "train_ids");
    p.setProperty("group_by", "dataset");
    p.setProperty("partitions", "0");
    p.setProperty("partition_bytes", "64m");
    p.setProperty("overwrite", "false");
    p.setProperty("mode", "FAILFAST");
    p.setProperty("format", "auto");
    p.setProperty("output_file_size", "128m");
    p.setProperty("topk", "exact");
    p.setProperty("masks", "none");
    return p;
  }

  /**
   * Resolves the layers.
   *
   * @param file the configuration file's keys (may be empty)
   * @param dataset the dataset's descriptor
   * @param flags keys given on the command line (absent keys not given)
   * @throws IllegalArgumentException naming the key and value when one is unknown, malformed or
   *     out of range
   */
  public static JobConfig resolve(Properties file, DatasetDescriptor dataset,
      Map<String, String> flags) {
    for (String k : file.stringPropertyNames()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown configuration key '" + k + "'; known keys: "
            + KEYS);
      }
    }
    Properties p = defaults();
    p.putAll(file);
    p.putAll(datasetLayer(dataset));
    flags.forEach((k, v) -> {
      if (v != null) {
        p.setProperty(k, v);
      }
    });
    String input = p.getProperty("input");
    if (input == null || input.isBlank()) {
      throw new IllegalArgumentException("no input: give --input DIR (or input= in the "
          + "configuration file)");
    }
    double thresh = parseDouble(p, "thresh");
    int factor = parseInt(p, "factor", 0);
    int minKept = parseInt(p, "min_kept", 0);
    double smoothing = parseDouble(p, "label_smoothing");
    boolean alignCorners = parseBoolean(p, "align_corners");
    int ignore = parseInt(p, "ignore_index", Integer.MIN_VALUE);
    double[] weights = parseWeights(p.getProperty("class_weights"));
    OhemParams params;
    try {
      params = new OhemParams(thresh, factor, ignore, weights, minKept, smoothing,
          alignCorners);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad parameter: " + e.getMessage());
    }
    String classesText = p.getProperty("classes");
    Integer classes = classesText == null || classesText.isBlank() ? null
        : parseInt(p, "classes", 1);
    if (classes != null && weights != null && weights.length != classes) {
      // known before any image is read: the settings disagree, not the data (exit 2, not 3)
      throw new IllegalArgumentException("bad parameter: class_weights has " + weights.length
          + " entries (" + origin("class_weights", dataset, flags) + ") but classes = "
          + classes + " (" + origin("classes", dataset, flags) + "): give one weight "
          + "per class, in class order");
    }
    int partitions = parseInt(p, "partitions", 0);
    long partitionBytes = parseBytes(p, "partition_bytes");
    boolean overwrite = parseBoolean(p, "overwrite");
    return new JobConfig(input, p.getProperty("output"), params,
        LabelConvention.parse(p.getProperty("label_convention")), classes,
        GroupBy.parse(p.getProperty("group_by")), partitions, partitionBytes,
        overwrite,
        BadRecordMode.parse(p.getProperty("mode")), InputFormat.parse(p.getProperty("format")),
        parseBytes(p, "output_file_size"), blankToNull(p.getProperty("class_names")),
        dataset.classNames(), topk(p), blankToNull(p.getProperty("batches")),
        MaskFormat.parse(p.getProperty("masks")));
  }

  /**
   * The top-k mode; {@code approx} needs {@code group_by=dataset} and {@code mode=FAILFAST}.
   *
   * @throws IllegalArgumentException naming the keys that do not go together
   */
  private static TopKMode topk(Properties p) {
    TopKMode t = TopKMode.parse(p.getProperty("topk"));
    if (t == TopKMode.APPROX) {
      if (GroupBy.parse(p.getProperty("group_by")) != GroupBy.DATASET) {
        throw new IllegalArgumentException("bad parameter: topk=approx bounds the dataset's "
            + "k-th loss; with group_by=image each image's top-k is exact in memory anyway: "
            + "use topk=exact");
      }
      if (BadRecordMode.parse(p.getProperty("mode")) != BadRecordMode.FAILFAST) {
        throw new IllegalArgumentException("bad parameter: topk=approx makes one pass and "
            + "keeps no record, so it runs in mode FAILFAST only (PERMISSIVE's quarantine/ and "
            + "DROPMALFORMED's count need the records): use mode=FAILFAST or topk=exact");
      }
    }
    return t;
  }

  /**
   * The same settings with another class count and label convention (a model's declared
   * {@code C}; saved logits' {@code train_ids}).
   */
  public JobConfig with(LabelConvention convention, Integer newClasses) {
    return new JobConfig(input, output, params, convention, newClasses, groupBy, partitions,
        partitionBytes, overwrite, mode, format, outputFileBytes, classNamesFile,
        datasetClassNames, topk, batchesFile, masks);
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * The configuration file's keys that {@code dataset.json} (or {@code _dataset.json})
   * overrides (the layers' order is file, dataset, flags), for a note to the user: e.g.
   * {@code dataset.json sets ignore_index=255; the configuration file's ignore_index=0 is not
   * used}. Listed only where
   * the file changes a built-in default (the shipped file repeats them), no flag sets the key,
   * and the values differ.
   */
  public static List<String> overriddenByDataset(Properties file,
      DatasetDescriptor dataset, Map<String, String> flags) {
    Properties fromDataset = datasetLayer(dataset);
    List<String> notes = new ArrayList<>();
    for (String k : new TreeSet<>(fromDataset.stringPropertyNames())) {
      String mine = file.getProperty(k);
      String theirs = fromDataset.getProperty(k);
      String builtIn = defaults().getProperty(k);
      if (mine != null && !mine.isBlank() && !mine.trim().equals(builtIn)
          && flags.get(k) == null && !mine.trim().equals(theirs)) {
        notes.add(dataset.fileName() + " sets " + k + "=" + theirs + "; the configuration "
            + "file's " + k + "=" + mine.trim() + " is not used (a flag would override both)");
      }
    }
    return notes;
  }

  /** The keys {@code dataset.json} sets, as configuration values. */
  private static Properties datasetLayer(DatasetDescriptor dataset) {
    Properties p = new Properties();
    if (dataset.classes() != null) {
      p.setProperty("classes", dataset.classes().toString());
    }
    if (dataset.ignoreIndex() != null) {
      p.setProperty("ignore_index", dataset.ignoreIndex().toString());
    }
    if (dataset.labelConvention() != null) {
      p.setProperty("label_convention", dataset.labelConvention());
    }
    if (dataset.classWeights() != null) {
      p.setProperty("class_weights", Arrays.toString(dataset.classWeights())
          .replaceAll("[\\[\\] ]", ""));
    }
    return p;
  }

  /**
   * A size: bytes, or a number with a unit as Spark's sizes ({@code 512k}, {@code 128m},
   * {@code 1g}; binary units), at least 1 byte.
   */
  private static long parseBytes(Properties p, String key) {
    String v = p.getProperty(key);
    try {
      long b = JavaUtils.byteStringAsBytes(v.trim());
      if (b >= 1) {
        return b;
      }
    } catch (RuntimeException e) { // NumberFormatException, a null, or an unknown unit
    }
    throw new IllegalArgumentException(key + " must be a size of at least 1 byte (bytes, or "
        + "with a unit: 512k, 128m, 1g), got '" + v + "'");
  }

  /** {@code true} or {@code false} (any case, trimmed), else an error naming the key. */
  private static boolean parseBoolean(Properties p, String key) {
    String v = p.getProperty(key).trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, got " + v);
    }
    return v.equals("true");
  }

  private static double parseDouble(Properties p, String key) {
    String v = p.getProperty(key);
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + v + "'");
    }
  }

  /**
   * Where a key's value came from, for messages: its flag ({@code --class-weights}), the
   * dataset's descriptor ({@code dataset.json}), or the configuration file.
   */
  private static String origin(String key, DatasetDescriptor dataset,
      Map<String, String> flags) {
    if (flags.get(key) != null) {
      return "--" + key.replace('_', '-');
    }
    if (datasetLayer(dataset).getProperty(key) != null) {
      return dataset.fileName();
    }
    return "the configuration file";
  }

  /**
   * An integer key from {@code min} to {@link Integer#MAX_VALUE}; a malformed or out-of-range
   * value is rejected with that range, e.g. {@code factor must be an integer >= 0, got '3.5'}
   * (the full range where the value is a whole number too large for an int).
   */
  private static int parseInt(Properties p, String key, int min) {
    String v = p.getProperty(key);
    String text = v == null ? "" : v.trim();
    boolean tooLarge = false;
    try {
      int x = Integer.parseInt(text);
      if (x >= min) {
        return x;
      }
    } catch (NumberFormatException e) { // reported below, with the key's range
      tooLarge = text.matches("[+-]?[0-9]+");
    }
    String range = min == Integer.MIN_VALUE || tooLarge
        ? "an integer from " + min + " to " + Integer.MAX_VALUE : "an integer >= " + min;
    throw new IllegalArgumentException(key + " must be " + range + ", got '" + v + "'");
  }

  private static double[] parseWeights(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String[] parts = text.split(",");
    double[] w = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        w[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("class_weights[" + i + "] must be a number, got '"
            + parts[i].trim() + "'");
      }
    }
    return w;
  }
}
