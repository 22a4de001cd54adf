package org.ohemspark.job;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.io.DatasetDescriptor;
import org.ohemspark.mining.BadRecords;
import org.ohemspark.mining.GroupBy;
import org.ohemspark.mining.HardPixels;
import org.ohemspark.mining.ImageReport;
import org.ohemspark.mining.MiningSummary;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.mining.TopKMode;
import org.ohemspark.output.MaskFormat;
import org.ohemspark.output.MaskPngs;
import org.ohemspark.output.OutputFiles;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.BatchFile;
import org.ohemspark.source.ImageSource;
import org.ohemspark.source.InferredLogits;
import org.ohemspark.spark.ConcurrentActions;
import org.ohemspark.spark.ExecutorHeapPeaks;
import org.ohemspark.spark.HadoopConf;

/**
 * Entry point of {@code jobs/ohem-mine.sh}: parses flags, resolves the configuration, runs
 * {@link OhemMiner} and commits {@code summary.json}, {@code images/}, {@code hard_pixels/},
 * {@code classes/} and {@code confusion/} (and {@code batches/}, {@code masks/},
 * {@code quarantine/}), and the mining report {@code report.html} ({@link MiningReport};
 * {@code --no-report} skips it) under the output directory.
 * Exits with an {@link ExitCode}.
 */
public final class OhemMineJob {
  private OhemMineJob() {}

  public static void main(String[] args) {
    JobLauncher.main("ohem-mine", args, OhemMineJob::run);
  }

  /**
   * Runs the job on a given session (which it does not stop).
   *
   * @return an {@link ExitCode}
   */
  public static int run(String[] args, SparkSession spark, PrintStream out, PrintStream err) {
    OhemMineCommand cmd = new OhemMineCommand();
    Integer parsed = JobLauncher.parse("ohem-mine", cmd, args, out, err);
    if (parsed != null) {
      return parsed;
    }
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    JobConfig config;
    JobConfig mining; // config, or what mining saved logits needs (ModelInput)
    InferredLogits.Model inferredBy = null; // the model that gives the logits, if any
    ImageSource source;
    List<String> classNames;
    ReportOptions report;
    try {
      Properties file = ConfFile.read(hadoop, cmd.confFile);
      String input = cmd.input != null ? cmd.input : file.getProperty("input");
      DatasetDescriptor descriptor = readDescriptor(hadoop, input);
      config = JobConfig.resolve(file, descriptor, cmd.flags());
      for (String note : JobConfig.overriddenByDataset(file, descriptor, cmd.flags())) {
        err.println("ohem-mine: note: " + note);
      }
      String deployMode = spark.sparkContext().conf().get("spark.submit.deployMode", "client");
      ClusterDeployMode.requireReachable(deployMode, hadoop, "--input", config.input());
      ClusterDeployMode.requireReachable(deployMode, hadoop, "--output", config.output());
      Path in = new Path(config.input());
      if (!in.getFileSystem(hadoop).exists(in)) {
        throw new IllegalArgumentException("input " + config.input() + " does not exist");
      }
      classNames = ClassNames.resolve(hadoop, config);
      report = ReportOptions.resolve(file, cmd.flags());
      ModelOptions model = ModelOptions.resolve(file, cmd.flags(), cmd.modelParams);
      ClusterDeployMode.requireReachable(deployMode, hadoop, "--model", model.model());
      ClusterDeployMode.requireReachable(deployMode, hadoop, "--model-json", model.json());
      ClusterDeployMode.requireReachable(deployMode, hadoop, "--save-logits", model.saveLogits());
      if (model.model() != null) {
        ModelInput mi = ModelInput.prepare(spark, config, model);
        config = mi.config();
        mining = mi.mining();
        source = mi.source();
        inferredBy = mi.model();
      } else {
        mining = config;
        source = config.format().detect(hadoop, config.input()).source(config.input(),
            config.mode());
      }
      if (config.groupBy() == GroupBy.BATCH && config.batchesFile() == null
          && source.batches(spark) == null) {
        throw new IllegalArgumentException(OhemMiner.noBatches(source));
      }
    } catch (BadRecordException e) {
      err.println("ohem-mine: bad input: " + e.getMessage());
      return ExitCode.BAD_INPUT;
    } catch (IllegalArgumentException | IOException e) {
      err.println("ohem-mine: " + e.getMessage());
      return ExitCode.BAD_ARGUMENTS;
    }

    StagedOutput staged;
    try {
      StagedOutput.requireApart(hadoop, config.input(), config.output());
      staged = new StagedOutput(hadoop, config.output(), config.overwrite());
    } catch (IllegalArgumentException | IOException e) {
      err.println("ohem-mine: " + e.getMessage());
      return ExitCode.BAD_ARGUMENTS;
    }
    if (config.topk() == TopKMode.APPROX) {
      return estimate(spark, config, mining, source, classNames, inferredBy, staged, out, err);
    }
    long t0 = System.nanoTime();
    try (HeapWatch heap = new HeapWatch();
        OhemMiner.Result r = mine(spark, mining, source, classNames, err)) {
      long t1 = System.nanoTime();
      OutputFiles files = new OutputFiles(config.outputFileBytes());
      if (config.masks() == MaskFormat.PNG) { // first: an id that is no file name fails early
        MaskPngs.write(r.keptRules(), config.params().ignoreIndex(),
            spark.sparkContext().broadcast(new HadoopConf(hadoop),
                scala.reflect.ClassTag$.MODULE$.apply(HadoopConf.class)),
            staged.path("masks"));
      }
      String html;
      try (ConcurrentActions writes = ConcurrentActions.on(spark.sparkContext(),
          "ohem-mine")) {
        long imageBytes = ImageReport.rowBytes(r.summary().nImages(), r.summary().nKept());
        // each hard_mask is distinct: a dictionary only costs time there
        writes.run("write images/", () -> files.ordered(r.images(), imageBytes)
            .option("parquet.enable.dictionary#hard_mask", "false")
            .parquet(staged.path("images")));
        // pixel_index and loss are nearly all distinct: a dictionary only costs time there
        writes.run("write hard_pixels/", () -> files.perPartition(r.hardPixels(),
                r.summary().nKept(), HardPixels.ROW_BYTES)
            .option("parquet.enable.dictionary#pixel_index", "false")
            .option("parquet.enable.dictionary#loss", "false")
            .parquet(staged.path("hard_pixels")));
        // O(C) and O(C^2) rows built on the driver: one small file each
        writes.run("write classes/", () -> r.classes().write().parquet(staged.path("classes")));
        if (r.batches() != null) {
          writes.run("write batches/", () -> files.gathered(r.batches(), ImageReport.ROW_BYTES)
              .parquet(staged.path("batches")));
        }
        writes.run("write confusion/",
            () -> r.confusion().write().parquet(staged.path("confusion")));
        if (config.mode() == BadRecordMode.PERMISSIVE) {
          writes.run("write quarantine/", () -> files.gathered(r.quarantine(),
              BadRecords.QUARANTINE_ROW_BYTES, "image_id", "source")
              .parquet(staged.path("quarantine")));
        }
        Future<String> page = null;
        if (report.enabled()) {
          Map<String, Object> summaryMap = SummaryJson.toMap(r.summary(), r.classReport(),
              config, inferredBy);
          JobConfig reported = config;
          int pictures = report.images();
          page = writes.submit("report.html", () -> MiningReport.html(spark, r, summaryMap,
              reported, pictures, t0));
        }
        writes.awaitAll();
        html = page == null ? null : page.get();
      }
      if (r.summary().nBadRecords() > 0) {
        Row first = r.quarantine().first();
        err.printf(Locale.ROOT, "ohem-mine: %d bad record(s) %s (%s); first: %s%n",
            r.summary().nBadRecords(),
            config.mode() == BadRecordMode.PERMISSIVE ? "quarantined" : "dropped",
            config.mode(), BadRecords.describe(first));
      }
      if (r.stretched().count() > 0) {
        err.printf(Locale.ROOT, "ohem-mine: warning: %d image(s) have logits of another aspect "
            + "ratio than their label mask, e.g. %s; they were resized (stretched) bilinearly to "
            + "the label size, as torch.nn.functional.interpolate does. Transposed logits, or "
            + "logits of another image, look like this.%n", r.stretched().count(),
            r.stretched().example());
      }
      staged.writeText("summary.json", SummaryJson.toJson(r.summary(), r.classReport(),
          config, inferredBy));
      if (html != null) { // in the staging directory: never half-written
        staged.writeText("report.html", html);
      }
      staged.commit();
      long t2 = System.nanoTime();
      print(out, r.summary(), staged.target(), config.masks(), r.firstPassNanos(),
          r.selectionNanos(), t2 - t1, t2 - t0, report.enabled());
      printCost(out, r, heap, ExecutorHeapPeaks.of(spark.sparkContext()));
      return ExitCode.OK;
    } catch (Exception e) { // SparkException is checked but thrown from Scala undeclared
      return failed(e, staged, err);
    }
  }

  /**
   * {@code --topk approx}: one pass ({@link OhemMiner#estimate}), then {@code summary.json}
   * alone.
   */
  private static int estimate(SparkSession spark, JobConfig config, JobConfig mining,
      ImageSource source, List<String> classNames, InferredLogits.Model inferredBy,
      StagedOutput staged, PrintStream out, PrintStream err) {
    long t0 = System.nanoTime();
    try (HeapWatch heap = new HeapWatch()) {
      OhemMiner.Estimate e;
      try {
        e = miner(spark, mining, classNames).estimate(source);
      } finally {
        printWarnings("ohem-mine", source, err);
      }
      staged.writeText("summary.json", SummaryJson.toJson(e, config, inferredBy));
      staged.commit();
      MiningSummary s = e.summary();
      out.printf(Locale.ROOT, "OHEM mean: %s (status %s, group_by %s, topk approx)%n",
          s.mean() == null ? "null" : String.format(Locale.ROOT, "%.7f", s.mean()), s.status(),
          s.groupBy().label());
      out.printf(Locale.ROOT, "images=%d n_valid=%d n_min=%d n_hard=%d n_kept=%d used_topk=%s "
          + "loss_threshold=%.9f%n", s.nImages(), s.nValid(), s.nMin(), s.nHard(), s.nKept(),
          s.usedTopk(), s.lossThreshold());
      if (e.bounds() != null) {
        out.printf(Locale.ROOT, "bounds (guaranteed): mean [%.9f, %.9f], kth_loss [%.9f, %.9f], "
            + "rank_error %d%n", e.bounds().meanLo(), e.bounds().meanHi(), e.bounds().kthLo(),
            e.bounds().kthHi(), e.bounds().rankError());
      }
      out.printf(Locale.ROOT, "time: one pass %.2fs, total %.2fs%n", e.passNanos() / 1e9,
          (System.nanoTime() - t0) / 1e9);
      out.println("output: " + staged.target() + " (summary.json)");
      out.printf(Locale.ROOT, "heap: driver peak %d MiB used, %d MiB live after GC%n",
          heap.peakUsedBytes() >> 20, heap.peakLiveBytes() >> 20);
      return ExitCode.OK;
    } catch (Exception e) {
      return failed(e, staged, err);
    }
  }

  /** Aborts the staged output and says why the run failed: the exit code. */
  private static int failed(Exception e, StagedOutput staged, PrintStream err) {
    staged.abort();
    BadRecordException bad = badRecord(e);
    if (bad != null) {
      err.println("ohem-mine: bad input: " + bad.getMessage());
      return ExitCode.BAD_INPUT;
    }
    String msg = badRecordMessage(e);
    if (msg == null) {
      msg = unreadableFileMessage(e);
    }
    if (msg != null) {
      err.println("ohem-mine: bad input: " + msg);
      return ExitCode.BAD_INPUT;
    }
    err.println("ohem-mine: failed: " + e);
    e.printStackTrace(err);
    return ExitCode.FAILURE;
  }

  /**
   * Mines {@code source} as {@code config} says. The input's warnings
   * ({@link ImageSource#warnings}) are printed first, whether the mining succeeds or not.
   */
  private static OhemMiner.Result mine(SparkSession spark, JobConfig config, ImageSource source,
      List<String> classNames, PrintStream err) {
    try {
      return miner(spark, config, classNames).mine(source);
    } finally {
      printWarnings("ohem-mine", source, err);
    }
  }

  /** The engine set up as {@code config} says. */
  private static OhemMiner miner(SparkSession spark, JobConfig config, List<String> classNames) {
    OhemMiner m = OhemMiner.on(spark).params(config.params())
        .labelConvention(config.labelConvention()).classes(config.classes())
        .groupBy(config.groupBy()).partitions(config.partitions())
        .partitionBytes(config.partitionBytes()).mode(config.mode())
        .classNames(classNames);
    if (config.batchesFile() != null) {
      m.batches(BatchFile.read(spark, config.batchesFile()), config.batchesFile());
    }
    return m;
  }

  /**
   * Prints the input's warnings ({@link ImageSource#warnings}) as the job's other warnings are:
   * {@code <job>: warning: ...} on {@code err}.
   */
  static void printWarnings(String job, ImageSource source, PrintStream err) {
    for (String w : source.warnings()) {
      err.println(job + ": warning: " + w);
    }
  }

  private static void print(PrintStream out, MiningSummary s, String target, MaskFormat masks,
      long firstPass, long selection, long write, long total, boolean report) {
    out.printf(Locale.ROOT, "OHEM mean: %s (status %s, group_by %s)%n",
        s.mean() == null ? "null" : String.format(Locale.ROOT, "%.7f", s.mean()), s.status(),
        s.groupBy().label());
    out.printf(Locale.ROOT, "images=%d n_valid=%d n_min=%d n_hard=%d n_kept=%d used_topk=%s "
            + "kth_loss=%s loss_threshold=%.9f%n", s.nImages(), s.nValid(), s.nMin(), s.nHard(),
        s.nKept(), s.usedTopk(), s.kthLoss() == null ? "null" : s.kthLoss().toString(),
        s.lossThreshold());
    out.printf(Locale.ROOT, "time: losses %.2fs, selection %.2fs (%d top-k histogram passes), "
            + "write %.2fs, total %.2fs%n", firstPass / 1e9, selection / 1e9,
        s.histogramPasses(), write / 1e9, total / 1e9);
    out.println("output: " + target + " (summary.json, " + (report ? "report.html, " : "")
        + "images/, hard_pixels/, classes/, confusion/"
        + (s.groupBy() == GroupBy.BATCH ? ", batches/" : "")
        + (masks == MaskFormat.PNG ? ", masks/" : "")
        + (s.mode() == BadRecordMode.PERMISSIVE ? ", quarantine/)" : ")"));
    if (s.nBadRecords() > 0) {
      out.printf(Locale.ROOT, "bad records: %d (%s)%n", s.nBadRecords(), s.mode());
    }
  }

  /** Passes over the data and peak heaps: what the benchmark (jobs/ohem-bench.sh) reads. */
  private static void printCost(PrintStream out, OhemMiner.Result r, HeapWatch heap,
      ExecutorHeapPeaks ex) {
    out.printf(Locale.ROOT, "passes: logits %.2f (images decoded / images), cached losses: %d "
            + "top-k histogram passes; loss pass partitions: %d%n", r.logitsPasses(),
        r.summary().histogramPasses(), r.cached().getNumPartitions());
    String executors = ex.executors() == 0
        ? "executors peak not reported (Spark sends executor metrics with its heartbeats, every "
            + "10 s by default; spark.executor.metrics.pollingInterval=100ms records short runs)"
        : String.format(Locale.ROOT, "executors peak %d MiB (max of %d, JVMHeapMemory%s)",
            ex.maxBytes() >> 20, ex.executors(),
            ex.local() ? ", local mode: the driver's JVM" : "");
    out.printf(Locale.ROOT, "heap: driver peak %d MiB used, %d MiB live after GC; %s%n",
        heap.peakUsedBytes() >> 20, heap.peakLiveBytes() >> 20, executors);
  }

  /**
   * The input's {@code dataset.json}, else its {@code _dataset.json} (beside Parquet shards,
   * where Parquet readers skip {@code _} files), else {@link DatasetDescriptor#EMPTY}. For a
   * single file (one {@code *.parquet} shard or one {@code *.tar}) these are looked for in the
   * file's folder, so the file is mined with the settings its folder declares.
   *
   * @throws BadRecordException naming the descriptor when it cannot be read (e.g. it does not
   *     match its Hadoop {@code .crc}) or parsed: bad input, not bad arguments
   */
  static DatasetDescriptor readDescriptor(Configuration conf, String input)
      throws IOException {
    if (input == null) {
      return DatasetDescriptor.EMPTY;
    }
    Path in = new Path(input);
    FileSystem fs = in.getFileSystem(conf);
    Path folder = descriptorFolder(fs, in);
    Path p = new Path(folder, "dataset.json");
    if (!fs.exists(p)) {
      p = new Path(folder, "_dataset.json");
      if (!fs.exists(p)) {
        return DatasetDescriptor.EMPTY;
      }
    }
    try {
      // HadoopConf.readAll explains a stale .crc (a user edits dataset.json by hand)
      return DatasetDescriptor.parse(p.toString(), new HadoopConf(conf)
          .readAll(p.toString()));
    } catch (IllegalArgumentException | IOException e) { // the dataset's file: bad input
      throw new BadRecordException(p.toString(), null, e.getMessage(), e);
    }
  }

  /** Where the input's descriptor lies: the input itself, or a single file's folder. */
  private static Path descriptorFolder(FileSystem fs, Path in) throws IOException {
    try {
      Path parent = in.getParent();
      return fs.getFileStatus(in).isFile() && parent != null ? parent : in;
    } catch (FileNotFoundException e) {
      return in; // the caller reports the missing input
    }
  }

  /** The bad record in a cause chain (Spark wraps executor failures), or null. */
  static BadRecordException badRecord(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BadRecordException b) {
        return b;
      }
    }
    return null;
  }

  /**
   * A file Spark's own reader could not read (a truncated or corrupt Parquet shard): Spark's
   * {@code FAILED_READ_FILE} error, which names the file, and its deepest cause, or where the
   * file does not match its Hadoop checksum file, what that means and what to do
   * ({@link HadoopConf#checksumMismatch}). Null otherwise.
   */
  static String unreadableFileMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.contains("FAILED_READ_FILE")) {
        Throwable root = HadoopConf.deepestCause(t);
        String first = m.lines().findFirst().orElse(m);
        String file = t instanceof SparkThrowable s ? s.getMessageParameters().get("path")
            : null;
        String checksum = file == null ? null : HadoopConf.checksumMismatchIn(file, t);
        return "unreadable input file: " + first + (checksum != null ? " (" + checksum + ")"
            : root == t ? "" : " (" + root + ")");
      }
    }
    return null;
  }

  /** Where the exception did not survive serialization: its text in Spark's message. */
  static String badRecordMessage(Throwable e) {
    String marker = BadRecordException.class.getName() + ": ";
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      int i = m == null ? -1 : m.indexOf(marker);
      if (i >= 0) {
        String rest = m.substring(i + marker.length());
        int nl = rest.indexOf('\n');
        return nl >= 0 ? rest.substring(0, nl) : rest;
      }
    }
    return null;
  }
}
