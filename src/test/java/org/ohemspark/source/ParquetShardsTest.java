package org.ohemspark.source;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.OhemParams;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.testing.ArrayShards;
import org.ohemspark.testing.SparkTestSession;

/**
 * Parquet shards through Spark: the file partitioning is kept (no shuffle before the loss
 * pass), an image id in two files and a file without the shard columns are bad input naming
 * them, and array columns mine as the canonical binary ones.
 */
class ParquetShardsTest {
  private static SparkSession spark;
  private static final Path SAMPLE = Paths.get("samples", "tiny");

  @TempDir
  static Path tmp;
  private static Path shards;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("parquet-shards");
    shards = tmp.resolve("shards");
    ShardWriter.write(spark, new DatasetDirectory(SAMPLE.toString()), OhemParams.DEFAULTS,
        LabelConvention.PALETTE_INDEX, 5, shards.toString(), 1, 3);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static OhemMiner.Result mine(ImageSource s) {
    return OhemMiner.on(spark).classes(5).mine(s);
  }

  @Test
  void oneImagePerFileAndNoShuffleBeforeTheLossPass() {
    Dataset<Row> perFile = spark.read().parquet(shards.toString())
        .groupBy(col("_metadata.file_path")).count();
    assertEquals(3, perFile.count(), "target of 1 byte: one image per file");
    assertEquals(3, spark.read().parquet(shards.toString()).inputFiles().length, "no empty file");
    assertEquals(0, perFile.filter(col("count").notEqual(1)).count());
    Dataset<Row> records = new ParquetShards(shards.toString()).records(spark, 0);
    String plan = records.queryExecution().executedPlan().toString();
    assertFalse(plan.contains("Exchange"), plan);
    assertEquals(1, new ParquetShards(shards.toString()).records(spark, 1).rdd()
        .getNumPartitions());
    try (OhemMiner.Result r = mine(new ParquetShards(shards.toString()))) {
      assertEquals(0.9400538843165219, r.summary().mean(), 1e-6, "PyTorch's mean of the sample");
      assertEquals(3, r.summary().nImages());
    }
  }

  @Test
  void arrayColumnsMineAsTheBinaryOnes() {
    Dataset<Row> binary = spark.read().parquet(shards.toString());
    Path arrays = tmp.resolve("arrays");
    binary.select(col("image_id"), col("height"), col("width"), col("classes"),
            col("logits_height"), col("logits_width"), col("logits_dtype"), col("logits"),
            col("labels_dtype"), col("labels"))
        .map((org.apache.spark.api.java.function.MapFunction<Row, Row>) r -> {
          org.ohemspark.core.ImageRecord rec = ShardSchema.toRecord(r, "x");
          return ArrayShards.toRow(rec, DenseLogits.DType.FLOAT64);
        }, org.apache.spark.sql.Encoders.row(ArrayShards.schema(DenseLogits.DType.FLOAT64)))
        .write().parquet(arrays.toString());
    try (OhemMiner.Result a = mine(new ParquetShards(arrays.toString()));
        OhemMiner.Result b = mine(new ParquetShards(shards.toString()))) {
      assertEquals(b.summary(), a.summary());
      assertEquals(b.hardPixels().sort("image_id", "pixel_index").collectAsList(),
          a.hardPixels().sort("image_id", "pixel_index").collectAsList());
    }
  }

  @Test
  void imageIdInTwoFilesIsBadInputNamingBoth() {
    Path dup = tmp.resolve("dup");
    Dataset<Row> s = spark.read().parquet(shards.toString());
    s.write().parquet(dup.toString());
    s.filter(col("image_id").equalTo("street_0002")).write().mode("append")
        .parquet(dup.toString());
    // caught by the shared bad-record split (every source, every mode), naming both files
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> mine(new ParquetShards(dup.toString())).close());
    assertEquals("street_0002", e.imageId());
    assertTrue(e.reason().contains("duplicate image id: 2 records"), e.reason());
    String files = e.reason().substring(e.reason().indexOf('['));
    assertEquals(2, files.split(",").length, "both files named: " + e.reason());
    assertFalse(files.split(",")[0].trim().equals(files.split(",")[1].trim().replace("]", "")),
        "two different files: " + e.reason());
  }

  @Test
  void imageIdInTwoFilesIsQuarantinedInPermissiveMode() {
    Path dup = tmp.resolve("dup-permissive");
    Dataset<Row> s = spark.read().parquet(shards.toString());
    s.write().parquet(dup.toString());
    s.filter(col("image_id").equalTo("street_0002")).write().mode("append")
        .parquet(dup.toString());
    try (OhemMiner.Result r = OhemMiner.on(spark).mode(BadRecordMode.PERMISSIVE)
        .labelConvention(LabelConvention.TRAIN_IDS).mine(new ParquetShards(dup.toString()))) {
      assertEquals(2, r.summary().nBadRecords());
      assertEquals(2, r.summary().nImages(), "the other images are mined");
      assertEquals(2, r.quarantine().filter(col("image_id").equalTo("street_0002")).count());
    }
  }

  @Test
  void parquetWithoutShardColumnsIsBadInput() {
    Path other = tmp.resolve("other");
    spark.range(3).toDF("image_id").write().parquet(other.toString());
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> new ParquetShards(other.toString()).records(spark, 0));
    assertTrue(e.reason().contains("column image_id is bigint"), e.reason());
    BadRecordException none = assertThrows(BadRecordException.class,
        () -> new ParquetShards(tmp.resolve("nothing-here").toString()).records(spark, 0));
    assertTrue(none.reason().contains("does not exist"), none.reason());
    java.io.File noParquet = tmp.resolve("no-parquet").toFile();
    assertTrue(noParquet.mkdirs());
    BadRecordException empty = assertThrows(BadRecordException.class,
        () -> new ParquetShards(noParquet.toString()).records(spark, 0));
    assertTrue(empty.reason().contains("no Parquet shard"), empty.reason());
  }

  private static ParquetFooters.Footer footer(String file, long rows,
      org.apache.spark.sql.types.StructType schema) {
    return new ParquetFooters.Footer(file, rows, schema, null);
  }

  @Test
  void eachFilesOwnSchemaDecidesWhateverTheNameOrder() {
    org.apache.spark.sql.types.StructType binary = ShardSchema.SCHEMA;
    org.apache.spark.sql.types.StructType noLabels = new org.apache.spark.sql.types.StructType(
        java.util.Arrays.stream(binary.fields()).filter(f -> !f.name().equals("labels"))
            .toArray(org.apache.spark.sql.types.StructField[]::new));
    org.apache.spark.sql.types.StructType arrays = ArrayShards.schema(DenseLogits.DType.FLOAT32);
    for (String bad : java.util.List.of("a.parquet", "z.parquet")) {
      ParquetShards.Split s = ParquetShards.split(java.util.List.of(footer("m.parquet", 3,
          binary), footer(bad, 2, noLabels), footer("n.parquet", 1, binary),
          new ParquetFooters.Footer("p.parquet", 0, null, "unreadable Parquet footer: x")));
      assertEquals(java.util.List.of("m.parquet", "n.parquet"), s.good().stream()
          .map(ParquetFooters.Footer::file).toList(), bad);
      assertEquals(ShardSchema.readSchema(binary, ShardSchema.check(binary, "m")), s.schema());
      assertEquals(2, s.bad().size());
      ParquetFooters.Footer b = s.bad().get(bad.startsWith("a") ? 0 : 1);
      assertEquals(bad, b.file());
      assertEquals("not an ohem-spark shard: no column 'labels' (expected binary (with "
          + "labels_dtype) or an integer array (array<int>, array<bigint>, array<smallint> or "
          + "array<tinyint>)); 2 rows not read", b.error());
      assertEquals("unreadable Parquet footer: x", s.bad().get(bad.startsWith("a") ? 1 : 0)
          .error(), "a footer error is kept as it is");
    }
    // one binary file and one of arrays: a tie goes to binary, whichever name sorts first
    for (String[] names : new String[][] {{"a.parquet", "z.parquet"},
        {"z.parquet", "a.parquet"}}) {
      ParquetShards.Split s = ParquetShards.split(java.util.List.of(footer(names[0], 1, binary),
          footer(names[1], 1, arrays)));
      assertEquals(java.util.List.of(names[0]), s.good().stream()
          .map(ParquetFooters.Footer::file).toList());
      assertEquals("column logits is array<float>, but binary in the other shards (e.g. "
          + names[0] + ", 1 file(s)): the shards of a folder must store each column alike; "
          + "1 row not read", s.bad().get(0).error());
    }
    // most files decide
    ParquetShards.Split s = ParquetShards.split(java.util.List.of(footer("a.parquet", 1, binary),
        footer("b.parquet", 1, arrays), footer("c.parquet", 1, arrays)));
    assertEquals(2, s.good().size());
    assertEquals("a.parquet", s.bad().get(0).file());
    assertTrue(s.bad().get(0).error().startsWith("column logits is binary, but array<float> in "
        + "the other shards (e.g. b.parquet, 2 file(s))"), s.bad().get(0).error());
    assertEquals(0, ParquetShards.split(java.util.List.of()).good().size());
  }

  /**
   * Integer widths (pandas writes int64) do not split a folder: the read schema has each
   * integer column of the widest type among the files read.
   */
  @Test
  void integerWidthsDoNotSplitFilesAndTheWidestIsRead() {
    StructType binary = ShardSchema.SCHEMA;
    StructType pandas = ShardSchemaTest.retyped(ShardSchemaTest
        .retyped(binary, "height", DataTypes.LongType), "logits_width", DataTypes.ShortType);
    ParquetShards.Split s = ParquetShards.split(java.util.List.of(footer("a.parquet", 1,
        binary), footer("b.parquet", 1, pandas)));
    assertEquals(2, s.good().size());
    assertEquals(0, s.bad().size());
    assertEquals(DataTypes.LongType, s.schema().apply("height").dataType());
    assertEquals(DataTypes.IntegerType, s.schema().apply("width").dataType());
    assertEquals(DataTypes.IntegerType, s.schema().apply("logits_width").dataType());
    // array labels of two widths read as the wider; binary labels are another layout
    StructType arrays = ArrayShards.schema(DenseLogits.DType.FLOAT32);
    StructType shortLabels = ShardSchemaTest.retyped(arrays, "labels",
        DataTypes.createArrayType(DataTypes.ShortType));
    StructType longLabels = ShardSchemaTest.retyped(arrays, "labels",
        DataTypes.createArrayType(DataTypes.LongType));
    StructType binaryLabels = ShardSchemaTest.retyped(
        ShardSchemaTest.retyped(binary, "logits", DataTypes.createArrayType(DataTypes.FloatType)),
        "height", DataTypes.LongType);
    s = ParquetShards.split(java.util.List.of(footer("a.parquet", 1, shortLabels),
        footer("b.parquet", 1, longLabels), footer("c.parquet", 1, binaryLabels)));
    assertEquals(java.util.List.of("a.parquet", "b.parquet"), s.good().stream()
        .map(ParquetFooters.Footer::file).toList());
    assertEquals(DataTypes.createArrayType(DataTypes.LongType, true),
        s.schema().apply("labels").dataType());
    assertEquals("column labels is binary, but array<smallint> in the other shards (e.g. "
        + "a.parquet, 2 file(s)): the shards of a folder must store each column alike; 1 row "
        + "not read", s.bad().get(0).error());
  }

  @Test
  void aFileWhoseRowGroupIsOverTheLimitIsNotRead() {
    StructType binary = ShardSchema.SCHEMA;
    ParquetFooters.Footer small = new ParquetFooters.Footer("a.parquet", 6, binary, null,
        new ParquetFooters.RowGroup(0, 6, 120_000_000, "logits", 119_000_000), 20_000_000);
    ParquetFooters.Footer big = new ParquetFooters.Footer("b.parquet", 60, binary, null,
        new ParquetFooters.RowGroup(2, 60, 1_197_171_149, "logits", 1_195_243_988), 20_000_000);
    ParquetShards.Split s = ParquetShards.split(java.util.List.of(small, big),
        new RowGroupLimit(256L << 20));
    assertEquals(java.util.List.of("a.parquet"), s.good().stream()
        .map(ParquetFooters.Footer::file).toList());
    assertEquals("row group 2 of 1.1 GiB (1197171149 bytes of the columns read, 60 rows; column"
        + " logits 1.1 GiB) is larger than spark.ohem.parquet.maxRowGroupBytes = 256.0 MiB: "
        + "Spark's Parquet reader holds a whole row group in memory; rewrite the file with "
        + "smaller row groups (ohem-ingest --format parquet, run once with "
        + "spark.ohem.parquet.maxRowGroupBytes raised, writes them at most half the limit; "
        + "pyarrow: a smaller row_group_size, in rows), or raise "
        + "spark.ohem.parquet.maxRowGroupBytes where the executors have the memory; 60 rows not "
        + "read", s.bad().get(0).error());
    assertEquals(2, ParquetShards.split(java.util.List.of(small, big),
        new RowGroupLimit(1_197_171_149)).good().size(), "a row group at the limit is read");
  }

  @Test
  void shardsAreReadInBatchesOfAFewRowsWithoutChangingTheCallersSession() throws Exception {
    assertEquals(1, RowGroupLimit.readerBatchRows(20_000_000, 4096), "rows of 20 MB: one");
    assertEquals(16, RowGroupLimit.readerBatchRows(1L << 20, 4096), "16 MiB of 1 MiB rows");
    assertEquals(4096, RowGroupLimit.readerBatchRows(100, 4096), "never more than Spark's");
    assertEquals(2, RowGroupLimit.readerBatchRows(100, 2));
    // the sample's largest row decoded: logits and labels of street_0003 plus the small columns
    long rowBytes = 0;
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(shards)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop
            .ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(f.toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
          for (org.apache.parquet.hadoop.metadata.BlockMetaData b : r.getFooter().getBlocks()) {
            rowBytes = Math.max(rowBytes, b.getTotalByteSize() / b.getRowCount());
          }
        }
      }
    }
    assertTrue(rowBytes > 61_440, "the [5, 48, 64] float32 logits alone: " + rowBytes);
    Dataset<Row> rows = new ParquetShards(shards.toString()).records(spark, 0);
    assertEquals(Long.toString(RowGroupLimit.READER_BATCH_BYTES / rowBytes),
        rows.sparkSession().conf().get(RowGroupLimit.BATCH_ROWS_KEY));
    assertEquals("4096", spark.conf().get(RowGroupLimit.BATCH_ROWS_KEY, "4096"),
        "the caller's session keeps its own batch");
    assertEquals(3, rows.count());
  }
}
