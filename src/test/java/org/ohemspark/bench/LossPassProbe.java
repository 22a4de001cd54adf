package org.ohemspark.bench;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.Logits;
import org.ohemspark.core.LossHistogram;
import org.ohemspark.core.OhemParams;
import org.ohemspark.io.LabelDecoder;
import org.ohemspark.io.NpyArray;
import org.ohemspark.mining.LossRecord;
import org.ohemspark.spark.HadoopConf;

/**
 * Where the executor's time per pixel goes outside Spark (issue 13, profile), not a test: the
 * steps of the loss pass and of the passes over the cached losses, timed one by one on one
 * thread with the job's own classes, over the images of a dataset directory
 * ({@code logits/<id>.npy}, {@code labels/<id>.npy|png}) read through Hadoop's local
 * FileSystem as the job reads them.
 *
 * <p>Steps, each in ns per label pixel (H x W) of the thread's CPU time (less sensitive than
 * wall time to other work on the machine; wall time beside it), averaged over the images of the
 * last round (earlier rounds warm the JIT):
 * <ul>
 *   <li>{@code read}: the logits and label files' bytes ({@link HadoopConf#readAll}, a fresh
 *       array per file, as the job does);</li>
 *   <li>{@code parse}: the npy header ({@link NpyArray#parse}, logits read in place) and the
 *       label decode ({@link LabelDecoder#decode});</li>
 *   <li>{@code decode}: every logits row converted to float ({@link Logits#readRow}), alone;
 *       the kernel does this again inside {@code kernel};</li>
 *   <li>{@code kernel}: {@link ImageLossComputer#compute} (label convention, decode, log-sum-exp,
 *       per-image figures, the new label and loss arrays);</li>
 *   <li>{@code serialize}: the {@link LossRecord} through Java serialization (what
 *       {@code MEMORY_AND_DISK} pays for a record it spills; in memory it is kept as is), with
 *       its size in bytes per pixel;</li>
 *   <li>{@code histogram}: one first-level {@link LossHistogram} pass ({@code addValid});</li>
 *   <li>{@code tail}: one counting pass (valid losses above the loss threshold: count and sum),
 *       as the per-image and top-k tail passes do;</li>
 *   <li>{@code rows}: a {@code Row} of the hard_pixels/ schema per pixel above the threshold
 *       (5 boxed values), before Spark's encoder and Parquet.</li>
 * </ul>
 * and two other ways to get the logits file's bytes, for comparison with {@code read} (not used
 * by the job): {@code read_nio}, {@link Files#readAllBytes} (no Hadoop, no checksum), and
 * {@code read_mmap}, the file mapped ({@link FileChannel#map}) and one byte of each 4 KiB page
 * touched (what a kernel reading the mapped bytes would fault in), with no copy.
 *
 * <p>Usage: {@code LossPassProbe DATASET_DIR [ROUNDS (3)] [MAX_IMAGES (16)]}. Prints one line
 * per step and one {@code probe-json: {...}} line for {@code jobs/lib/bench_report.py}.
 */
public final class LossPassProbe {
  private LossPassProbe() {}

  private static final String[] STEPS = {"read", "parse", "decode", "kernel", "serialize",
      "histogram", "tail", "rows", "read_nio", "read_mmap"};

  public static void main(String[] args) throws IOException {
    Path dir = Paths.get(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int max = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    List<String> ids;
    try (Stream<Path> s = Files.list(dir.resolve("logits"))) {
      ids = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted()
          .map(n -> n.substring(0, n.length() - 4)).limit(max).collect(Collectors.toList());
    }
    HadoopConf conf = new HadoopConf(new Configuration());
    OhemParams params = OhemParams.DEFAULTS;
    double thr = params.lossThreshold();
    ImageLossComputer computer = new ImageLossComputer(params, LabelConvention.TRAIN_IDS, null);
    long[] nanos = new long[STEPS.length];
    long[] cpuNanos = new long[STEPS.length];
    long[] wall = new long[STEPS.length + 1];
    long[] cpu = new long[STEPS.length + 1];
    long pixels = 0;
    long serialBytes = 0;
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      java.util.Arrays.fill(nanos, 0);
      java.util.Arrays.fill(cpuNanos, 0);
      pixels = 0;
      serialBytes = 0;
      for (String id : ids) {
        String lp = dir.resolve("logits").resolve(id + ".npy").toUri().toString();
        Path labelsNpy = dir.resolve("labels").resolve(id + ".npy");
        String bp = (Files.exists(labelsNpy) ? labelsNpy
            : dir.resolve("labels").resolve(id + ".png")).toUri().toString();
        mark(wall, cpu, 0);
        byte[] lb = conf.readAll(lp);
        byte[] bb = conf.readAll(bp);
        mark(wall, cpu, 1);
        Logits logits = NpyArray.parse(lp, lb).asLogits(id);
        LabelDecoder.Mask mask = LabelDecoder.decode(bp, id, bb);
        ImageRecord rec = new ImageRecord(id, lp, logits, mask.height(), mask.width(),
            mask.values());
        mark(wall, cpu, 2);
        float[] row = new float[logits.width()];
        for (int c = 0; c < logits.channels(); c++) {
          for (int y = 0; y < logits.height(); y++) {
            logits.readRow(c, y, row, 0);
          }
        }
        sink += Float.floatToRawIntBits(row[row.length - 1]);
        mark(wall, cpu, 3);
        ImageLosses img = computer.compute(rec);
        mark(wall, cpu, 4);
        CountingSink cs = new CountingSink();
        try (ObjectOutputStream out = new ObjectOutputStream(cs)) {
          out.writeObject(LossRecord.good(img, lp, null));
        }
        serialBytes += cs.count;
        mark(wall, cpu, 5);
        LossHistogram h = LossHistogram.firstLevel();
        h.addValid(img.losses(), img.labels(), params.ignoreIndex());
        sink += h.total();
        mark(wall, cpu, 6);
        double[] losses = img.losses();
        int[] labels = img.labels();
        long gt = 0;
        double sum = 0;
        for (int i = 0; i < losses.length; i++) {
          if (labels[i] != params.ignoreIndex() && losses[i] > thr) {
            gt++;
            sum += losses[i];
          }
        }
        sink += gt + (long) sum;
        mark(wall, cpu, 7);
        int w = img.width();
        for (int i = 0; i < losses.length; i++) {
          if (labels[i] != params.ignoreIndex() && losses[i] > thr) {
            Row r = RowFactory.create(id, (long) i, i / w, i % w, labels[i], losses[i]);
            sink += r.size();
          }
        }
        mark(wall, cpu, 8);
        Path logitsFile = dir.resolve("logits").resolve(id + ".npy");
        sink += Files.readAllBytes(logitsFile).length;
        mark(wall, cpu, 9);
        try (FileChannel ch = FileChannel.open(logitsFile, StandardOpenOption.READ)) {
          MappedByteBuffer mb = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
          for (int i = 0; i < mb.limit(); i += 4096) {
            sink += mb.get(i);
          }
        }
        mark(wall, cpu, 10);
        for (int k = 0; k < STEPS.length; k++) {
          nanos[k] += wall[k + 1] - wall[k];
          cpuNanos[k] += cpu[k + 1] - cpu[k];
        }
        pixels += img.pixels();
      }
    }
    StringBuilder json = new StringBuilder("{\"images\": " + ids.size() + ", \"pixels\": "
        + pixels + ", \"serialized_bytes_per_px\": "
        + String.format(Locale.ROOT, "%.3f", (double) serialBytes / pixels));
    System.out.printf(Locale.ROOT, "probe: %d images, %d px per round, %d rounds, one thread; "
        + "last round, ns per label pixel of the thread's CPU time (and of wall time):%n",
        ids.size(), pixels, rounds);
    for (int k = 0; k < STEPS.length; k++) {
      double ns = (double) cpuNanos[k] / pixels;
      System.out.printf(Locale.ROOT, "probe: %-10s %8.2f ns/px CPU (%8.2f wall)%n", STEPS[k], ns,
          (double) nanos[k] / pixels);
      json.append(String.format(Locale.ROOT, ", \"%s\": %.3f", STEPS[k], ns));
    }
    System.out.printf(Locale.ROOT, "probe: serialized LossRecord %.2f bytes/px (sink %d)%n",
        (double) serialBytes / pixels, sink & 1);
    System.out.println("probe-json: " + json.append('}'));
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Wall time into {@code w[k]}, this thread's CPU time into {@code c[k]}, ns. */
  private static void mark(long[] w, long[] c, int k) {
    c[k] = THREADS.getCurrentThreadCpuTime();
    w[k] = System.nanoTime();
  }

  /** Counts the bytes written to it and drops them. */
  private static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
