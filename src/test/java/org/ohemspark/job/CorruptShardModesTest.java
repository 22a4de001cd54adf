package org.ohemspark.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.source.RowGroupLimit;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.SparkTestSession;
import org.ohemspark.testing.Tars;

/**
 * Structurally bad shards in each mode: WebDataset tars (truncated, a sample without its label
 * or its logits, a repeated key, a corrupt member header) and Parquet files (truncated, garbage
 * in place of the footer, a corrupt data page). FAILFAST exits 3 naming the file (and key);
 * PERMISSIVE quarantines each bad sample or unreadable part of a file and DROPMALFORMED counts
 * them, and both give the numbers and hard pixels of a clean dataset built independently from
 * the good records alone.
 */
class CorruptShardModesTest {
  private static SparkSession spark;
  private static final Path SAMPLE = Paths.get("samples", "tiny");

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("corrupt-shard-modes");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JobRun mine(Path input, Path out, String mode) {
    return JobRun.of(OhemMineJob::run, spark, "--input", input.toString(), "--output",
        out.toString(), "--mode", mode);
  }

  // ---- WebDataset tars -------------------------------------------------------------------

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sample image {@code n} (1..3) of samples/tiny: its logits member's bytes. */
  private static byte[] logits(int n) {
    return read(SAMPLE.resolve("logits/street_000" + n + ".npy"));
  }

  /** Adds a whole sample {@code key} holding sample image {@code n}. */
  private static Tars sample(Tars t, String key, int n) {
    t.add(key + ".logits.npy", logits(n));
    return n == 3 ? t.add(key + ".labels.npy", read(SAMPLE.resolve("labels/street_0003.npy")))
        : t.add(key + ".seg.png", read(SAMPLE.resolve("labels/street_000" + n + ".png")));
  }

  /** The offset of the header of the member {@code name} in tar bytes (512-byte blocks). */
  private static int headerOf(byte[] tar, String name) {
    for (int at = 0; at + 512 <= tar.length; at += 512) {
      if (new String(tar, at, 100, java.nio.charset.StandardCharsets.ISO_8859_1)
          .startsWith(name + "\0")) {
        return at;
      }
    }
    throw new AssertionError("no member " + name);
  }

  /**
   * Damaged tars by kind: [tar bytes, key the FAILFAST message names (or null), phrase of its
   * reason]. Each holds good samples too; {@link #goodTarSamples} lists the good ones.
   */
  private static Map<String, Object[]> damagedTars() {
    Map<String, Object[]> k = new LinkedHashMap<>();
    byte[] t1 = sample(sample(sample(Tars.create(), "t1_a", 1), "t1_b", 2), "t1_x", 3).bytes();
    // cut inside t1_x's logits data: its header stays whole
    k.put("truncated", new Object[] {Arrays.copyOf(t1, headerOf(t1, "t1_x.logits.npy") + 700),
        "t1_x", "truncated"});
    k.put("missing_label", new Object[] {sample(Tars.create(), "t2_a", 1)
        .add("t2_m.logits.npy", logits(2)).add("t2_m.jpg", new byte[5])
        .add("t2_b.logits.npy", logits(3))
        .add("t2_b.labels.npy", read(SAMPLE.resolve("labels/street_0003.npy"))).bytes(),
        "t2_m", "no label member"});
    k.put("missing_logits", new Object[] {sample(Tars.create(), "t3_a", 2)
        .add("t3_n.seg.png", read(SAMPLE.resolve("labels/street_0001.png"))).bytes(),
        "t3_n", "no logits member"});
    // t4_r whole twice (both copies are bad: which is right cannot be known); t4_s whole, then
    // a stray member of t4_s after another sample (that stray run is bad, t4_s itself is fine)
    k.put("repeated_key", new Object[] {sample(sample(sample(sample(Tars.create(), "t4_r", 1),
        "t4_s", 2), "t4_c", 3), "t4_r", 3).add("t4_s.json", new byte[2]).bytes(), "t4_r",
        "duplicate"});
    byte[] t5 = sample(sample(Tars.create(), "t5_a", 3), "t5_c", 1).bytes();
    int h = headerOf(t5, "t5_c.logits.npy");
    Arrays.fill(t5, h, h + 512, (byte) 0x7f);
    k.put("corrupt_header", new Object[] {t5, null, "cannot read tar"});
    return k;
  }

  /** The good samples of {@link #damagedTars}, key -> sample image. */
  private static Map<String, Integer> goodTarSamples() {
    Map<String, Integer> g = new LinkedHashMap<>();
    g.put("t1_a", 1);
    g.put("t1_b", 2);
    g.put("t2_a", 1);
    g.put("t2_b", 3);
    g.put("t3_a", 2);
    g.put("t4_s", 2);
    g.put("t4_c", 3);
    g.put("t5_a", 3);
    return g;
  }

  private static void copyDescriptor(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(SAMPLE.resolve("dataset.json"), dir.resolve("dataset.json"));
  }

  @Test
  void tarsFailFastNamingTarAndKey() throws IOException {
    for (Map.Entry<String, Object[]> e : damagedTars().entrySet()) {
      Path data = tmp.resolve("tar-ff-" + e.getKey());
      copyDescriptor(data);
      Tars.create().add("ok.logits.npy", logits(1))
          .add("ok.seg.png", read(SAMPLE.resolve("labels/street_0001.png")))
          .write(data.resolve("shard-000000.tar"));
      Files.write(data.resolve("shard-000001.tar"), (byte[]) e.getValue()[0]);
      Path out = tmp.resolve("tar-ff-out-" + e.getKey());
      JobRun r = mine(data, out, "FAILFAST");
      assertEquals(ExitCode.BAD_INPUT, r.code(), e.getKey() + ": " + r.err());
      assertTrue(r.err().contains("shard-000001.tar"), e.getKey() + " names the tar: " + r.err());
      if (e.getValue()[1] != null) {
        assertTrue(r.err().contains("image_id='" + e.getValue()[1] + "'"),
            e.getKey() + " names the key: " + r.err());
      }
      assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains((String) e.getValue()[2]),
          e.getKey() + ": " + r.err());
      assertFalse(Files.exists(out), "a failed run commits no output");
    }
  }

  @Test
  void tarsPermissiveAndDropMalformedGiveTheGoodSamplesResult() throws IOException {
    Path clean = tmp.resolve("tar-clean");
    copyDescriptor(clean);
    Tars c = Tars.create();
    goodTarSamples().forEach((key, n) -> sample(c, key, n));
    c.write(clean.resolve("shard-000000.tar"));
    Path cleanOut = tmp.resolve("tar-clean-out");
    JobRun cr = mine(clean, cleanOut, "FAILFAST");
    assertEquals(ExitCode.OK, cr.code(), cr.err());
    assertEquals(goodTarSamples().size(), JobOutputs.summary(cleanOut).get("n_images").asInt());

    Path data = tmp.resolve("tar-damaged");
    copyDescriptor(data);
    int i = 0;
    for (Object[] v : damagedTars().values()) {
      Files.write(data.resolve(String.format("shard-%06d.tar", i++)), (byte[]) v[0]);
    }
    // truncated t1_x, t2_m, t3_n, both t4_r, the stray t4_s run, t5's unreadable rest
    Map<String, String> expected = new HashMap<>();
    expected.put("t1_x", "cannot read tar member t1_x.logits.npy");
    expected.put("t2_m", "no label member t2_m.seg.png");
    expected.put("t3_n", "no logits member t3_n.logits.npy");
    expected.put("t4_r", "duplicate image id: 2 records, from [");
    expected.put("t4_s", "duplicate key: it appears again");
    expected.put(null, "cannot read tar after member t5_a.labels.npy");
    LenientModes.giveTheCleanResult(spark, data, cleanOut, tmp.resolve("tar-out-").toString(),
        7);
    List<Row> q = spark.read().parquet(tmp.resolve("tar-out-PERMISSIVE/quarantine").toString())
        .orderBy("image_id", "source").collectAsList();
    assertEquals(7, q.size(), q.toString());
    for (Row row : q) {
      String id = row.getString(0);
      assertTrue(expected.containsKey(id), "unexpected bad record " + row);
      assertTrue(row.getString(2).contains(expected.get(id)), row.toString());
      assertTrue(row.getString(1).contains("shard-00000"), "source names the tar: " + row);
    }
    assertEquals(2, q.stream().filter(r -> "t4_r".equals(r.getString(0))).count());
    Row truncated = q.stream().filter(r -> "t1_x".equals(r.getString(0))).findFirst()
        .orElseThrow();
    assertTrue(truncated.getString(1).endsWith("shard-000000.tar!/t1_x.logits.npy"),
        truncated.toString());
    assertTrue(truncated.getString(2).toLowerCase(java.util.Locale.ROOT).contains("truncated"),
        truncated.toString());
    assertNull(q.get(0).getString(0), "the unreadable rest of a tar has no key");
    assertTrue(q.get(0).getString(1).endsWith("shard-000004.tar"), q.get(0).toString());
  }

  // ---- Parquet shards --------------------------------------------------------------------

  /**
   * Parquet files made once, under {@code pq-files}: {@code p1.parquet} (the three sample images
   * as {@code p1_*}), {@code p4.parquet} (as {@code p4_*}, one row group per row, a corrupt data
   * page in row group 1), {@code p2.parquet} (p4's bytes cut in half), {@code p3.parquet} (p4's
   * bytes with garbage over the footer), {@code p4-good.parquet} (p4's first row alone, for the
   * clean dataset), {@code p6.parquet} (the three images as {@code p6_*} in one row group) and
   * the ingest's {@code _dataset.json}. No checksum files: the damage reaches Parquet's reader.
   */
  private static synchronized Path parquetFiles() throws IOException {
    Path dir = tmp.resolve("pq-files");
    if (Files.exists(dir)) {
      return dir;
    }
    Path ingested = JobRun.ingest(spark, SAMPLE, tmp.resolve("ingested"));
    Files.createDirectories(dir);
    Files.copy(ingested.resolve("_dataset.json"), dir.resolve("_dataset.json"));
    shardFile(ingested, dir.resolve("p1.parquet"), "p1_", null);
    Path p4 = shardFile(ingested, dir.resolve("p4.parquet"), "p4_", null);
    shardFile(ingested, dir.resolve("p4-good.parquet"), "p4_", List.of("p4_street_0001"));
    shardFile(ingested, dir.resolve("p6.parquet"), "p6_", null, 3);
    byte[] b = Files.readAllBytes(p4);
    Files.write(dir.resolve("p2.parquet"), Arrays.copyOf(b, b.length / 2));
    Arrays.fill(b, b.length - 200, b.length, (byte) 0x5a);
    Files.write(dir.resolve("p3.parquet"), b);
    Path p5 = Files.copy(p4, dir.resolve("p5.parquet"));
    corruptSecondRowGroupPage(p4);
    corruptSecondRowGroupPage(p5, true);
    return dir;
  }

  /**
   * Writes the ingested rows whose ids (prefixed with {@code prefix}) are in {@code ids} (all
   * when null) as the one Parquet file {@code file}, in id order, one row group per row.
   */
  private static Path shardFile(Path ingested, Path file, String prefix, List<String> ids)
      throws IOException {
    return shardFile(ingested, file, prefix, ids, 1);
  }

  /** As {@link #shardFile(Path, Path, String, List)}, {@code rowsPerGroup} rows a row group. */
  private static Path shardFile(Path ingested, Path file, String prefix, List<String> ids,
      int rowsPerGroup) throws IOException {
    Path staging = tmp.resolve("staging-" + file.getFileName());
    var rows = spark.read().parquet(ingested.toString())
        .withColumn("image_id", concat(lit(prefix), col("image_id")));
    if (ids != null) {
      rows = rows.filter(col("image_id").isin(ids.toArray()));
    }
    rows.repartition(1).sortWithinPartitions("image_id").write()
        .option("parquet.block.row.count.limit", Integer.toString(rowsPerGroup))
        .parquet(staging.toString());
    try (Stream<Path> s = Files.list(staging)) {
      return Files.copy(s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .findFirst().orElseThrow(), file);
    }
  }

  /** Overwrites the first data page header of the logits column in row group 1. */
  private static void corruptSecondRowGroupPage(Path file) throws IOException {
    corruptSecondRowGroupPage(file, false);
  }

  /**
   * Overwrites 24 bytes of the logits column in row group 1: its first data page header, or
   * (with {@code data}) bytes in the middle of the page data, which only the page's CRC shows.
   */
  private static void corruptSecondRowGroupPage(Path file, boolean data) throws IOException {
    long at;
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      assertEquals(3, r.getFooter().getBlocks().size(), "one row group per row");
      BlockMetaData b = r.getFooter().getBlocks().get(1);
      ColumnChunkMetaData logits = b.getColumns().stream()
          .filter(c -> c.getPath().toDotString().equals("logits")).findFirst().orElseThrow();
      at = logits.getFirstDataPageOffset() + (data ? logits.getTotalSize() / 2 : 0);
    }
    byte[] bytes = Files.readAllBytes(file);
    Arrays.fill(bytes, (int) at, (int) at + 24, (byte) 0xee);
    Files.write(file, bytes);
  }

  /** A shard folder holding {@code names} of {@link #parquetFiles} and its _dataset.json. */
  private static Path shards(String name, String... names) throws IOException {
    Path files = parquetFiles();
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    Files.copy(files.resolve("_dataset.json"), dir.resolve("_dataset.json"));
    for (String n : names) {
      Files.copy(files.resolve(n), dir.resolve(n));
    }
    return dir;
  }

  /** The largest row group of a file, in bytes of its column chunks as stored. */
  private static long largestRowGroup(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return r.getFooter().getBlocks().stream().mapToLong(BlockMetaData::getCompressedSize)
          .max().orElseThrow();
    }
  }

  @Test
  void aRowGroupOverTheLimitIsABadFileInEveryMode() throws IOException {
    Path files = parquetFiles();
    long oneRow = largestRowGroup(files.resolve("p1.parquet"));
    long threeRows = largestRowGroup(files.resolve("p6.parquet"));
    assertTrue(threeRows > oneRow, threeRows + " > " + oneRow);
    Path data = shards("pq-rowgroup", "p1.parquet", "p6.parquet");
    Path clean = shards("pq-rowgroup-clean", "p1.parquet");
    Path cleanOut = tmp.resolve("pq-rowgroup-clean-out");
    // p1's row groups are at the limit and read; p6's one row group is over it
    spark.conf().set(RowGroupLimit.KEY, Long.toString(oneRow));
    try {
      JobRun ff = mine(data, tmp.resolve("pq-rowgroup-ff"), "FAILFAST");
      assertEquals(ExitCode.BAD_INPUT, ff.code(), ff.err());
      assertTrue(ff.err().contains("p6.parquet: row group 0 of ") && ff.err().contains(
          "(" + threeRows + " bytes of the columns read, 3 rows; column logits ")
          && ff.err().contains("is larger than " + RowGroupLimit.KEY + " = ")
          && ff.err().contains("3 rows not read"), ff.err());
      assertEquals(ExitCode.OK, mine(clean, cleanOut, "FAILFAST").code());
      LenientModes.giveTheCleanResult(spark, data, cleanOut,
          tmp.resolve("pq-rowgroup-out-").toString(), 1);
      List<Row> q = spark.read().parquet(tmp.resolve("pq-rowgroup-out-PERMISSIVE/quarantine")
          .toString()).collectAsList();
      assertEquals(1, q.size(), q.toString());
      assertNull(q.get(0).getString(0));
      assertTrue(q.get(0).getString(1).endsWith("p6.parquet"), q.toString());
      assertTrue(q.get(0).getString(2).startsWith("row group 0 of "), q.toString());
    } finally {
      spark.conf().unset(RowGroupLimit.KEY);
    }
    JobRun unlimited = mine(data, tmp.resolve("pq-rowgroup-default"), "FAILFAST");
    assertEquals(ExitCode.OK, unlimited.code(), "within the default limit: " + unlimited.err());
  }

  @Test
  void parquetFailFastNamingTheFile() throws IOException {
    Map<String, String[]> kinds = new LinkedHashMap<>();
    kinds.put("truncated", new String[] {"p2.parquet", "unreadable Parquet footer"});
    kinds.put("garbage_footer", new String[] {"p3.parquet", "unreadable Parquet footer"});
    kinds.put("corrupt_page", new String[] {"p4.parquet", "unreadable input file"});
    for (Map.Entry<String, String[]> e : kinds.entrySet()) {
      Path data = shards("pq-ff-" + e.getKey(), "p1.parquet", e.getValue()[0]);
      Path out = tmp.resolve("pq-ff-out-" + e.getKey());
      JobRun r = mine(data, out, "FAILFAST");
      assertEquals(ExitCode.BAD_INPUT, r.code(), e.getKey() + ": " + r.err());
      assertTrue(r.err().contains(e.getValue()[0]), e.getKey() + " names the file: " + r.err());
      assertTrue(r.err().contains(e.getValue()[1]), e.getKey() + ": " + r.err());
      assertFalse(Files.exists(out), "a failed run commits no output");
    }
  }

  @Test
  void damagedPageDataIsCaughtByThePageChecksumInEveryMode() throws IOException {
    Path data = shards("pq-data-damaged", "p1.parquet", "p5.parquet");
    Path ff = tmp.resolve("pq-data-ff");
    JobRun r = mine(data, ff, "FAILFAST");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("p5.parquet") && r.err().contains("could not verify page "
        + "integrity"), r.err());
    JobRun reshard = JobRun.of(OhemIngestJob::run, spark, "--input", data.toString(),
        "--output", tmp.resolve("pq-data-reshard").toString());
    assertEquals(ExitCode.BAD_INPUT, reshard.code(), "re-sharding says bad input too: "
        + reshard.err());
    assertTrue(reshard.err().contains("p5.parquet"), reshard.err());
    Path clean = shards("pq-data-clean", "p1.parquet", "p4-good.parquet");
    Path cleanOut = tmp.resolve("pq-data-clean-out");
    assertEquals(ExitCode.OK, mine(clean, cleanOut, "FAILFAST").code());
    Path out = tmp.resolve("pq-data-permissive");
    JobRun p = mine(data, out, "PERMISSIVE");
    assertEquals(ExitCode.OK, p.code(), p.err());
    assertEquals(JobOutputs.figures(JobOutputs.summary(cleanOut)),
        JobOutputs.figures(JobOutputs.summary(out)));
    assertEquals(JobOutputs.hardRows(spark, cleanOut), JobOutputs.hardRows(spark, out));
    List<Row> q = spark.read().parquet(out.resolve("quarantine").toString()).collectAsList();
    assertEquals(1, q.size(), q.toString());
    assertTrue(q.get(0).getString(2).startsWith("read 1 of 3 rows") && q.get(0).getString(2)
        .contains("could not verify page integrity"), q.get(0).toString());
  }

  @Test
  void truncatedShardWithItsChecksumFileIsBadInputNamingIt() throws IOException {
    parquetFiles();
    Path shards = tmp.resolve("ingested-truncated");
    Files.createDirectories(shards);
    Path victim = null;
    try (Stream<Path> s = Files.list(tmp.resolve("ingested"))) {
      for (Path p : s.toList()) {
        Path copy = Files.copy(p, shards.resolve(p.getFileName()));
        if (copy.getFileName().toString().endsWith(".parquet")) {
          victim = copy;
        }
      }
    }
    byte[] b = Files.readAllBytes(victim);
    Files.write(victim, Arrays.copyOf(b, b.length / 2)); // the .crc beside it no longer fits
    for (String mode : List.of("FAILFAST", "PERMISSIVE")) {
      Path out = tmp.resolve("ingested-truncated-out-" + mode);
      JobRun r = mine(shards, out, mode);
      assertEquals(ExitCode.BAD_INPUT, r.code(), "no good record left: " + r.err());
      assertTrue(r.err().contains(victim.getFileName().toString()), r.err());
      assertFalse(Files.exists(out));
    }
  }

  @Test
  void parquetPermissiveAndDropMalformedGiveTheGoodRowsResult() throws IOException {
    Path data = shards("pq-damaged", "p1.parquet", "p2.parquet", "p3.parquet", "p4.parquet");
    // the good rows: all of p1, and p4's first row group (its first row by id)
    Path clean = shards("pq-clean", "p1.parquet", "p4-good.parquet");
    Path cleanOut = tmp.resolve("pq-clean-out");
    JobRun cr = mine(clean, cleanOut, "FAILFAST");
    assertEquals(ExitCode.OK, cr.code(), cr.err());
    assertEquals(4, JobOutputs.summary(cleanOut).get("n_images").asInt());

    LenientModes.giveTheCleanResult(spark, data, cleanOut, tmp.resolve("pq-out-").toString(),
        3);
    List<Row> q = spark.read().parquet(tmp.resolve("pq-out-PERMISSIVE/quarantine").toString())
        .orderBy("source").collectAsList();
    assertEquals(3, q.size(), q.toString());
    for (int i = 0; i < 3; i++) {
      assertNull(q.get(i).getString(0), "no id is known: " + q.get(i));
      assertTrue(q.get(i).getString(1).endsWith("p" + (i + 2) + ".parquet"), q.get(i).toString());
    }
    assertTrue(q.get(0).getString(2).contains("unreadable Parquet footer"), q.get(0).toString());
    assertTrue(q.get(1).getString(2).contains("unreadable Parquet footer"), q.get(1).toString());
    assertTrue(q.get(2).getString(2).startsWith("read 1 of 3 rows; the rest of the file is "
        + "unreadable: "), q.get(2).toString());
    assertTrue(q.get(2).getString(2).contains("PageHeader"), "the reader's error: " + q.get(2));
  }

  // ---- stale Hadoop checksum files -------------------------------------------------------

  /**
   * Writes {@code first} to {@code file} through Hadoop's checksummed local file system (which
   * writes {@code .<name>.crc} beside it), then {@code then} over it as another program would:
   * the checksum file is stale.
   */
  private static void writeWithStaleChecksum(Path file, byte[] first, byte[] then)
      throws IOException {
    try (var out = org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()).create(
        new org.apache.hadoop.fs.Path(file.toUri()), true)) {
      out.write(first);
    }
    assertTrue(Files.exists(file.resolveSibling("." + file.getFileName() + ".crc")));
    Files.write(file, then);
  }

  /** The message names the file's stale checksum file and what to do about it. */
  private static void explainsStaleChecksum(String file, String message) {
    assertTrue(message.contains("does not match its Hadoop checksum file")
        && message.contains("." + file + ".crc") && message.contains("delete the .crc file"),
        message);
  }

  @Test
  void parquetShardChangedAfterHadoopWroteItNamesTheStaleChecksumFile() throws IOException {
    Path files = parquetFiles();
    byte[] good = Files.readAllBytes(files.resolve("p4-good.parquet"));
    // replaced by another Parquet file: the footer no longer matches the checksums
    Path replaced = shards("pq-crc-replaced", "p1.parquet");
    writeWithStaleChecksum(replaced.resolve("edited.parquet"),
        Files.readAllBytes(files.resolve("p4.parquet")), good);
    // one byte of page data changed: the footer still matches, Spark's page read does not
    Path edited = shards("pq-crc-edited", "p1.parquet");
    byte[] changed = good.clone();
    changed[100] ^= 1; // in the first column chunk, far from the footer
    writeWithStaleChecksum(edited.resolve("edited.parquet"), good, changed);
    Path clean = shards("pq-crc-clean", "p1.parquet");
    Path cleanOut = tmp.resolve("pq-crc-clean-out");
    assertEquals(ExitCode.OK, mine(clean, cleanOut, "FAILFAST").code());

    for (Path data : List.of(replaced, edited)) {
      String kind = data.getFileName().toString();
      Path ff = tmp.resolve(kind + "-ff");
      JobRun r = mine(data, ff, "FAILFAST");
      assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
      assertTrue(r.err().contains("edited.parquet"), "names the file: " + r.err());
      explainsStaleChecksum("edited.parquet", r.err());
      assertFalse(r.err().contains("\tat "), "one line, no stack trace: " + r.err());
      assertFalse(Files.exists(ff));

      LenientModes.giveTheCleanResult(spark, data, cleanOut, tmp.resolve(kind + "-").toString(),
          1);
      List<Row> q = spark.read().parquet(tmp.resolve(kind + "-PERMISSIVE/quarantine")
          .toString()).collectAsList();
      assertEquals(1, q.size(), q.toString());
      assertNull(q.get(0).getString(0));
      assertTrue(q.get(0).getString(1).endsWith("edited.parquet"), q.get(0).toString());
      explainsStaleChecksum("edited.parquet", q.get(0).getString(2));
      assertTrue(q.get(0).getString(2).startsWith(data == replaced ? "unreadable Parquet footer"
          : "read 0 of 1 rows; the rest of the file is unreadable"), q.get(0).toString());
    }
  }

  @Test
  void tarChangedAfterHadoopWroteItNamesTheStaleChecksumFile() throws IOException {
    Path data = tmp.resolve("tar-crc");
    copyDescriptor(data);
    sample(Tars.create(), "ok", 1).write(data.resolve("shard-000000.tar"));
    // the user rebuilt the tar (other samples) after Hadoop had written it
    writeWithStaleChecksum(data.resolve("shard-000001.tar"),
        sample(Tars.create(), "old", 2).bytes(), sample(Tars.create(), "new", 3).bytes());
    Path clean = tmp.resolve("tar-crc-clean");
    copyDescriptor(clean);
    sample(Tars.create(), "ok", 1).write(clean.resolve("shard-000000.tar"));
    Path cleanOut = tmp.resolve("tar-crc-clean-out");
    assertEquals(ExitCode.OK, mine(clean, cleanOut, "FAILFAST").code());

    JobRun r = mine(data, tmp.resolve("tar-crc-ff"), "FAILFAST");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("shard-000001.tar"), r.err());
    explainsStaleChecksum("shard-000001.tar", r.err());
    JobRun ingest = JobRun.of(OhemIngestJob::run, spark, "--input", data.toString(),
        "--output", tmp.resolve("tar-crc-ingest").toString());
    assertEquals(ExitCode.BAD_INPUT, ingest.code(), ingest.err());
    explainsStaleChecksum("shard-000001.tar", ingest.err());

    LenientModes.giveTheCleanResult(spark, data, cleanOut, tmp.resolve("tar-crc-").toString(),
        1);
    List<Row> q = spark.read().parquet(tmp.resolve("tar-crc-PERMISSIVE/quarantine").toString())
        .collectAsList();
    assertEquals(1, q.size(), q.toString());
    assertTrue(q.get(0).getString(1).endsWith("shard-000001.tar"), q.get(0).toString());
    explainsStaleChecksum("shard-000001.tar", q.get(0).getString(2));
  }

  // ---- what a lenient run logs -----------------------------------------------------------

  @Test
  void lenientRunsOverACorruptPageLogNothingWithTheJobsLogConfig() throws IOException {
    Path data = shards("pq-quiet", "p1.parquet", "p4.parquet");
    for (String mode : LenientModes.MODES) {
      List<String> logged = JobLog.capture(() -> {
        JobRun r = mine(data, tmp.resolve("pq-quiet-" + mode), mode);
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertTrue(r.err().contains("1 bad record(s)") && r.err().contains("p4.parquet"),
            "the job's own line names the file: " + r.err());
      });
      assertEquals(List.of(), logged, mode + ": Spark's log under conf/log4j2.properties");
    }
  }

  // ---- helpers ---------------------------------------------------------------------------
}
