package org.ohemspark.job;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command-line flags of {@code ohem-generate} ({@link OhemGenerateJob}). */
@Command(name = "ohem-generate", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = JobVersion.class,
    description = {
        "Writes a deterministic, model-like segmentation dataset of any size: smooth label "
            + "regions, logits with realistic margins and confusions, ignored boundary pixels.",
        "Output: DIR/logits/<id>.npy [C,h,w], DIR/labels/<id>.npy|png [H,W], DIR/dataset.json.",
        "Exit codes: 0 ok, 1 failure, 2 bad arguments."})
public final class OhemGenerateCommand {

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Dataset directory to write (any Hadoop FileSystem URI).")
  String output;

  @Option(names = "--images", required = true, paramLabel = "N", description = "Images.")
  int images;

  @Option(names = "--height", paramLabel = "H", description = "Label rows (default 512).")
  int height = 512;

  @Option(names = "--width", paramLabel = "W", description = "Label columns (default 512).")
  int width = 512;

  @Option(names = "--classes", required = true, paramLabel = "C", description = "Classes, 1 "
      + "to 255.")
  int classes;

  @Option(names = "--dtype", paramLabel = "T", description = "Logits type: float32 (default) "
      + "or float16.")
  String dtype = "float32";

  @Option(names = "--format", paramLabel = "F", description = "npy (default: one file per "
      + "image) or parquet (shards of about 128 MiB, as the ingest writes them).")
  String format = "npy";

  @Option(names = "--labels", paramLabel = "L", description = "Label files with --format "
      + "npy: npy (uint8, default) or png (8-bit grey).")
  String labels = "npy";

  @Option(names = "--downsample", paramLabel = "D", description = "Logits at H/D x W/D, "
      + "resized by the job (default 1).")
  int downsample = 1;

  @Option(names = "--margin", paramLabel = "M", description = "Mean logit margin of the true "
      + "class; larger is easier (default 11: about 5%% hard pixels, top-k branch at factor 16).")
  double margin = org.ohemspark.core.SyntheticImage.Spec.DEFAULT_MARGIN;

  @Option(names = "--seed", paramLabel = "S", description = "Dataset seed (default 0).")
  long seed;

  @Option(names = "--bad-labels", paramLabel = "N", description = "The first N images are "
      + "bad records, for trials of PERMISSIVE mining: a label of C at (0, 0), outside [0, C) "
      + "and not the ignore index (default 0; needs C < 255).")
  long badLabels;

  @Option(names = "--partitions", paramLabel = "N", description = "Spark tasks (default 0: "
      + "min(images, 4 x cores)).")
  int partitions;

  @Option(names = "--overwrite", description = "Replace an existing output directory.")
  boolean overwrite;
}
