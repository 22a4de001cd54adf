package org.ohemspark.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.serializer.SerializerManager;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.util.SizeEstimator;
import org.ohemspark.core.CrossEntropyKernel;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.PredictedClasses;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.io.NpyArray;
import org.ohemspark.io.NpyWriter;
import org.ohemspark.mining.LossRecord;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * What a cached loss record costs (not a test): synthetic Cityscapes-like images (19 classes,
 * labels {@code [512, 1024]} with ignore 255, losses from the kernel), each a
 * {@link LossRecord}; prints the record's size in memory as Spark's {@link SizeEstimator} sees
 * it (what a deserialized {@code MEMORY_AND_DISK} block is charged, bytes per pixel), then for
 * Spark's Java and Kryo serializers the serialized size (bytes per pixel: what a
 * {@code MEMORY_AND_DISK_SER} block holds and what a spill writes) and the time to write all
 * records to a file and to read them back through Spark's own block streams
 * ({@code SerializerManager.dataSerializeStream} / {@code dataDeserializeStream}, as the disk
 * store spills and reads a block; {@code spark.rdd.compress=false}, the default), ns per
 * pixel, best and median of the repeats, in the benchmark thread's CPU time (so that other
 * processes on a shared machine count little; garbage collection, on other threads, is left
 * out) and the best wall time; and one record alone through each serializer in memory, its
 * bytes and the milliseconds to serialize and to deserialize it. A serializer that cannot
 * write the record is reported as failing, with its error.
 *
 * <p>Run: {@code jobs/bench-cache-spill.sh [WORK_DIR] [IMAGES] [REPEATS]} (defaults
 * {@code target/bench-cache}, 24, 5).
 */
public final class CacheSpillBenchmark {
  private CacheSpillBenchmark() {}

  static final int C = 19;
  static final int H = 512;
  static final int W = 1024;
  static final int DISTINCT = 4;
  static final BlockId BLOCK = new RDDBlockId(0, 0);
  static final ClassTag<Object> ANY = ClassTag$.MODULE$.Any();

  public static void main(String[] args) throws IOException {
    Path work = Paths.get(args.length > 0 ? args[0] : "target/bench-cache");
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 24;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Files.createDirectories(work);
    List<LossRecord> records = records(images);
    long pixels = (long) images * H * W;
    System.out.printf(Locale.ROOT, "records: %d x [%d, %d] (%.1f Mpx), %d distinct images%n",
        images, H, W, pixels / 1e6, DISTINCT);
    System.out.printf(Locale.ROOT, "in memory (SizeEstimator): %.3f bytes/pixel%n",
        SizeEstimator.estimate(records.get(0)) / (double) (H * W));
    SparkConf conf = new SparkConf(false);
    for (Serializer s : List.of(new JavaSerializer(conf), new KryoSerializer(conf))) {
      String name = s instanceof KryoSerializer ? "kryo" : "java";
      try {
        oneRecord(name, s, records, repeats);
        run(name, s, records, work, pixels, repeats);
      } catch (RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null) {
          root = root.getCause();
        }
        System.out.println(name + ": fails: " + e + "; at the root: " + root);
      }
    }
  }

  /**
   * One record through a serializer instance in memory (no file): its serialized bytes and the
   * time to serialize it and to deserialize it, ms, best and median over the records and
   * repeats, in the thread's CPU time.
   */
  static void oneRecord(String name, Serializer serializer, List<LossRecord> records,
      int repeats) {
    SerializerInstance s = serializer.newInstance();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int n = records.size() * repeats;
    double[] write = new double[n];
    double[] read = new double[n];
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      LossRecord r = records.get(i % records.size());
      long c0 = threads.getCurrentThreadCpuTime();
      java.nio.ByteBuffer b = s.serialize(r, ANY);
      long c1 = threads.getCurrentThreadCpuTime();
      LossRecord back = (LossRecord) s.deserialize(b, ANY);
      long c2 = threads.getCurrentThreadCpuTime();
      if (back.losses().pixels() != r.losses().pixels()) {
        throw new IllegalStateException("record read back with another size");
      }
      bytes = b.limit();
      write[i] = (c1 - c0) / 1e6;
      read[i] = (c2 - c1) / 1e6;
    }
    System.out.printf(Locale.ROOT, "%s: one %dx%d record: %d bytes (%.3f per pixel); "
        + "serialize %.2f ms (median %.2f), deserialize %.2f ms (median %.2f), thread CPU%n",
        name, H, W, bytes, bytes / (double) (H * W), min(write), median(write), min(read),
        median(read));
  }

  /** Losses of a few distinct synthetic images, copied so no two records share an array. */
  static List<LossRecord> records(int n) {
    CrossEntropyKernel kernel = new CrossEntropyKernel(OhemParams.DEFAULTS);
    SyntheticImage.Spec spec = new SyntheticImage.Spec(C, H, W, 1,
        SyntheticImage.Spec.DEFAULT_MARGIN, 42);
    List<ImageLosses> base = new ArrayList<>();
    for (int i = 0; i < DISTINCT; i++) {
      SyntheticImage img = SyntheticImage.generate(spec, i);
      base.add(kernel.compute("img" + i, NpyArray.parse("x.npy", NpyWriter.floats(img.logits(),
          true, C, H, W)).asLogits("img" + i), img.labels(), H, W));
    }
    List<LossRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ImageLosses b = base.get(i % DISTINCT);
      ImageLosses copy = new ImageLosses(String.format("%06d", i), H, W, b.labels().clone(),
          PredictedClasses.of(b.classes(), b.predictedClasses().toArray()), b.losses().clone(),
          b.nValid(), b.nHard(), b.sumHard(), b.sumLoss(), b.maxLoss());
      out.add(LossRecord.good(copy, "logits/" + copy.imageId() + ".npy", null));
    }
    return out;
  }

  static void run(String name, Serializer serializer, List<LossRecord> records, Path work,
      long pixels, int repeats) throws IOException {
    SerializerManager spill = new SerializerManager(serializer, new SparkConf(false));
    Path file = work.resolve(name + ".bin");
    double[] write = new double[repeats];
    double[] read = new double[repeats];
    double[] writeWall = new double[repeats];
    double[] readWall = new double[repeats];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int r = 0; r < repeats; r++) {
      long c0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      try (OutputStream out = Files.newOutputStream(file)) {
        Iterator<Object> values = records.stream().map(rec -> (Object) rec).iterator();
        spill.dataSerializeStream(BLOCK, out, CollectionConverters.asScala(values), ANY);
      }
      long t1 = System.nanoTime();
      long c1 = threads.getCurrentThreadCpuTime();
      long checksum = 0;
      int n = 0;
      try (InputStream in = Files.newInputStream(file)) {
        scala.collection.Iterator<Object> it = spill.dataDeserializeStream(BLOCK, in, ANY);
        while (it.hasNext()) {
          ImageLosses l = ((LossRecord) it.next()).losses();
          checksum += l.nValid() + l.losses().length;
          n++;
        }
      }
      long t2 = System.nanoTime();
      long c2 = threads.getCurrentThreadCpuTime();
      if (n != records.size() || checksum == 0) {
        throw new IllegalStateException("read back " + n + " records of " + records.size());
      }
      write[r] = (c1 - c0) / (double) pixels;
      read[r] = (c2 - c1) / (double) pixels;
      writeWall[r] = (t1 - t0) / (double) pixels;
      readWall[r] = (t2 - t1) / (double) pixels;
    }
    long bytes = Files.size(file);
    System.out.printf(Locale.ROOT, "%s: serialized %.3f bytes/pixel; thread CPU: write %.2f "
        + "ns/px (median %.2f), read back %.2f ns/px (median %.2f), %.0f / %.0f MB/s; wall: "
        + "write %.2f, read back %.2f ns/px (best)%n", name, bytes / (double) pixels, min(write),
        median(write), min(read), median(read), bytes / min(write) / pixels * 1e3,
        bytes / min(read) / pixels * 1e3, min(writeWall), min(readWall));
    Files.delete(file);
  }

  private static double min(double[] a) {
    return Arrays.stream(a).min().orElse(Double.NaN);
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
