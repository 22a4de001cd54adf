package org.ohemspark.job;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command-line flags of {@code ohem-ingest}. Flags not given stay null so that the input's
 * {@code dataset.json} can supply them ({@link JobConfig#resolve}).
 */
@Command(name = "ohem-ingest", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = JobVersion.class,
    description = {
        "Turns a dataset directory or WebDataset tars into Parquet shards for ohem-mine.",
        "Input: DIR/logits/<id>.npy + DIR/labels/<id>.png|npy, or *.tar with <key>.logits.npy "
            + "+ <key>.seg.png|.label.png|.labels.npy; optional dataset.json beside them.",
        "Output: SHARDS/part-*.parquet (one row per image, labels after the label convention) "
            + "and SHARDS/_dataset.json.",
        "Exit codes: 0 ok, 1 failure, 2 bad arguments, 3 bad input data."})
public final class OhemIngestCommand {

  @Option(names = "--input", paramLabel = "SRC", description = "Dataset directory, folder "
      + "of tars or one tar (any Hadoop FileSystem URI).")
  String input;

  @Mixin
  LabelOptions labels = new LabelOptions();

  @Option(names = "--output", paramLabel = "SHARDS", description = "Output folder of the "
      + "Parquet shards (any URI).")
  String output;

  @Option(names = "--format", paramLabel = "F", description = "Input layout: auto | npy "
      + "(= dir) | webdataset | parquet (default auto: detected).")
  String format;

  @Option(names = "--target-file-mb", paramLabel = "MB", description = "Target size of one "
      + "Parquet file, MiB (default 128).")
  String targetFileMb = "128";

  @Option(names = "--overwrite", description = "Replace an existing output folder.")
  boolean overwrite;

  /** The flags given, by configuration key of {@link JobConfig}. */
  Map<String, String> flags() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("output", output);
    m.put("format", format);
    m.put("overwrite", overwrite ? "true" : null);
    labels.putInto(m);
    return m;
  }
}
