package org.ohemspark.job;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command-line flags of {@code ohem-mine}. Flags not given stay null so that the configuration
 * file and {@code dataset.json} can supply them ({@link JobConfig#resolve}).
 */
@Command(name = "ohem-mine", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = JobVersion.class,
    description = {
        "OHEM cross-entropy over a segmentation dataset, and its hard examples.",
        "Input: DIR/logits/<id>.npy [C,h,w] and DIR/labels/<id>.png|npy [H,W], optional "
            + "DIR/dataset.json; or Parquet shards or WebDataset tars (--format).",
        "Output: OUT/summary.json, OUT/images/ and OUT/hard_pixels/ (Parquet).",
        "Exit codes: 0 ok, 1 failure, 2 bad arguments, 3 bad input data."})
public final class OhemMineCommand {

  @Option(names = "--input", paramLabel = "PATH", description = "Dataset: a directory "
      + "(logits/, labels/), a folder of Parquet shards or of WebDataset tars, or one such file "
      + "(any Hadoop FileSystem URI).")
  String input;

  @Mixin
  LabelOptions labels = new LabelOptions();

  @Option(names = "--output", paramLabel = "DIR", description = "Output directory (default "
      + "./ohem-output).")
  String output;

  @Option(names = "--thresh", paramLabel = "P", description = "Probability threshold; hard "
      + "means loss > -ln(P) (default 0.7).")
  String thresh;

  @Option(names = "--factor", paramLabel = "F", description = "n_min = n_valid // F (default "
      + "16); 0 drops the fraction and needs --min-kept.")
  String factor;

  @Option(names = "--min-kept", paramLabel = "N", description = "The least n_min: n_min = "
      + "min(n_valid, max(n_valid // F, N)); with --factor 0, min(n_valid, N) (default 0).")
  String minKept;

  @Option(names = "--label-smoothing", paramLabel = "E", description = "Cross-entropy with "
      + "label smoothing E in [0, 1], as nn.CrossEntropyLoss(label_smoothing=E) (default 0).")
  String labelSmoothing;

  @Option(names = "--align-corners", description = "Resize logits to the labels' size as "
      + "F.interpolate(..., align_corners=True) (default: align_corners=False).")
  boolean alignCorners;

  @Option(names = "--class-weights", paramLabel = "W,W,...", description = "Per-class loss "
      + "weights, as PyTorch's weight= (default none).")
  String classWeights;

  @Option(names = "--class-names", paramLabel = "FILE", description = "Class names, one per "
      + "line in class order, for classes/ and confusion/ (default: dataset.json's "
      + "class_names).")
  String classNames;

  @Option(names = "--topk", paramLabel = "T", description = "exact | approx (default exact); "
      + "approx: one pass, nothing cached, summary.json only, with guaranteed bounds of the "
      + "k-th loss and the mean.")
  String topk;

  @Option(names = "--group-by", paramLabel = "G", description = "dataset | image | batch "
      + "(default dataset).")
  String groupBy;

  @Option(names = "--batches", paramLabel = "FILE", description = "Each image's training "
      + "batch for --group-by batch: CSV with a header image_id,batch (default: a directory's "
      + "batches.csv, the shards' batch column).")
  String batches;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the loss "
      + "pass, an override (default 0: by bytes, see --partition-bytes).")
  String partitions;

  @Option(names = "--partition-bytes", paramLabel = "SIZE", description = "Most input bytes "
      + "per partition of the loss pass, e.g. 64m, 1g (default 64m); fewer per core on small "
      + "datasets, one image alone if larger.")
  String partitionBytes;

  @Option(names = "--mode", paramLabel = "M", description = "Bad records: FAILFAST (stop, "
      + "exit 3) | PERMISSIVE (go on, write quarantine/) | DROPMALFORMED (go on, count them); "
      + "default FAILFAST.")
  String mode;

  @Option(names = "--format", paramLabel = "F", description = "Input layout: auto | dir | "
      + "parquet | webdataset (default auto: detected).")
  String format;

  @Option(names = "--output-file-size", paramLabel = "SIZE", description = "Target size of an "
      + "output file: bytes, or 512k, 128m, 1g (default 128m).")
  String outputFileSize;

  @Option(names = "--masks", paramLabel = "F", description = "none | png: also write "
      + "OUT/masks/<image_id>.png, 0 where not kept, 1 + label where kept (default none).")
  String masks;

  @Option(names = "--no-report", description = "Do not write report.html (the mining "
      + "report).")
  boolean noReport;

  @Option(names = "--report-images", paramLabel = "N", description = "Worst images shown in "
      + "report.html (default 24).")
  String reportImages;

  @Option(names = "--model", paramLabel = "MODEL.onnx", description = "Infer the logits with "
      + "this ONNX model (any Hadoop URI) from DIR/images/<id>.png|jpg or shards' image "
      + "column; declared by model.json beside it, --model-json or --model-param.")
  String model;

  @Option(names = "--model-json", paramLabel = "FILE", description = "The model's declaration "
      + "(default: <model name>.json or model.json beside the model).")
  String modelJson;

  @Option(names = "--model-param", paramLabel = "KEY=VALUE", description = "One key of the "
      + "model's declaration (over model.json), e.g. scale=1/255; repeatable.")
  Map<String, String> modelParams = new LinkedHashMap<>();

  @Option(names = "--model-batch", paramLabel = "N", description = "Images per model run "
      + "(default 1; more needs a free batch dimension).")
  String modelBatch;

  @Option(names = "--model-threads", paramLabel = "N", description = "Intra-op threads per "
      + "executor's model session (default spark.task.cpus).")
  String modelThreads;

  @Option(names = "--save-logits", paramLabel = "DIR", description = "Write the inferred "
      + "logits as Parquet shards to DIR (then mined from there).")
  String saveLogits;

  @Option(names = "--save-logits-dtype", paramLabel = "T", description = "float32 | float16 "
      + "(default float32).")
  String saveLogitsDtype;

  @Option(names = "--overwrite", description = "Replace an existing output directory.")
  boolean overwrite;

  @Option(names = "--conf", paramLabel = "FILE", description = "Configuration file (Java "
      + "properties; see conf/ohem-spark.properties).")
  String confFile;

  /** The flags given, by configuration key. */
  Map<String, String> flags() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("output", output);
    m.put("thresh", thresh);
    m.put("factor", factor);
    m.put("min_kept", minKept);
    m.put("label_smoothing", labelSmoothing);
    m.put("align_corners", alignCorners ? "true" : null);
    m.put("class_weights", classWeights);
    m.put("class_names", classNames);
    m.put("group_by", groupBy);
    m.put("topk", topk);
    m.put("batches", batches);
    m.put("partitions", partitions);
    m.put("partition_bytes", partitionBytes);
    m.put("overwrite", overwrite ? "true" : null);
    m.put("mode", mode);
    m.put("format", format);
    m.put("output_file_size", outputFileSize);
    m.put("masks", masks);
    m.put("report", noReport ? "false" : null);
    m.put("report_images", reportImages);
    m.put("model", model);
    m.put("model_json", modelJson);
    m.put("model_batch", modelBatch);
    m.put("model_threads", modelThreads);
    m.put("save_logits", saveLogits);
    m.put("save_logits_dtype", saveLogitsDtype);
    labels.putInto(m);
    return m;
  }
}
