package org.ohemspark.job;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags that say how to read a dataset's labels, shared by {@code ohem-mine} and
 * {@code ohem-ingest} (a picocli mixin). Flags not given stay null so that the configuration
 * file and {@code dataset.json} can supply them ({@link JobConfig#resolve}).
 */
final class LabelOptions {

  @Option(names = "--ignore-index", paramLabel = "I", description = "Label to ignore "
      + "(default 255).")
  String ignoreIndex;

  @Option(names = "--label-convention", paramLabel = "C", description = "train_ids | "
      + "palette_index | reduce_zero_label | void=K (default: dataset.json, else train_ids).")
  String labelConvention;

  @Option(names = "--classes", paramLabel = "N", description = "Expected class count C "
      + "(checked against every logits file).")
  String classes;

  /** Adds the flags given to {@code flags}, by configuration key. */
  void putInto(Map<String, String> flags) {
    flags.put("ignore_index", ignoreIndex);
    flags.put("label_convention", labelConvention);
    flags.put("classes", classes);
  }
}
