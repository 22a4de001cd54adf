package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.source.DatasetDirectory;
import org.ohemspark.source.ImageSource;
import org.ohemspark.source.ParquetShards;
import org.ohemspark.source.Partitioning;
import org.ohemspark.source.SyntheticImages;
import org.ohemspark.source.WebDatasetTars;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.Layouts;
import org.ohemspark.testing.NpyBytes;
import org.ohemspark.testing.SparkTestSession;
import org.ohemspark.testing.Tars;

/**
 * Partitions sized by bytes ({@link Partitioning}) for a dataset directory, WebDataset tars
 * (one tar cut between samples), Parquet shards (Spark's splitting at the target) and generated
 * images: each partition's images against next-fit packing computed here from the files' sizes
 * (and, for tars, from the members' sizes; for shards, from the footers' row groups). The mined
 * results (summary figures, images/, hard_pixels/, quarantine/) are the same whatever the
 * partitioning. A model's input (an image directory, tars of images, image shards) is packed
 * the same way by its encoded bytes, at a sixteenth of the target
 * ({@link Partitioning#forEncodedImages}).
 */
class PartitionBytesTest {
  private static SparkSession spark;

  @TempDir
  static Path tmp;

  /** Images of the dataset, of varied sizes. */
  private static final int IMAGES = 12;
  private static final long OPEN = 64 << 10;
  /** The test's target: about two images per partition. */
  private static final long TARGET = 200 << 10;
  /** Spark's default parallelism in the test session. */
  private static final int CORES = 2;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("partition-bytes");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * Twelve images {@code im00..im11}: logits {@code [3, h, w]} float32 with h in [20, 40] and w
   * in [30, 70] (14 to 34 KB), confident (a margin of 5 on the label's class) on 97% of the
   * pixels so the top-k path is taken; labels uint8 .npy with 1 in 10 ignored (255).
   */
  private static synchronized Path dataset() throws IOException {
    Path dir = tmp.resolve("dir");
    if (Files.exists(dir)) {
      return dir;
    }
    Files.createDirectories(dir.resolve("logits"));
    Files.createDirectories(dir.resolve("labels"));
    Random rnd = new Random(7);
    for (int i = 0; i < IMAGES; i++) {
      int h = 20 + rnd.nextInt(21);
      int w = 30 + rnd.nextInt(41);
      float[] v = new float[3 * h * w];
      int[] labels = new int[h * w];
      for (int p = 0; p < h * w; p++) {
        labels[p] = rnd.nextInt(10) == 0 ? 255 : rnd.nextInt(3);
        for (int c = 0; c < 3; c++) {
          v[c * h * w + p] = (float) rnd.nextGaussian();
        }
        if (labels[p] != 255 && rnd.nextInt(100) < 97) {
          v[labels[p] * h * w + p] += 5;
        }
      }
      String id = String.format("im%02d", i);
      Files.write(dir.resolve("logits/" + id + ".npy"), NpyBytes.file("<f4", false,
          new long[] {3, h, w}, NpyBytes.floats(ByteOrder.LITTLE_ENDIAN, v)));
      Files.write(dir.resolve("labels/" + id + ".npy"), NpyBytes.file("|u1", false,
          new long[] {h, w}, NpyBytes.bytes(labels)));
    }
    return dir;
  }

  /** Next-fit in order: the runs of items whose costs sum to at most {@code split}. */
  private static List<List<Integer>> nextFit(long[] costs, long split) {
    List<List<Integer>> runs = new ArrayList<>();
    List<Integer> run = new ArrayList<>();
    long used = 0;
    for (int i = 0; i < costs.length; i++) {
      if (!run.isEmpty() && used + costs[i] > split) {
        runs.add(run);
        run = new ArrayList<>();
        used = 0;
      }
      run.add(i);
      used += costs[i];
    }
    runs.add(run);
    return runs;
  }

  /** Spark's split rule: min(target, max(open cost, ceil(total / cores))). */
  private static long split(long target, long[] costs) {
    long total = 0;
    for (long c : costs) {
      total += c;
    }
    return Math.max(OPEN, Math.min(target, (total + CORES - 1) / CORES));
  }

  private static List<String> ids(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("logits"))) {
      return s.map(p -> p.getFileName().toString().replace(".npy", "")).sorted().toList();
    }
  }

  /** The image ids each partition of {@code source}'s records reads, partition by partition. */
  private static List<List<String>> imagesPerPartition(ImageSource source,
      Partitioning partitioning) {
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    JavaRDD<String> ids = source.records(spark, partitioning).javaRDD().mapPartitions(rows -> {
      List<String> out = new ArrayList<>();
      while (rows.hasNext()) {
        var images = source.readAll(rows.next(), conf);
        while (images.hasNext()) {
          ImageRecord r = images.next();
          out.add(r.imageId());
        }
      }
      return out.iterator();
    });
    return ids.glom().collect();
  }

  @Test
  void directoryPartitionsAreRunsOfImagesUpToTheTargetBytes() throws IOException {
    Path dir = dataset();
    List<String> ids = ids(dir);
    long[] costs = new long[ids.size()];
    for (int i = 0; i < costs.length; i++) {
      costs[i] = Files.size(dir.resolve("logits/" + ids.get(i) + ".npy"))
          + Files.size(dir.resolve("labels/" + ids.get(i) + ".npy")) + OPEN;
    }
    long split = split(TARGET, costs);
    assertEquals(TARGET, split, "the target binds: the dataset is larger than 2 targets");
    List<List<String>> expected = new ArrayList<>();
    for (List<Integer> run : nextFit(costs, split)) {
      expected.add(run.stream().map(ids::get).toList());
    }
    assertTrue(expected.size() >= 5 && expected.size() < IMAGES, expected.toString());

    DatasetDirectory source = new DatasetDirectory(dir.toString());
    assertEquals(expected, imagesPerPartition(source, Partitioning.bytes(TARGET)));
    // rows come in image id order, one run per partition: no image read to know it
    List<List<String>> rowIds = new ArrayList<>();
    for (List<Row> p : source.records(spark, Partitioning.bytes(TARGET)).javaRDD().glom()
        .collect()) {
      rowIds.add(p.stream().map(r -> r.getString(0)).toList());
    }
    assertEquals(expected, rowIds);

    // the default target is far above: one partition per core, by bytes
    List<List<String>> byDefault = imagesPerPartition(source, Partitioning.DEFAULT);
    List<List<String>> perCore = new ArrayList<>();
    for (List<Integer> run : nextFit(costs, split(Partitioning.DEFAULT_TARGET_BYTES, costs))) {
      perCore.add(run.stream().map(ids::get).toList());
    }
    assertEquals(perCore, byDefault);
    assertTrue(byDefault.size() >= CORES && byDefault.size() <= CORES + 1, byDefault.toString());

    // --partitions N: N runs of equal count, as before
    List<List<String>> five = imagesPerPartition(source, Partitioning.of(5, TARGET));
    assertEquals(List.of(2, 2, 3, 2, 3), five.stream().map(List::size).toList());
  }

  /**
   * The tar of {@link #dataset} as {@link Layouts#toTars} packs it (one tar): per image its
   * logits, its label and a small {@code .json} member.
   */
  private static Path oneTar() throws IOException {
    Path out = tmp.resolve("tar");
    if (!Files.exists(out)) {
      Layouts.toTars(dataset(), out, 1);
    }
    return out;
  }

  private static long padded(long size) {
    return (size + 511) / 512 * 512;
  }

  @Test
  void aLargeTarIsCutBetweenSamplesIntoPiecesUpToTheTargetBytes() throws IOException {
    Path dir = dataset();
    Path tars = oneTar();
    Path tar = tars.resolve("shard-000000.tar");
    long length = Files.size(tar);
    List<String> ids = ids(dir);
    // each sample: three members, each a 512-byte header and its data padded to 512 bytes
    long[] extents = new long[ids.size()];
    long[] starts = new long[ids.size()];
    long at = 0;
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      starts[i] = at;
      extents[i] = 512 + padded(Files.size(dir.resolve("logits/" + id + ".npy")))
          + 512 + padded(Files.size(dir.resolve("labels/" + id + ".npy")))
          + 512 + padded(("{\"id\": \"" + id + "\"}").getBytes(StandardCharsets.UTF_8).length);
      at += extents[i];
    }
    extents[ids.size() - 1] = length - starts[ids.size() - 1]; // the end records with it
    long split = Math.max(OPEN, Math.min(TARGET, (length + OPEN + CORES - 1) / CORES));
    assertTrue(length > split, "the tar is cut");
    long[] costs = new long[extents.length];
    for (int i = 0; i < costs.length; i++) {
      costs[i] = extents[i] + OPEN;
    }
    List<List<String>> expected = new ArrayList<>();
    List<Long> pieceStarts = new ArrayList<>();
    for (List<Integer> run : nextFit(costs, split)) {
      expected.add(run.stream().map(ids::get).toList());
      pieceStarts.add(starts[run.get(0)]);
    }
    assertTrue(expected.size() >= 3, expected.toString());

    for (String mode : List.of("FAILFAST", "PERMISSIVE")) {
      WebDatasetTars source = new WebDatasetTars(tars.toString(),
          org.ohemspark.source.BadRecordMode.parse(mode));
      assertEquals(expected, imagesPerPartition(source, Partitioning.bytes(TARGET)), mode);
      List<Long> rowStarts = source.records(spark, Partitioning.bytes(TARGET)).javaRDD()
          .map(r -> r.getLong(2)).collect();
      assertEquals(pieceStarts, rowStarts, mode + ": pieces start at a sample's header");
      // --partitions N: whole tars, as before
      assertEquals(List.of(ids), imagesPerPartition(source, Partitioning.of(4, TARGET)), mode);
    }
  }

  @Test
  void shardsAreSplitBySparkAtTheTargetBytes() throws IOException {
    Path ingested = JobRun.ingest(spark, dataset(), tmp.resolve("ingested"));
    Path shards = tmp.resolve("shards");
    Files.createDirectories(shards);
    // one file, image id order, one row group per image
    Path staging = tmp.resolve("staging-shards");
    spark.read().parquet(ingested.toString()).repartition(1).sortWithinPartitions("image_id")
        .write().option("parquet.block.row.count.limit", "1").parquet(staging.toString());
    try (Stream<Path> s = Files.list(staging)) {
      Files.copy(s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(),
          shards.resolve("a.parquet"));
    }
    Files.copy(ingested.resolve("_dataset.json"), shards.resolve("_dataset.json"));
    long target = OPEN; // the least Spark's file splitting is given
    // Spark: files cut every `target` bytes (below its 4 MiB open cost the target binds, and
    // each cut is a partition); a row group goes to the cut holding its middle
    Map<String, List<String>> expected = new HashMap<>();
    int cuts = 0;
    List<Path> files;
    try (Stream<Path> s = Files.list(shards)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    assertEquals(1, files.size());
    assertTrue(Files.size(files.get(0)) > 3 * target, "cut in 4 or more");
    for (Path f : files) {
      cuts += (int) ((Files.size(f) + target - 1) / target);
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
        List<BlockMetaData> groups = r.getFooter().getBlocks();
        assertEquals(IMAGES, groups.size(), "one row group per image");
        for (int g = 0; g < groups.size(); g++) {
          long middle = groups.get(g).getStartingPos() + groups.get(g).getCompressedSize() / 2;
          String id = readId(f, g);
          expected.computeIfAbsent(f.getFileName() + "#" + middle / target,
              k -> new ArrayList<>()).add(id);
        }
      }
    }
    ParquetShards source = new ParquetShards(shards.toString());
    List<List<String>> parts = imagesPerPartition(source, Partitioning.bytes(target));
    assertEquals(cuts, parts.size());
    List<List<String>> nonEmpty = new ArrayList<>(parts.stream().filter(p -> !p.isEmpty())
        .toList());
    List<List<String>> want = new ArrayList<>(expected.values());
    Comparator<List<String>> byFirst = Comparator.comparing(l -> l.get(0));
    nonEmpty.sort(byFirst);
    want.sort(byFirst);
    assertEquals(want, nonEmpty);
    assertTrue(want.size() > 2, "the file is split: " + want);
    // a target below 64 KiB is 64 KiB for Spark's splitting (a split per byte is no use)
    assertEquals(parts, imagesPerPartition(source, Partitioning.bytes(1)));
    // at the default target, one partition for the file; --partitions 1 is that
    assertEquals(1, source.records(spark, Partitioning.DEFAULT).rdd().getNumPartitions());
    assertEquals(1, source.records(spark, Partitioning.of(1, target)).rdd()
        .getNumPartitions());
    // the caller's session keeps its own setting
    assertEquals("128m", spark.conf().get("spark.sql.files.maxPartitionBytes", "128m"));
  }

  /** The image id of row group {@code g} of a shard (one row per row group). */
  private static String readId(Path file, int g) {
    return spark.read().parquet(file.toString()).select("image_id",
        "_metadata.row_index").where("_metadata.row_index = " + g).first().getString(0);
  }

  @Test
  void generatedImagesAreCountedByTheirBytes() {
    SyntheticImage.Spec spec = new SyntheticImage.Spec(19, 64, 128, 1, 11, 0);
    SyntheticImages source = new SyntheticImages(spec, 40, true);
    long cost = (64L * 128 * 19 * 2 + 128) + 64L * 128 + OPEN;
    assertEquals(cost - OPEN, source.imageBytes());
    long target = 1200 << 10; // 3 images of 376 KiB each (with their open cost)
    long perPartition = target / cost;
    assertEquals(3, perPartition);
    List<List<Row>> parts = source.records(spark, Partitioning.bytes(target)).javaRDD().glom()
        .collect();
    assertEquals((40 + perPartition - 1) / perPartition, parts.size());
    int next = 0;
    for (List<Row> p : parts) {
      assertTrue(p.size() <= perPartition, "at most the target's images: " + p.size());
      for (Row r : p) {
        assertEquals(SyntheticImages.imageId(next++), r.getString(0), "contiguous, in order");
      }
    }
    assertEquals(40, next);
  }

  // ---- a model's input: encoded images and labels ---------------------------------------

  /** Images of the model tests. */
  private static final int MODEL_IMAGES = 24;
  /** The target of the model tests: 256 KiB of encoded input, about 3 images a partition. */
  private static final long MODEL_TARGET = 16L * (256 << 10);

  /**
   * Images {@code img00..img23} for a model: RGB noise PNGs (so each compresses little)
   * of h in [40, 100] and w in [60, 120] (7 to 36 KB), grey PNG labels; as a directory, one tar
   * ({@code <id>.png}, {@code <id>.seg.png}) and one Parquet file with a row group per image.
   */
  private static synchronized Path imageDataset() throws IOException {
    Path dir = tmp.resolve("model-dir");
    if (Files.exists(dir)) {
      return dir;
    }
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("labels"));
    Random rnd = new Random(11);
    Tars tar = Tars.create();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < MODEL_IMAGES; i++) {
      int h = 40 + rnd.nextInt(61);
      int w = 60 + rnd.nextInt(61);
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      int[] labels = new int[h * w];
      byte[] labelBytes = new byte[h * w];
      for (int p = 0; p < h * w; p++) {
        img.setRGB(p % w, p / w, rnd.nextInt(1 << 24));
        labels[p] = rnd.nextInt(3);
        labelBytes[p] = (byte) labels[p];
      }
      java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
      javax.imageio.ImageIO.write(img, "png", png);
      byte[] label = org.ohemspark.testing.Pngs.grey8(h, w, labels);
      String id = String.format("img%02d", i);
      Files.write(dir.resolve("images/" + id + ".png"), png.toByteArray());
      Files.write(dir.resolve("labels/" + id + ".png"), label);
      tar.add(id + ".png", png.toByteArray()).add(id + ".seg.png", label);
      rows.add(org.apache.spark.sql.RowFactory.create(id, h, w, png.toByteArray(), labelBytes,
          "uint8"));
    }
    tar.write(tmp.resolve("model-tar/shard-000000.tar"));
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("image_id", "string").add("height", "int").add("width", "int")
        .add("image", "binary").add("labels", "binary").add("labels_dtype", "string");
    Path staging = tmp.resolve("model-staging");
    spark.createDataFrame(rows, schema).repartition(1).sortWithinPartitions("image_id").write()
        .option("parquet.block.row.count.limit", "1").parquet(staging.toString());
    Files.createDirectories(tmp.resolve("model-shards"));
    try (Stream<Path> st = Files.list(staging)) {
      Files.copy(st.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(),
          tmp.resolve("model-shards/a.parquet"));
    }
    return dir;
  }

  /** The image ids each partition of a model source's records reads, partition by partition. */
  private static List<List<String>> imagesPerPartition(
      org.ohemspark.source.LabelledImageSource source, Partitioning partitioning) {
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    JavaRDD<String> ids = source.records(spark, partitioning).javaRDD().mapPartitions(rows -> {
      List<String> out = new ArrayList<>();
      while (rows.hasNext()) {
        var images = source.readAll(rows.next(), conf);
        while (images.hasNext()) {
          out.add(images.next().imageId());
        }
      }
      return out.iterator();
    });
    return ids.glom().collect();
  }

  private static List<String> imageIds(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("images"))) {
      return s.map(p -> p.getFileName().toString().replace(".png", "")).sorted().toList();
    }
  }

  @Test
  void imageDirectoryPartitionsAreRunsOfEncodedBytesUpToASixteenthOfTheTarget()
      throws IOException {
    Path dir = imageDataset();
    List<String> ids = imageIds(dir);
    long[] costs = new long[ids.size()];
    for (int i = 0; i < costs.length; i++) {
      costs[i] = Files.size(dir.resolve("images/" + ids.get(i) + ".png"))
          + Files.size(dir.resolve("labels/" + ids.get(i) + ".png")) + OPEN;
    }
    long split = split(MODEL_TARGET / 16, costs);
    assertEquals(MODEL_TARGET / 16, split, "the target binds");
    List<List<String>> expected = new ArrayList<>();
    for (List<Integer> run : nextFit(costs, split)) {
      expected.add(run.stream().map(ids::get).toList());
    }
    assertTrue(expected.size() >= 6 && expected.size() <= 12, expected.toString());
    org.ohemspark.source.ImageDirectory source = new org.ohemspark.source.ImageDirectory(
        dir.toString());
    assertEquals(expected, imagesPerPartition(source, Partitioning.bytes(MODEL_TARGET)));
    // the default (64 MiB, 4 MiB encoded) is far above: one partition per core
    List<List<String>> perCore = new ArrayList<>();
    for (List<Integer> run : nextFit(costs, split(Partitioning.DEFAULT_TARGET_BYTES / 16,
        costs))) {
      perCore.add(run.stream().map(ids::get).toList());
    }
    assertTrue(perCore.size() >= CORES && perCore.size() <= CORES + 1, perCore.toString());
    assertEquals(perCore, imagesPerPartition(source, Partitioning.DEFAULT));
    // --partitions N: N runs of equal count
    assertEquals(List.of(4, 5, 5, 5, 5), imagesPerPartition(source,
        Partitioning.of(5, MODEL_TARGET)).stream().map(List::size).toList());
  }

  @Test
  void aTarOfImagesIsCutIntoPiecesOfEncodedBytesUpToASixteenthOfTheTarget()
      throws IOException {
    Path dir = imageDataset();
    Path tars = tmp.resolve("model-tar");
    long length = Files.size(tars.resolve("shard-000000.tar"));
    List<String> ids = imageIds(dir);
    long[] costs = new long[ids.size()];
    long at = 0;
    for (int i = 0; i < ids.size(); i++) {
      long extent = 512 + padded(Files.size(dir.resolve("images/" + ids.get(i) + ".png")))
          + 512 + padded(Files.size(dir.resolve("labels/" + ids.get(i) + ".png")));
      costs[i] = (i + 1 < ids.size() ? extent : length - at) + OPEN; // the end records too
      at += extent;
    }
    // the one tar counts one open cost for the split: (length + OPEN) / CORES
    long target = 16L * (200 << 10);
    long split = Math.max(OPEN, Math.min(target / 16, (length + OPEN + CORES - 1) / CORES));
    assertEquals(target / 16, split, "the target binds");
    List<List<String>> expected = new ArrayList<>();
    for (List<Integer> run : nextFit(costs, split)) {
      expected.add(run.stream().map(ids::get).toList());
    }
    assertTrue(expected.size() >= 6 && expected.size() <= 12, expected.toString());
    for (String mode : List.of("FAILFAST", "PERMISSIVE")) {
      org.ohemspark.source.ImageTars source = new org.ohemspark.source.ImageTars(
          tars.toString(), org.ohemspark.source.BadRecordMode.parse(mode));
      assertEquals(expected, imagesPerPartition(source, Partitioning.bytes(target)), mode);
      // --partitions N: whole tars
      assertEquals(List.of(ids), imagesPerPartition(source, Partitioning.of(3, target)), mode);
    }
  }

  @Test
  void imageShardsAreSplitBySparkAtASixteenthOfTheTarget() throws IOException {
    imageDataset();
    Path file = tmp.resolve("model-shards/a.parquet");
    long target = 16 * OPEN; // 64 KiB encoded: the least Spark's splitting is given
    Map<Long, List<String>> expected = new java.util.TreeMap<>();
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      List<BlockMetaData> groups = r.getFooter().getBlocks();
      assertEquals(MODEL_IMAGES, groups.size(), "one row group per image");
      for (int g = 0; g < groups.size(); g++) {
        long middle = groups.get(g).getStartingPos() + groups.get(g).getCompressedSize() / 2;
        expected.computeIfAbsent(middle / OPEN, k -> new ArrayList<>()).add(readId(file, g));
      }
    }
    long cuts = (Files.size(file) + OPEN - 1) / OPEN;
    assertTrue(cuts >= 4, "the file is cut in " + cuts);
    org.ohemspark.source.ImageShards source = new org.ohemspark.source.ImageShards(
        tmp.resolve("model-shards").toString());
    List<List<String>> parts = imagesPerPartition(source, Partitioning.bytes(target));
    assertEquals(cuts, parts.size());
    assertEquals(new ArrayList<>(expected.values()), parts.stream().filter(p -> !p.isEmpty())
        .toList());
    // at the default target (4 MiB encoded) one partition for the file
    assertEquals(1, source.records(spark, Partitioning.DEFAULT).rdd().getNumPartitions());
    assertEquals("128m", spark.conf().get("spark.sql.files.maxPartitionBytes", "128m"));
  }

  private static JobRun mine(Path input, Path out, String... flags) {
    List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--output",
        out.toString()));
    args.addAll(List.of(flags));
    JobRun r = JobRun.of(OhemMineJob::run, spark, args.toArray(new String[0]));
    assertEquals(ExitCode.OK, r.code(), r.err());
    return r;
  }

  /** Summary figures, images/ and hard_pixels/ of runs over {@code input} alike. */
  private static void sameResults(Path input, String name) throws IOException {
    Path byDefault = tmp.resolve(name + "-default");
    mine(input, byDefault);
    assertTrue(JobOutputs.summary(byDefault).get("used_topk").asBoolean(), "top-k path");
    assertEquals(IMAGES, JobOutputs.summary(byDefault).get("n_images").asInt());
    for (String[] flags : new String[][] {{"--partitions", "1"}, {"--partition-bytes", "100k"},
        {"--partition-bytes", "1"}}) {
      Path out = tmp.resolve(name + "-" + flags[0] + flags[1]);
      mine(input, out, flags);
      String what = name + " " + String.join(" ", flags);
      assertEquals(JobOutputs.figures(JobOutputs.summary(byDefault)),
          JobOutputs.figures(JobOutputs.summary(out)), what);
      assertEquals(JobOutputs.imageRows(spark, byDefault), JobOutputs.imageRows(spark, out),
          what);
      assertEquals(JobOutputs.hardRows(spark, byDefault), JobOutputs.hardRows(spark, out), what);
    }
  }

  @Test
  void resultsDoNotDependOnThePartitioning() throws IOException {
    sameResults(dataset(), "dir");
    sameResults(oneTar(), "tar");
    sameResults(JobRun.ingest(spark, dataset(), tmp.resolve("ingested-for-results")),
        "shards");
  }

  /**
   * A tar with bad samples: cut into one piece per sample ({@code --partition-bytes 1}) it
   * gives the bad records, the figures and the hard pixels it gives streamed whole
   * ({@code --partitions 1}), in every mode.
   */
  @Test
  void aCutTarHasTheBadRecordsOfTheWholeTar() throws IOException {
    Path dir = dataset();
    Path data = tmp.resolve("bad-tar");
    Tars t = Tars.create();
    for (String id : List.of("im00", "im01", "im02", "im03", "im04")) {
      t.add(id + ".logits.npy", Files.readAllBytes(dir.resolve("logits/" + id + ".npy")));
      if (!id.equals("im02")) { // im02 has no label
        t.add(id + ".labels.npy", Files.readAllBytes(dir.resolve("labels/" + id + ".npy")));
      }
    }
    // im01 whole again (both copies are bad), then a stray member of im03 (that run is bad)
    t.add("im01.logits.npy", Files.readAllBytes(dir.resolve("logits/im01.npy")));
    t.add("im01.labels.npy", Files.readAllBytes(dir.resolve("labels/im01.npy")));
    t.add("im03.json", new byte[3]);
    t.add("im05.logits.npy", Files.readAllBytes(dir.resolve("logits/im05.npy")));
    t.add("im05.labels.npy", Files.readAllBytes(dir.resolve("labels/im05.npy")));
    t.write(data.resolve("shard-000000.tar"));

    for (String mode : List.of("PERMISSIVE", "DROPMALFORMED")) {
      Path whole = tmp.resolve("bad-tar-whole-" + mode);
      Path cut = tmp.resolve("bad-tar-cut-" + mode);
      mine(data, whole, "--mode", mode, "--partitions", "1");
      mine(data, cut, "--mode", mode, "--partition-bytes", "1");
      assertEquals(JobOutputs.figures(JobOutputs.summary(whole)),
          JobOutputs.figures(JobOutputs.summary(cut)), mode);
      assertEquals(4, JobOutputs.summary(cut).get("n_bad_records").asInt(), mode);
      assertEquals(JobOutputs.hardRows(spark, whole), JobOutputs.hardRows(spark, cut), mode);
      if (mode.equals("PERMISSIVE")) {
        List<String> q = quarantine(cut);
        assertEquals(quarantine(whole), q);
        assertTrue(q.stream().anyMatch(r -> r.startsWith("[im03,")
            && r.contains("duplicate key: it appears again")), q.toString());
      }
    }
    JobRun wholeFf = JobRun.of(OhemMineJob::run, spark, "--input", data.toString(), "--output",
        tmp.resolve("bad-tar-ff-whole").toString(), "--partitions", "1");
    JobRun cutFf = JobRun.of(OhemMineJob::run, spark, "--input", data.toString(), "--output",
        tmp.resolve("bad-tar-ff-cut").toString(), "--partition-bytes", "1");
    assertEquals(ExitCode.BAD_INPUT, cutFf.code(), cutFf.err());
    assertEquals(wholeFf.err(), cutFf.err());
  }

  private static List<String> quarantine(Path out) {
    return spark.read().parquet(out.resolve("quarantine").toString())
        .orderBy("image_id", "source", "reason").collectAsList().stream().map(Row::toString)
        .toList();
  }
}
