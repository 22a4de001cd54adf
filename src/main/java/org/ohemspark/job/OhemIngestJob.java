package org.ohemspark.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.source.ImageSource;
import org.ohemspark.source.InputFormat;
import org.ohemspark.source.ShardWriter;

/**
 * Entry point of {@code jobs/ohem-ingest.sh}: reads a dataset directory or WebDataset tars
 * (or Parquet shards, to re-shard), checks every image as the mining job does, and commits
 * Parquet shards ({@link org.ohemspark.source.ShardSchema}) plus a {@code _dataset.json} under
 * the output folder (the leading {@code _} makes Parquet readers skip it). Exits with an
 * {@link ExitCode}.
 *
 * <p>The shards hold labels after the label convention, so the {@code _dataset.json} written
 * beside them says {@code label_convention: train_ids}, with the dataset's {@code classes},
 * {@code ignore_index} and {@code class_weights}; {@code jobs/ohem-mine.sh --input SHARDS}
 * then gives the same results as on the original dataset.
 */
public final class OhemIngestJob {
  private OhemIngestJob() {}

  public static void main(String[] args) {
    JobLauncher.main("ohem-ingest", args, OhemIngestJob::run);
  }

  /**
   * Runs the ingest on a given session (which it does not stop).
   *
   * @return an {@link ExitCode}
   */
  public static int run(String[] args, SparkSession spark, PrintStream out, PrintStream err) {
    OhemIngestCommand cmd = new OhemIngestCommand();
    Integer parsed = JobLauncher.parse("ohem-ingest", cmd, args, out, err);
    if (parsed != null) {
      return parsed;
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    JobConfig config;
    InputFormat format;
    long targetBytes;
    long inputBytes;
    try {
      if (cmd.input == null) {
        throw new IllegalArgumentException("no input: give --input SRC");
      }
      if (cmd.output == null) {
        throw new IllegalArgumentException("no output: give --output SHARDS");
      }
      targetBytes = targetBytes(cmd.targetFileMb);
      config = JobConfig.resolve(new Properties(),
          OhemMineJob.readDescriptor(hadoop, cmd.input), cmd.flags());
      Path in = new Path(config.input());
      if (!in.getFileSystem(hadoop).exists(in)) {
        throw new IllegalArgumentException("input " + config.input() + " does not exist");
      }
      format = config.format().detect(hadoop, config.input());
      inputBytes = inputBytes(hadoop, config.input(), format);
    } catch (BadRecordException e) {
      err.println("ohem-ingest: bad input: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    } catch (IllegalArgumentException | IOException e) {
      err.println("ohem-ingest: " + e.getMessage());
      return ExitCode.BAD_ARGUMENTS;
    }

    StagedOutput staged;
    try {
      StagedOutput.requireApart(hadoop, config.input(), config.output());
      staged = new StagedOutput(hadoop, config.output(), config.overwrite());
    } catch (IllegalArgumentException | IOException e) {
      err.println("ohem-ingest: " + e.getMessage());
      return ExitCode.BAD_ARGUMENTS;
    }
    long t0 = System.nanoTime();
    try {
      ImageSource source = format.source(config.input());
      ShardWriter.Result r;
      try {
        r = ShardWriter.write(spark, source, config.params(), config.labelConvention(),
            config.classes(), staged.root(), targetBytes, inputBytes);
      } finally {
        OhemMineJob.printWarnings("ohem-ingest", source, err);
      }
      staged.writeText("_dataset.json", datasetJson(config));
      staged.commit();
      out.printf(Locale.ROOT, "ingested %d images from %s (%s) into %d Parquet files, %s "
              + "(target %s, at most %d rows per file) in %.2fs%n", r.images(), config.input(),
          format.label(), r.files(), size(r.bytes()), size(targetBytes), r.rowsPerFile(),
          (System.nanoTime() - t0) / 1e9);
      out.println("output: " + staged.target() + " (part-*.parquet, _dataset.json)");
      return ExitCode.OK;
    } catch (Exception e) { // SparkException is checked but thrown from Scala undeclared
      staged.abort();
      BadRecordException bad = OhemMineJob.badRecord(e);
      String msg = bad != null ? bad.getMessage() : OhemMineJob.badRecordMessage(e);
      if (msg == null) {
        msg = OhemMineJob.unreadableFileMessage(e);
      }
      if (msg != null) {
        err.println("ohem-ingest: bad input: " + msg);
        return ExitCode.BAD_INPUT;
      }
      err.println("ohem-ingest: failed: " + e);
      e.printStackTrace(err);
      return ExitCode.FAILURE;
    }
  }

  private static String size(long bytes) {
    return bytes >= 1048576 ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
        : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  private static long targetBytes(String mb) {
    double v;
    try {
      v = Double.parseDouble(mb.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("target-file-mb must be a number, got '" + mb + "'");
    }
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("target-file-mb must be > 0, got " + mb);
    }
    return Math.max(1, (long) (v * 1048576));
  }

  /** Size of the input's data (a directory's logits/ and labels/), from file metadata. */
  private static long inputBytes(Configuration conf, String input, InputFormat format)
      throws IOException {
    Path in = new Path(input);
    FileSystem fs = in.getFileSystem(conf);
    if (format == InputFormat.DIR) {
      long n = 0;
      for (String sub : new String[] {"logits", "labels"}) {
        Path p = new Path(in, sub);
        if (fs.exists(p)) {
          n += fs.getContentSummary(p).getLength();
        }
      }
      return n;
    }
    return fs.getContentSummary(in).getLength();
  }

  /** The {@code _dataset.json} of the shards (read by the mining job like a dataset.json). */
  static String datasetJson(JobConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (c.classes() != null) {
      m.put("classes", c.classes());
    }
    m.put("ignore_index", c.params().ignoreIndex());
    m.put("label_convention", "train_ids");
    if (c.params().classWeights() != null) {
      m.put("class_weights", c.params().classWeights());
    }
    if (c.datasetClassNames() != null) {
      m.put("class_names", c.datasetClassNames());
    }
    m.put("shard_format", "ohem-spark parquet shards 1 (see docs/inputs.md: Parquet shards)");
    m.put("labels_note", "labels are stored after the source's label convention ("
        + c.labelConvention() + "), so they are train ids here");
    m.put("ingested_from", c.input());
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
