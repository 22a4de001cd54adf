package org.ohemspark.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.io.LabelPngWriter;
import org.ohemspark.io.NpyWriter;
import org.ohemspark.source.ShardWriter;
import org.ohemspark.source.SyntheticImages;
import org.ohemspark.spark.HadoopConf;

/**
 * Entry point of {@code jobs/ohem-generate.sh}: writes a {@link SyntheticImage} dataset. Images
 * are generated on the executors in parallel (image indices spread over tasks) and written
 * through the Hadoop FileSystem API. {@code --format npy}: {@code DIR/logits/img_NNNNNN.npy}
 * ({@code [C,h,w]} float32 or float16), {@code DIR/labels/img_NNNNNN.npy} (uint8 {@code [H,W]})
 * or {@code .png} (8-bit grey), and {@code DIR/dataset.json} last (classes, ignore index 255,
 * {@code train_ids}, and the generator's settings). {@code --format parquet}: Parquet shards of
 * the same images ({@link ShardWriter}, {@link SyntheticImages}) and {@code DIR/_dataset.json}.
 * The same flags give the same images in either format.
 */
public final class OhemGenerateJob {
  /** Target size of one Parquet shard with {@code --format parquet}, as the ingest's default. */
  private static final long TARGET_FILE_BYTES = 128L << 20;

  private OhemGenerateJob() {}

  public static void main(String[] args) {
    JobLauncher.main("ohem-generate", args, OhemGenerateJob::run);
  }

  /**
   * Generates on a given session (which it does not stop).
   *
   * @return an {@link ExitCode}: 2 for bad flags or an existing output without
   *     {@code --overwrite}
   */
  public static int run(String[] args, SparkSession spark, PrintStream out, PrintStream err) {
    OhemGenerateCommand cmd = new OhemGenerateCommand();
    Integer parsed = JobLauncher.parse("ohem-generate", cmd, args, out, err);
    if (parsed != null) {
      return parsed;
    }
    SyntheticImage.Spec spec;
    try {
      spec = validate(cmd);
    } catch (IllegalArgumentException e) {
      err.println("ohem-generate: " + e.getMessage());
      return ExitCode.BAD_ARGUMENTS;
    }
    final boolean half = cmd.dtype.equals("float16");
    final boolean png = cmd.labels.equals("png");
    long t0 = System.nanoTime();
    try {
      Path dir = new Path(cmd.output);
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(dir) && fs.listStatus(dir).length > 0) {
        if (!cmd.overwrite) {
          err.println("ohem-generate: output " + fs.makeQualified(dir) + " already exists; pass "
              + "--overwrite to replace it");
          return ExitCode.BAD_ARGUMENTS;
        }
        fs.delete(dir, true);
      }
      String root = fs.makeQualified(dir).toString();
      if (cmd.format.equals("parquet")) {
        ShardWriter.Result r = ShardWriter.write(spark, new SyntheticImages(spec, cmd.images,
            half, cmd.badLabels), OhemParams.DEFAULTS, LabelConvention.TRAIN_IDS, spec.classes(), root,
            TARGET_FILE_BYTES, logitBytes(cmd, spec));
        new HadoopConf(spark.sparkContext().hadoopConfiguration()).writeAll(
            root + "/_dataset.json",
            descriptor(cmd, spec).getBytes(StandardCharsets.UTF_8));
        printDone(out, cmd, spec, root + " (" + r.files() + " Parquet shards)", t0);
        return ExitCode.OK;
      }
      fs.mkdirs(new Path(dir, "logits"));
      fs.mkdirs(new Path(dir, "labels"));

      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<HadoopConf> conf = jsc.broadcast(
          new HadoopConf(spark.sparkContext().hadoopConfiguration()));
      List<Long> indices = new ArrayList<>();
      for (long i = 0; i < cmd.images; i++) {
        indices.add(i);
      }
      int parts = cmd.partitions > 0 ? cmd.partitions
          : (int) Math.max(1, Math.min(cmd.images, 4L * jsc.defaultParallelism()));
      SyntheticImages images = new SyntheticImages(spec, cmd.images, half, cmd.badLabels);
      jsc.parallelize(indices, parts).foreach(i -> {
        SyntheticImage img = SyntheticImage.generate(spec, i);
        String id = SyntheticImages.imageId(i);
        HadoopConf hc = conf.value();
        hc.writeAll(root + "/logits/" + id + ".npy", images.logitsNpy(img));
        int[] labels = images.labels(img, i);
        hc.writeAll(root + "/labels/" + id + (png ? ".png" : ".npy"), png
            ? LabelPngWriter.grey8(labels, spec.height(), spec.width())
            : NpyWriter.uint8(labels, spec.height(), spec.width()));
      });
      conf.value().writeAll(root + "/dataset.json",
          descriptor(cmd, spec).getBytes(StandardCharsets.UTF_8));
      printDone(out, cmd, spec, root, t0);
      return ExitCode.OK;
    } catch (Exception e) { // SparkException is checked but thrown from Scala undeclared
      err.println("ohem-generate: failed: " + e);
      e.printStackTrace(err);
      return ExitCode.FAILURE;
    }
  }

  private static long logitBytes(OhemGenerateCommand cmd, SyntheticImage.Spec spec) {
    return (long) cmd.images * spec.classes() * spec.logitsHeight() * spec.logitsWidth()
        * (cmd.dtype.equals("float16") ? 2 : 4);
  }

  private static void printDone(PrintStream out, OhemGenerateCommand cmd,
      SyntheticImage.Spec spec, String where, long t0) {
    double secs = (System.nanoTime() - t0) / 1e9;
    long logitBytes = logitBytes(cmd, spec);
    long pixels = (long) cmd.images * spec.height() * spec.width();
    out.printf(Locale.ROOT, "generated %d images (%dx%d labels, logits [%d,%d,%d] %s) into "
            + "%s%n", cmd.images, spec.height(), spec.width(), spec.classes(),
        spec.logitsHeight(), spec.logitsWidth(), cmd.dtype, where);
    out.printf(Locale.ROOT, "pixels=%d logits_bytes=%d (%.2f GB) time %.2fs%n", pixels,
        logitBytes, logitBytes / 1e9, secs);
  }


  private static SyntheticImage.Spec validate(OhemGenerateCommand cmd) {
    if (cmd.images < 1) {
      throw new IllegalArgumentException("--images must be >= 1, got " + cmd.images);
    }
    if (!cmd.dtype.equals("float32") && !cmd.dtype.equals("float16")) {
      throw new IllegalArgumentException("--dtype must be float32 or float16, got "
          + cmd.dtype);
    }
    if (!cmd.labels.equals("npy") && !cmd.labels.equals("png")) {
      throw new IllegalArgumentException("--labels must be npy or png, got " + cmd.labels);
    }
    if (!cmd.format.equals("npy") && !cmd.format.equals("parquet")) {
      throw new IllegalArgumentException("--format must be npy or parquet, got " + cmd.format);
    }
    SyntheticImage.Spec spec = new SyntheticImage.Spec(cmd.classes, cmd.height, cmd.width,
        cmd.downsample, cmd.margin, cmd.seed);
    new SyntheticImages(spec, cmd.images, false, cmd.badLabels); // checks --bad-labels
    return spec;
  }

  private static String descriptor(OhemGenerateCommand cmd, SyntheticImage.Spec spec)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("classes", spec.classes());
    m.put("ignore_index", SyntheticImage.IGNORE);
    m.put("label_convention", "train_ids");
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("images", cmd.images);
    g.put("height", spec.height());
    g.put("width", spec.width());
    g.put("dtype", cmd.dtype);
    g.put("format", cmd.format);
    if (cmd.format.equals("npy")) {
      g.put("labels", cmd.labels);
    }
    g.put("downsample", spec.downsample());
    g.put("margin", spec.margin());
    g.put("seed", spec.seed());
    if (cmd.badLabels > 0) {
      g.put("bad_labels", cmd.badLabels);
    }
    m.put("generator", g);
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m)
        + "\n";
  }
}
