package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.output.OutputFiles;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.source.DatasetDirectory;
import org.ohemspark.testing.SparkTestSession;

/**
 * Output file sizes follow {@code output_file_size}, not the loss pass's partitioning: a
 * generated dataset of 40 images (32x32, 5 classes) plus 7 unreadable logits files, mined in
 * PERMISSIVE mode over 8 partitions. At a target of 1600 bytes the rows per file are
 * {@code floor(1600 / row bytes)}: for {@code images/} 80 B plus 1 B per kept pixel of the mean
 * image (its {@code hard_mask}), 100 for {@code hard_pixels/}
 * (16 B), 6 for {@code quarantine/} (256 B); each file is checked against that arithmetic from
 * its footer's row count.
 */
class OutputFileSizeTest {
  @TempDir
  static Path tmp;
  private static SparkSession spark;
  private static Path good;
  private static Path mixed;
  private static final int IMAGES = 40;
  private static final int BAD = 7;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTestSession.create("output-files");
    good = tmp.resolve("synth");
    JobRun g = JobRun.of(OhemGenerateJob::run, spark, "--output", good.toString(), "--images",
        Integer.toString(IMAGES), "--height", "32", "--width", "32", "--classes", "5",
        "--seed", "4");
    assertEquals(ExitCode.OK, g.code(), g.err());
    mixed = tmp.resolve("mixed");
    for (String sub : List.of("logits", "labels")) {
      Files.createDirectories(mixed.resolve(sub));
      try (Stream<Path> s = Files.list(good.resolve(sub))) {
        for (Path p : s.toList()) {
          Files.copy(p, mixed.resolve(sub).resolve(p.getFileName()));
        }
      }
    }
    Files.copy(good.resolve("dataset.json"), mixed.resolve("dataset.json"));
    Path label = mixed.resolve("labels/img_000000.npy");
    for (int i = 0; i < BAD; i++) {
      Files.writeString(mixed.resolve("logits/zbad_" + i + ".npy"), "not an npy file " + i);
      Files.copy(label, mixed.resolve("labels/zbad_" + i + ".npy"));
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /**
   * Row counts of a table's Parquet files, by part number (the writing task), in the order that
   * task wrote them ({@code -c000}, {@code -c001}, ...).
   */
  private static Map<Integer, List<Long>> rowsByPart(Path table) throws IOException {
    Map<Integer, List<Long>> out = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(table)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    for (Path f : files) {
      int part = Integer.parseInt(f.getFileName().toString().substring(5, 10));
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
        out.computeIfAbsent(part, k -> new ArrayList<>()).add(r.getRecordCount());
      }
    }
    return out;
  }

  /** {@code rows} cut into files of {@code perFile} rows: full files, then the rest. */
  private static List<Long> cut(long rows, long perFile) {
    List<Long> files = new ArrayList<>(Collections.nCopies((int) (rows / perFile), perFile));
    if (rows % perFile != 0) {
      files.add(rows % perFile);
    }
    return files;
  }

  private static JsonNode mine(Path out, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--input", mixed.toString(), "--output",
        out.toString(), "--partitions", "8", "--mode", "PERMISSIVE"));
    args.addAll(List.of(extra));
    JobRun r = JobRun.of(OhemMineJob::run, spark, args.toArray(new String[0]));
    assertEquals(ExitCode.OK, r.code(), r.err());
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(IMAGES, s.get("n_images").asLong());
    assertEquals(BAD, s.get("n_bad_records").asLong());
    return s;
  }

  @Test
  void aSmallTargetCutsEveryTableIntoFilesOfItsRowsPerFile() throws IOException {
    Path out = tmp.resolve("out-1600");
    JsonNode s = mine(out, "--output-file-size", "1600");
    long kept = s.get("n_kept").asLong();
    assertTrue(kept > 8 * 100, "hard_pixels/ spans files in every partition: " + kept);

    // images/: 40 rows written by one task, in rank order, in files of 1600 / (80 B + 1 B per
    // kept pixel of the mean image, rounded up) rows
    long imageRowBytes = 80 + (kept + IMAGES - 1) / IMAGES;
    Map<Integer, List<Long>> images = rowsByPart(out.resolve("images"));
    assertEquals(1, images.size(), "one writing task: " + images);
    assertTrue(1600 / imageRowBytes < IMAGES, "several files: " + imageRowBytes);
    assertEquals(cut(IMAGES, 1600 / imageRowBytes), images.values().iterator().next());
    List<Long> ranks = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("images"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        spark.read().parquet(f.toString()).select("rank").collectAsList()
            .forEach(r -> ranks.add(r.getLong(0)));
      }
    }
    assertEquals(LongStream.rangeClosed(1, IMAGES).boxed().toList(), ranks,
        "rank order, file after file");

    // quarantine/: 7 rows, 6 + 1, in image id order across the files
    Map<Integer, List<Long>> quarantine = rowsByPart(out.resolve("quarantine"));
    assertEquals(Map.of(0, cut(BAD, 1600 / 256)), quarantine);
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(out.resolve("quarantine"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        spark.read().parquet(f.toString()).select("image_id").collectAsList()
            .forEach(r -> ids.add(r.getString(0)));
      }
    }
    assertEquals(List.of("zbad_0", "zbad_1", "zbad_2", "zbad_3", "zbad_4", "zbad_5", "zbad_6"),
        ids, "file after file");

    // hard_pixels/: the 8 loss-pass partitions coalesced to ScanPartitions' 4 (local[2]; the
    // rows give each of them over 100 / 8), each cutting its own rows into files of 100
    Map<Integer, List<Long>> hard = rowsByPart(out.resolve("hard_pixels"));
    long total = 0;
    for (Map.Entry<Integer, List<Long>> e : hard.entrySet()) {
      long rows = e.getValue().stream().mapToLong(Long::longValue).sum();
      total += rows;
      assertEquals(cut(rows, 1600 / 16), e.getValue(), "part " + e.getKey());
    }
    assertEquals(kept, total, "every kept pixel is written once");
    assertEquals(4, hard.size(), "hard_pixels/ written by 4 tasks: " + hard);
  }

  @Test
  void atTheDefaultTargetASmallResultIsOneFilePerTable() throws IOException {
    Path out = tmp.resolve("out-default");
    JsonNode s = mine(out);
    assertEquals(Map.of(0, List.of((long) IMAGES)), rowsByPart(out.resolve("images")));
    assertEquals(Map.of(0, List.of((long) BAD)), rowsByPart(out.resolve("quarantine")));
    assertEquals(Map.of(0, List.of(s.get("n_kept").asLong())),
        rowsByPart(out.resolve("hard_pixels")));
  }

  /** Tasks of each stage {@code write} runs, in order, and images it decoded (none expected). */
  private static List<Integer> stagesOf(OhemMiner.Result r, Runnable write)
      throws TimeoutException {
    List<Integer> stageTasks = Collections.synchronizedList(new ArrayList<>());
    SparkListener listener = new SparkListener() {
      @Override
      public void onStageCompleted(SparkListenerStageCompleted e) {
        stageTasks.add(e.stageInfo().numTasks());
      }
    };
    long decoded = r.imagesDecoded().value();
    spark.sparkContext().listenerBus().waitUntilEmpty();
    spark.sparkContext().addSparkListener(listener);
    try {
      write.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    assertEquals(decoded, r.imagesDecoded().value(), "no image decoded again");
    return stageTasks;
  }

  private static OhemMiner.Result mineInEight() {
    OhemMiner.Result r = OhemMiner.on(spark).partitions(8).mode(BadRecordMode.PERMISSIVE)
        .mine(new DatasetDirectory(mixed.toString()));
    assertEquals(IMAGES, r.imagesDecoded().value(), "decoded once by the loss pass");
    return r;
  }

  /**
   * Writing {@code images/} in one task must not pull its computation (a pass over the cached
   * losses, every image's kept pixels and mask) into that task: the write runs the 8 tasks of
   * the loss pass's partitions (the rank's shuffle), then the one writing task reading the
   * ranked rows, and decodes no image again.
   */
  @Test
  void theOneImagesWriterKeepsTheComputationInTheLossPassPartitions() throws Exception {
    String dir = tmp.resolve("images-only").toString();
    try (OhemMiner.Result r = mineInEight()) {
      assertEquals(List.of(8, 1), stagesOf(r,
          () -> new OutputFiles(1600).ordered(r.images(), 80).parquet(dir)),
          "tasks of each stage of the write");
      assertEquals(IMAGES, spark.read().parquet(dir).count());
    }
  }

  /**
   * {@code hard_pixels/} is written by the tasks that compute it, coalesced without a shuffle:
   * one stage of {@link OutputFiles#writerTasks} tasks (no shuffle stage in front), and no
   * image decoded again.
   */
  @Test
  void hardPixelsAreWrittenWithoutAShuffle() throws Exception {
    String dir = tmp.resolve("hard-only").toString();
    try (OhemMiner.Result r = mineInEight()) {
      long kept = r.summary().nKept();
      assertEquals(List.of(4), stagesOf(r,
          () -> new OutputFiles(1600).perPartition(r.hardPixels(), kept, 16).parquet(dir)),
          "one stage, ScanPartitions' 4 tasks");
      assertEquals(kept, spark.read().parquet(dir).count());
    }
  }

  /** The writer-task arithmetic: min(scan tasks, ceil(rows / (rowsPerFile / 8))). */
  @Test
  void writerTasksFollowTheRowsAndTheCores() {
    OutputFiles f = new OutputFiles(128L << 20); // 8,388,608 rows of 16 B; 1,048,576 per task
    assertEquals(1, f.writerTasks(0, 16, 22, 2));
    assertEquals(1, f.writerTasks(1_048_576, 16, 22, 2));
    assertEquals(2, f.writerTasks(1_048_577, 16, 22, 2));
    assertEquals(4, f.writerTasks(32_000_000, 16, 22, 2), "2 per core on 2 cores");
    assertEquals(3, f.writerTasks(32_000_000, 16, 3, 2), "never more than the partitions");
    assertEquals(31, f.writerTasks(32_000_000, 16, 40_000, 400), "by rows: ceil(32e6 / 2^20)");
    assertEquals(1250, f.writerTasks(2_000_000_000L, 16, 40_000, 400),
        "40,000 partitions, 32 blocks a task");
  }
}
