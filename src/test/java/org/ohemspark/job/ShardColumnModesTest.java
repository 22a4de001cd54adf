package org.ohemspark.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.source.ShardSchema;
import org.ohemspark.testing.ArrayShards;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.SparkTestSession;

/**
 * One Parquet shard of a folder whose columns are not a shard's (a column missing or renamed,
 * of another type, or stored otherwise than in the other shards), with the bad shard sorting
 * first and last by name: FAILFAST exits 3 naming the file, the column and what was expected;
 * PERMISSIVE quarantines the file as one bad record and DROPMALFORMED counts it (named in the
 * report line), and both give the result of the good shards alone, whatever the name order. An
 * extra column is not read and changes nothing. Integer columns of other widths (pandas' int64,
 * smallint, tinyint; array labels of bigint or smallint) mine as the canonical ones, even mixed
 * in one folder, and a value that does not fit is a bad record naming the column and value.
 */
class ShardColumnModesTest {
  private static SparkSession spark;
  private static final Path SAMPLE = Paths.get("samples", "tiny");

  @TempDir
  static Path tmp;
  private static Path files;
  private static Path cleanOut;
  /** A run over m.parquet and x.parquet (5 images). */
  private static Path cleanMxOut;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTestSession.create("shard-column-modes");
    files = tmp.resolve("files");
    Path ingested = JobRun.ingest(spark, SAMPLE, tmp.resolve("ingested"));
    Files.createDirectories(files);
    Files.copy(ingested.resolve("_dataset.json"), files.resolve("_dataset.json"));
    Dataset<Row> rows = spark.read().parquet(ingested.toString());
    // m: the good shard (3 images); x: two other images, written as each bad variant
    write(prefixed(rows, "m_"), "m.parquet");
    Dataset<Row> x = prefixed(rows, "x_").filter(col("image_id").notEqual("x_street_0003"));
    write(x, "x.parquet");
    write(x.drop("labels"), "no-labels.parquet");
    write(x.withColumnRenamed("labels", "label"), "renamed.parquet");
    write(x.withColumn("labels", col("labels").cast("string")), "labels-string.parquet");
    // pandas makes an int column holding a missing value float64
    write(x.withColumn("height", col("height").cast("double")), "height-double.parquet");
    write(x.withColumn("note", lit("written by pandas")), "extra.parquet");
    // in this order in the file: x_street_0002 (id ""), then x_street_0001 (id null)
    write(x.orderBy(col("image_id").desc()).withColumn("image_id", when(col("image_id")
        .equalTo("x_street_0001"), lit(null).cast("string")).otherwise(lit(""))),
        "null-id.parquet");
    write(arrays(x), "logits-array.parquet");
    write(otherWidths(x), "x-widths.parquet");
    write(arrays(prefixed(rows, "m_")).withColumn("labels",
        col("labels").cast("array<smallint>")), "m-arrays-smallint.parquet");
    write(otherWidths(arrays(x)).withColumn("labels", col("labels").cast("array<bigint>")),
        "x-arrays-bigint.parquet");
    write(x.withColumn("height", when(col("image_id").equalTo("x_street_0001"), lit(1L << 40))
            .otherwise(col("height").cast("bigint")))
        .withColumn("width", when(col("image_id").equalTo("x_street_0002"), lit(-3L))
            .otherwise(col("width").cast("bigint"))), "sizes-out-of-range.parquet");
    cleanOut = tmp.resolve("clean-out");
    JobRun c = mine(folder("clean", "m.parquet", "m.parquet"), cleanOut, "FAILFAST");
    assertEquals(ExitCode.OK, c.code(), c.err());
    assertEquals(3, JobOutputs.summary(cleanOut).get("n_images").asInt());
    cleanMxOut = tmp.resolve("clean-mx-out");
    JobRun mx = mine(folder("clean-mx", "m.parquet", "m.parquet", "x.parquet", "x.parquet"),
        cleanMxOut, "FAILFAST");
    assertEquals(ExitCode.OK, mx.code(), mx.err());
    assertEquals(5, JobOutputs.summary(cleanMxOut).get("n_images").asInt());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> prefixed(Dataset<Row> rows, String prefix) {
    return rows.withColumn("image_id", concat(lit(prefix), col("image_id")));
  }

  /** Shard rows as array columns: logits {@code array<float>}, labels {@code array<int>}. */
  private static Dataset<Row> arrays(Dataset<Row> rows) {
    return rows.map((MapFunction<Row, Row>) row ->
            ArrayShards.toRow(ShardSchema.toRecord(row, "x"), DenseLogits.DType.FLOAT32),
        Encoders.row(ArrayShards.schema(DenseLogits.DType.FLOAT32)));
  }

  /** Shard rows with their sizes as bigint (pandas' int64), smallint and tinyint. */
  private static Dataset<Row> otherWidths(Dataset<Row> rows) {
    return rows.withColumn("height", col("height").cast("bigint"))
        .withColumn("width", col("width").cast("bigint"))
        .withColumn("classes", col("classes").cast("tinyint"))
        .withColumn("logits_height", col("logits_height").cast("smallint"))
        .withColumn("logits_width", col("logits_width").cast("bigint"));
  }

  /** Writes {@code rows} as the one Parquet file {@code files/name} (no checksum file). */
  private static void write(Dataset<Row> rows, String name) throws IOException {
    Path staging = tmp.resolve("staging-" + name);
    rows.coalesce(1).write().parquet(staging.toString());
    try (Stream<Path> s = Files.list(staging)) {
      Files.copy(s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst()
          .orElseThrow(), files.resolve(name));
    }
  }

  /** A shard folder: pairs of (name in the folder, file of {@link #files}), _dataset.json. */
  private static Path folder(String dirName, String... namesAndFiles) throws IOException {
    Path dir = tmp.resolve(dirName);
    Files.createDirectories(dir);
    Files.copy(files.resolve("_dataset.json"), dir.resolve("_dataset.json"));
    for (int i = 0; i < namesAndFiles.length; i += 2) {
      Files.copy(files.resolve(namesAndFiles[i + 1]), dir.resolve(namesAndFiles[i]));
    }
    return dir;
  }

  private static JobRun mine(Path input, Path out, String mode) {
    return JobRun.of(OhemMineJob::run, spark, "--input", input.toString(), "--output",
        out.toString(), "--mode", mode);
  }

  private static List<Row> quarantine(Path out) {
    return spark.read().parquet(out.resolve("quarantine").toString()).orderBy("source")
        .collectAsList();
  }

  @Test
  void missingColumnIsOneBadShardInEveryModeWhateverTheNameOrder() throws IOException {
    for (String name : List.of("a.parquet", "z.parquet")) {
      Path data = folder("missing-" + name.replace(".parquet", ""), "m.parquet", "m.parquet",
          name, "no-labels.parquet");
      Path ff = tmp.resolve("missing-ff-" + name);
      JobRun r = mine(data, ff, "FAILFAST");
      assertEquals(ExitCode.BAD_INPUT, r.code(), name + ": " + r.err());
      assertTrue(r.err().contains("source=file:" + data.toUri().getPath() + name + ": "),
          "names the file, not the folder: " + r.err());
      assertTrue(r.err().contains("no column 'labels' (expected binary (with labels_dtype) or "
          + "an integer array (array<int>, "), r.err());
      assertTrue(r.err().contains("2 rows not read"), r.err());
      assertFalse(Files.exists(ff), "a failed run commits no output");

      Map<String, JobRun> runs = LenientModes.giveTheCleanResult(spark, data, cleanOut,
          tmp.resolve("missing-out-" + name + "-").toString(), 1);
      List<Row> q = quarantine(tmp.resolve("missing-out-" + name + "-PERMISSIVE"));
      assertEquals(1, q.size(), "one record for the file: " + q);
      assertNull(q.get(0).getString(0), q.get(0).toString());
      assertTrue(q.get(0).getString(1).endsWith("/" + name), q.get(0).toString());
      assertTrue(q.get(0).getString(2).startsWith("not an ohem-spark shard: no column 'labels'"),
          q.get(0).toString());
      String dropped = runs.get("DROPMALFORMED").err();
      assertTrue(dropped.contains("ohem-mine: 1 bad record(s) dropped (DROPMALFORMED); first: "
          + "source=file:" + data.toUri().getPath() + name + ": not an ohem-spark shard: no column "
          + "'labels'"), "the report line names the file: " + dropped);
    }
  }

  /** Bad shard -> phrases its message holds (column, found, expected). */
  private static Map<String, List<String>> wrongColumns() {
    Map<String, List<String>> k = new LinkedHashMap<>();
    k.put("renamed.parquet", List.of("no column 'labels'",
        "columns not in the shard schema: [label]"));
    k.put("labels-string.parquet", List.of("column labels is string; expected binary (with "
        + "labels_dtype) or an integer array (array<int>, "));
    k.put("height-double.parquet", List.of("column height is double, expected an integer type "
        + "(int, bigint, smallint or tinyint)"));
    k.put("logits-array.parquet", List.of("column logits is array<float>",
        "but binary in the other shards (e.g. ", "m.parquet"));
    return k;
  }

  @Test
  void wrongColumnsAreNamedInEveryModeWhateverTheNameOrder() throws IOException {
    // FAILFAST: each bad shard sorting first, then last
    for (Map.Entry<String, List<String>> e : wrongColumns().entrySet()) {
      for (String name : List.of("a-" + e.getKey(), "z-" + e.getKey())) {
        Path data = folder("wrong-" + name.replace(".parquet", ""), "m.parquet", "m.parquet",
            name, e.getKey());
        JobRun r = mine(data, tmp.resolve("wrong-ff-" + name), "FAILFAST");
        assertEquals(ExitCode.BAD_INPUT, r.code(), name + ": " + r.err());
        assertTrue(r.err().contains("source=file:" + data.toUri().getPath() + name + ": "),
            "names the file: " + r.err());
        for (String phrase : e.getValue()) {
          assertTrue(r.err().contains(phrase), name + " says '" + phrase + "': " + r.err());
        }
      }
    }
    // PERMISSIVE, DROPMALFORMED: all four in one folder, two sorting first and two last
    Path data = folder("wrong-all", "m.parquet", "m.parquet",
        "a-renamed.parquet", "renamed.parquet", "a-labels-string.parquet",
        "labels-string.parquet", "z-height-double.parquet", "height-double.parquet",
        "z-logits-array.parquet", "logits-array.parquet");
    LenientModes.giveTheCleanResult(spark, data, cleanOut, tmp.resolve("wrong-out-").toString(),
        4);
    List<Row> q = quarantine(tmp.resolve("wrong-out-PERMISSIVE"));
    assertEquals(4, q.size(), q.toString());
    List<String> order = List.of("a-labels-string.parquet", "a-renamed.parquet",
        "z-height-double.parquet", "z-logits-array.parquet");
    for (int i = 0; i < 4; i++) {
      Row row = q.get(i);
      assertNull(row.getString(0), row.toString());
      assertTrue(row.getString(1).endsWith("/" + order.get(i)), row.toString());
      for (String phrase : wrongColumns().get(order.get(i).substring(2))) {
        assertTrue(row.getString(2).contains(phrase), "'" + phrase + "': " + row);
      }
      assertTrue(row.getString(2).endsWith("; 2 rows not read"), row.toString());
    }
  }

  @Test
  void extraColumnIsNotReadWhateverTheNameOrder() throws IOException {
    Path cleanX = cleanMxOut;
    for (String name : List.of("a.parquet", "z.parquet")) {
      Path out = tmp.resolve("extra-out-" + name);
      JobRun r = mine(folder("extra-" + name.replace(".parquet", ""), "m.parquet", "m.parquet",
          name, "extra.parquet"),
          out, "FAILFAST");
      assertEquals(ExitCode.OK, r.code(), name + ": " + r.err());
      assertTrue(r.err().startsWith("ohem-mine: warning: 1 of 2 Parquet shards of ")
          && r.err().contains(" have columns the shard schema does not define; they are not "
          + "read: e.g. ") && r.err().contains(name + ": [note]"), name + ": " + r.err());
      assertEquals(JobOutputs.figures(JobOutputs.summary(cleanX)),
          JobOutputs.figures(JobOutputs.summary(out)), name);
      assertEquals(JobOutputs.hardRows(spark, cleanX), JobOutputs.hardRows(spark, out), name);
    }
  }

  /**
   * A shard row without an image id (null, or empty) is a bad record naming the file and the
   * row's index in it, in every mode: every output names images by id (it failed the write with
   * exit 1 in every mode).
   */
  @Test
  void rowsWithoutAnImageIdAreBadRecordsNamingTheirRowInTheFile() throws IOException {
    List<Row> inFile = spark.read().parquet(files.resolve("null-id.parquet").toString())
        .select("image_id").collectAsList();
    assertEquals(List.of("", "null"), inFile.stream().map(x -> String.valueOf(x.get(0)))
        .toList(), "the file's rows, in its order");
    Path data = folder("null-id", "m.parquet", "m.parquet", "n.parquet", "null-id.parquet");
    JobRun r = mine(data, tmp.resolve("null-id-ff"), "FAILFAST");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    String source = "source=file:" + data.toUri().getPath() + "n.parquet: ";
    assertTrue(r.err().contains(source + "column image_id is null in row 1 of the file "
        + "(counting from 0): every image needs an id") || r.err().contains(source
        + "column image_id is an empty string in row 0 of the file (counting from 0): every "
        + "image needs an id"), r.err());
    LenientModes.giveTheCleanResult(spark, data, cleanOut, tmp.resolve("null-id-").toString(),
        2);
    List<Row> q = quarantine(tmp.resolve("null-id-PERMISSIVE"));
    assertEquals(2, q.size(), q.toString());
    assertEquals(List.of("column image_id is an empty string in row 0 of the file (counting "
        + "from 0): every image needs an id", "column image_id is null in row 1 of the file "
        + "(counting from 0): every image needs an id"), q.stream().map(x -> x.getString(2))
        .sorted().toList());
    assertTrue(q.stream().allMatch(x -> x.getString(1).endsWith("/n.parquet")), q.toString());
  }

  /**
   * Sizes of other integer widths, and array labels of bigint and smallint, mine as the same
   * images with canonical columns (the summary, each image's figures and the hard pixels), also
   * beside a canonical shard in one folder (read with the widest type).
   */
  @Test
  void integerColumnsOfAnyWidthMineAsTheCanonicalOnes() throws IOException {
    Map<String, Path> folders = new LinkedHashMap<>();
    folders.put("widths", folder("widths", "m.parquet", "m.parquet", "x.parquet",
        "x-widths.parquet"));
    folders.put("widths-arrays", folder("widths-arrays", "m.parquet",
        "m-arrays-smallint.parquet", "x.parquet", "x-arrays-bigint.parquet"));
    for (Map.Entry<String, Path> e : folders.entrySet()) {
      Path out = tmp.resolve(e.getKey() + "-out");
      JobRun r = mine(e.getValue(), out, "FAILFAST");
      assertEquals(ExitCode.OK, r.code(), e.getKey() + ": " + r.err());
      assertEquals(JobOutputs.summary(cleanMxOut).get("mean").asDouble(),
          JobOutputs.summary(out).get("mean").asDouble(), e.getKey());
      assertEquals(JobOutputs.figures(JobOutputs.summary(cleanMxOut)),
          JobOutputs.figures(JobOutputs.summary(out)), e.getKey());
      assertEquals(JobOutputs.imageRows(spark, cleanMxOut), JobOutputs.imageRows(spark, out),
          e.getKey());
      assertEquals(JobOutputs.hardRows(spark, cleanMxOut), JobOutputs.hardRows(spark, out),
          e.getKey());
    }
  }

  /**
   * A size that does not fit an int or is not positive is a bad record naming the file, the
   * image, the column and the value: FAILFAST exits 3, PERMISSIVE quarantines each image.
   */
  @Test
  void integersThatDoNotFitAreBadRecordsNamingColumnAndValue() throws IOException {
    Path data = folder("out-of-range", "m.parquet", "m.parquet", "n.parquet",
        "sizes-out-of-range.parquet");
    String height = "column height is 1099511627776: a size must be in [1, 2147483647]";
    String width = "column width is -3: a size must be in [1, 2147483647]";
    String source = "source=file:" + data.toUri().getPath() + "n.parquet: ";
    JobRun r = mine(data, tmp.resolve("out-of-range-ff"), "FAILFAST");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("image_id='x_street_0001' " + source + height)
        || r.err().contains("image_id='x_street_0002' " + source + width), r.err());
    LenientModes.giveTheCleanResult(spark, data, cleanOut, tmp.resolve("out-of-range-")
        .toString(), 2);
    List<Row> q = quarantine(tmp.resolve("out-of-range-PERMISSIVE")).stream()
        .sorted(Comparator.comparing((Row x) -> x.getString(0))).toList();
    assertEquals(2, q.size(), q.toString());
    assertEquals(List.of("x_street_0001", "x_street_0002"), q.stream().map(x -> x.getString(0))
        .toList());
    assertEquals(List.of(height, width), q.stream().map(x -> x.getString(2)).toList());
    assertTrue(q.stream().allMatch(x -> x.getString(1).endsWith("/n.parquet")), q.toString());
  }
}
