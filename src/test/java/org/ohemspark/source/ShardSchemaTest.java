package org.ohemspark.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.Logits;
import org.ohemspark.io.NpyArray;
import org.ohemspark.testing.ArrayLogits;
import org.ohemspark.testing.ArrayShards;
import org.ohemspark.testing.NpyBytes;

/**
 * The shard row: logits of every dtype, byte order and memory order round-trip bit for bit as
 * little-endian C order; labels take the narrowest type; array columns read the same; integer
 * columns of every width read as ints; bad rows name the shard, the image and the mismatch (for
 * an integer that does not fit, the column and the value).
 */
class ShardSchemaTest {
  /** What {@code labels} may be, as messages say it. */
  private static final String LABELS = "binary (with labels_dtype) or an integer array "
      + "(array<int>, array<bigint>, array<smallint> or array<tinyint>)";

  private static Row withSchema(Row r, StructType schema) {
    Object[] v = new Object[r.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.get(i);
    }
    return new GenericRowWithSchema(v, schema);
  }

  /** A Scala Seq, as Spark's rows hold arrays. */
  private static Object seq(List<?> l) {
    return scala.jdk.javaapi.CollectionConverters.asScala(l).toSeq();
  }

  private static double[] all(Logits l) {
    double[] out = new double[l.channels() * l.height() * l.width()];
    for (int c = 0; c < l.channels(); c++) {
      for (int y = 0; y < l.height(); y++) {
        l.readRow(c, y, out, (c * l.height() + y) * l.width());
      }
    }
    return out;
  }

  private static ImageRecord roundTrip(Logits logits, int h, int w, int[] labels) {
    Row r = withSchema(ShardSchema.toRow("img", logits, h, w, labels), ShardSchema.SCHEMA);
    return ShardSchema.toRecord(r, "shard.parquet");
  }

  @Test
  void logitsOfEveryLayoutRoundTripExactly() {
    float[] f = {1.5f, -2.25f, 3e-5f, 65504f, -0f, 7f};
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      for (boolean fortran : new boolean[] {false, true}) {
        String e = order == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
        Logits f32 = NpyArray.parse("a.npy", NpyBytes.file(e + "f4", fortran,
            new long[] {2, 1, 3}, NpyBytes.floats(order, f))).asLogits("img");
        ImageRecord r = roundTrip(f32, 1, 3, new int[] {0, 1, 1});
        assertArrayEquals(all(f32), all(r.logits()), order + " fortran=" + fortran);
        assertEquals(DenseLogits.DType.FLOAT32, ((DenseLogits) r.logits()).dtype());
      }
    }
    Logits f16 = NpyArray.parse("h.npy", NpyBytes.file("<f2", false, new long[] {1, 2, 2},
        NpyBytes.shorts(ByteOrder.LITTLE_ENDIAN, 0x3c00, 0xc000, 0x0001, 0x7bff)))
        .asLogits("img");
    ImageRecord r16 = roundTrip(f16, 4, 4, new int[16]);
    assertEquals(DenseLogits.DType.FLOAT16, ((DenseLogits) r16.logits()).dtype());
    assertArrayEquals(new double[] {1, -2, 0x1p-24, 65504}, all(r16.logits()));
    Logits any = new ArrayLogits(1, 1, 2, new double[] {Math.PI, -1e300});
    assertArrayEquals(new double[] {Math.PI, -1e300}, all(roundTrip(any, 1, 2,
        new int[] {0, 0}).logits()), "other Logits are stored as float64");
  }

  @Test
  void labelsTakeTheNarrowestTypeAndRoundTrip() {
    Logits l = new ArrayLogits(1, 1, 2, new double[2]);
    for (int[] labels : List.of(new int[] {0, 255}, new int[] {0, 256}, new int[] {-1, 3},
        new int[] {70000, 0})) {
      Row r = ShardSchema.toRow("i", l, 1, 2, labels);
      String dtype = r.getString(8);
      assertEquals(labels[0] < 0 || labels[0] > 65535 ? "int32" : labels[1] > 255 ? "uint16"
          : "uint8", dtype, Arrays.toString(labels));
      assertArrayEquals(labels, ShardSchema.toRecord(withSchema(r, ShardSchema.SCHEMA), "s")
          .storedLabels());
    }
  }

  @Test
  void arrayColumnsReadAsTheBinaryOnes() {
    StructType arrays = new StructType()
        .add("image_id", DataTypes.StringType).add("height", DataTypes.IntegerType)
        .add("width", DataTypes.IntegerType).add("classes", DataTypes.IntegerType)
        .add("logits_height", DataTypes.IntegerType).add("logits_width", DataTypes.IntegerType)
        .add("logits", DataTypes.createArrayType(DataTypes.ShortType))
        .add("labels", DataTypes.createArrayType(DataTypes.IntegerType));
    assertEquals(List.of("image_id", "height", "width", "classes", "logits_height",
        "logits_width", "logits", "labels"), ShardSchema.check(arrays, "s"));
    Row r = new GenericRowWithSchema(new Object[] {"i", 1, 2, 1, 1, 2,
        seq(List.of((short) 0x3c00, (short) 0xc000)), seq(List.of(0, 255))}, arrays);
    ImageRecord rec = ShardSchema.toRecord(r, "s");
    assertArrayEquals(new double[] {1, -2}, all(rec.logits()));
    assertArrayEquals(new int[] {0, 255}, rec.storedLabels());
  }

  @Test
  void schemaWithoutAColumnIsNotAShard() {
    StructType noLabels = new StructType().add("image_id", DataTypes.StringType)
        .add("height", DataTypes.IntegerType).add("width", DataTypes.IntegerType)
        .add("classes", DataTypes.IntegerType).add("logits_height", DataTypes.IntegerType)
        .add("logits_width", DataTypes.IntegerType).add("logits_dtype", DataTypes.StringType)
        .add("logits", DataTypes.BinaryType);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> ShardSchema.check(noLabels, "hdfs://x/shards"));
    assertEquals("not an ohem-spark shard: no column 'labels' (expected " + LABELS + ")",
        e.reason());
    assertEquals("hdfs://x/shards", e.source());
    StructType renamed = noLabels.add("label", DataTypes.BinaryType)
        .add("batch", DataTypes.LongType);
    assertEquals("not an ohem-spark shard: no column 'labels' (expected " + LABELS + "); "
        + "columns not in the shard schema: [label]",
        assertThrows(BadRecordException.class, () -> ShardSchema.check(renamed, "f.parquet"))
        .reason(), "the renamed column is named; an optional one is not");
    StructType noHeight = new StructType().add("image_id", DataTypes.StringType);
    assertEquals("not an ohem-spark shard: no column 'height' (expected an integer type "
        + "(int, bigint, smallint or tinyint))",
        assertThrows(BadRecordException.class, () -> ShardSchema.check(noHeight, "f"))
        .reason());
  }

  /**
   * {@code schema} with the column {@code name} of type {@code type} (nullable, as Spark reads
   * a Parquet file's schema), or with {@code name} added at the end when it has none.
   */
  static StructType retyped(StructType schema, String name, DataType type) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      out = out.add(f.name(), f.name().equals(name) ? type : f.dataType(), true);
    }
    return List.of(schema.fieldNames()).contains(name) ? out : out.add(name, type, true);
  }

  @Test
  void wrongTypesAreNamedWithWhatWasExpected() {
    StructType canonical = ShardSchema.SCHEMA;
    StructType labelsString = retyped(canonical, "labels", DataTypes.StringType);
    assertEquals("column labels is string; expected " + LABELS,
        assertThrows(BadRecordException.class, () -> ShardSchema.check(labelsString, "f"))
        .reason());
    StructType logitsMap = retyped(canonical, "logits", DataTypes.createMapType(
        DataTypes.IntegerType, DataTypes.FloatType));
    assertEquals("column logits is map<int,float>; expected binary (with logits_dtype), "
        + "array<float>, array<double> or array<smallint> (float16 bits)",
        assertThrows(BadRecordException.class, () -> ShardSchema.check(logitsMap, "f"))
        .reason());
    // pandas makes an int column with a missing value float64
    assertEquals("column height is double, expected an integer type (int, bigint, smallint or "
        + "tinyint)", assertThrows(BadRecordException.class, () -> ShardSchema.check(
            retyped(canonical, "height", DataTypes.DoubleType), "f")).reason());
    assertEquals("column width is decimal(20,0), expected an integer type (int, bigint, "
        + "smallint or tinyint); decimal(20,0) is how Spark reads an unsigned 64-bit (UINT_64) "
        + "Parquet column: write it as a signed int64 or int32",
        assertThrows(BadRecordException.class, () -> ShardSchema.check(retyped(canonical,
            "width", DataTypes.createDecimalType(20, 0)), "f")).reason());
  }

  /** The array-column schema with sizes of three widths and labels of {@code labels}. */
  private static StructType mixedWidths(DataType labels) {
    StructType s = retyped(ArrayShards.schema(DenseLogits.DType.FLOAT64), "height",
        DataTypes.LongType);
    s = retyped(s, "width", DataTypes.ShortType);
    s = retyped(s, "classes", DataTypes.ByteType);
    s = retyped(s, "logits_height", DataTypes.LongType);
    return retyped(s, "labels", DataTypes.createArrayType(labels));
  }

  /** {@code v} as a value of Spark type {@code t} (an integer type), as Spark's rows hold it. */
  private static Object integer(DataType t, long v) {
    return t.equals(DataTypes.LongType) ? (Object) v : t.equals(DataTypes.IntegerType)
        ? (Object) (int) v : t.equals(DataTypes.ShortType) ? (Object) (short) v : (byte) v;
  }

  @Test
  void integerColumnsOfEveryWidthReadAsInts() {
    for (DataType e : List.of(DataTypes.LongType, DataTypes.IntegerType, DataTypes.ShortType,
        DataTypes.ByteType)) {
      StructType schema = mixedWidths(e);
      assertEquals(List.of("image_id", "height", "width", "classes", "logits_height",
          "logits_width", "logits", "labels"), ShardSchema.check(schema, "s"), e.toString());
      Row r = new GenericRowWithSchema(new Object[] {"i", 1L, (short) 2, (byte) 2, 1L, 2,
          seq(List.of(1.5, -2.0, 0.25, 4.0)), seq(List.of(integer(e, 1), integer(e, 127)))},
          schema);
      ImageRecord rec = ShardSchema.toRecord(r, "s");
      assertEquals(1, rec.height());
      assertEquals(2, rec.width());
      assertEquals(2, rec.logits().channels());
      assertArrayEquals(new double[] {1.5, -2.0, 0.25, 4.0}, all(rec.logits()));
      assertArrayEquals(new int[] {1, 127}, rec.storedLabels(), e.toString());
    }
    StructType bigintSizes = retyped(ShardSchema.SCHEMA, "height", DataTypes.LongType);
    Row binary = new GenericRowWithSchema(new Object[] {"b", 1L, 2, 1, 1, 2, "float64",
        new byte[16], "uint8", new byte[] {0, (byte) 255}}, bigintSizes);
    assertArrayEquals(new int[] {0, 255}, ShardSchema.toRecord(binary, "s").storedLabels());
  }

  @Test
  void integerValuesThatDoNotFitAreBadRecordsNamingColumnAndValue() {
    StructType schema = mixedWidths(DataTypes.LongType);
    Object logits = seq(List.of(0.0, 0.0));
    Object labels = seq(List.of(0L, 1L));
    Map<String, Object[]> cases = new LinkedHashMap<>();
    cases.put("column height is 1099511627776: a size must be in [1, 2147483647]",
        new Object[] {"i1", 1L << 40, (short) 2, (byte) 1, 1L, 2, logits, labels});
    cases.put("column width is -3: a size must be in [1, 2147483647]",
        new Object[] {"i2", 1L, (short) -3, (byte) 1, 1L, 2, logits, labels});
    cases.put("column classes is 0: a size must be in [1, 2147483647]",
        new Object[] {"i3", 1L, (short) 2, (byte) 0, 1L, 2, logits, labels});
    cases.put("column logits_height is 2147483648: a size must be in [1, 2147483647]",
        new Object[] {"i4", 1L, (short) 2, (byte) 1, 1L << 31, 2, logits, labels});
    cases.put("column labels holds 4294967296 at 1, which does not fit a 32-bit label",
        new Object[] {"i5", 1L, (short) 2, (byte) 1, 1L, 2, logits, seq(List.of(0L, 1L << 32))});
    cases.put("column labels holds -2147483649 at 0, which does not fit a 32-bit label",
        new Object[] {"i6", 1L, (short) 2, (byte) 1, 1L, 2, logits,
            seq(List.of(-(1L << 31) - 1, 0L))});
    cases.forEach((reason, values) -> {
      BadRecordException e = assertThrows(BadRecordException.class, () -> ShardSchema.toRecord(
          new GenericRowWithSchema(values, schema), "part-3.parquet"), reason);
      assertEquals(reason, e.reason());
      assertEquals(values[0], e.imageId());
      assertEquals("part-3.parquet", e.source());
    });
  }

  @Test
  void extraColumnsAreNamedAndNotRead() {
    StructType extra = ShardSchema.SCHEMA.add("__index_level_0__", DataTypes.LongType)
        .add("group", DataTypes.StringType).add("note", DataTypes.StringType);
    List<String> needed = ShardSchema.check(extra, "f");
    assertEquals(List.of("__index_level_0__", "note"), ShardSchema.unknownColumns(extra));
    assertEquals(List.of(), ShardSchema.unknownColumns(ShardSchema.SCHEMA));
    StructType read = ShardSchema.readSchema(extra, needed);
    assertEquals(needed, List.of(read.fieldNames()), "only the checked columns are read");
    StructType arrays = ArrayShards.schema(DenseLogits.DType.FLOAT32);
    StructType arraysRead = ShardSchema.readSchema(arrays, ShardSchema.check(arrays, "f"));
    assertEquals(DataTypes.createArrayType(DataTypes.FloatType, true),
        arraysRead.apply("logits").dataType(), "element nullability does not split files");
  }

  @Test
  void rowWithoutAnImageIdIsNamedByItsRowInTheFile() {
    Row r = withSchema(ShardSchema.toRow("x", new ArrayLogits(1, 1, 1, new double[1]), 1, 1,
        new int[1]), ShardSchema.SCHEMA);
    Object[] v = new Object[r.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = i == 0 ? null : r.get(i);
    }
    Row noId = new GenericRowWithSchema(v, ShardSchema.SCHEMA);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> ShardSchema.toRecord(noId, "part-1.parquet", 41));
    assertEquals("column image_id is null in row 41 of the file (counting from 0): every "
        + "image needs an id", e.reason());
    assertEquals("part-1.parquet", e.source());
    assertEquals("column image_id is null: every image needs an id", assertThrows(
        BadRecordException.class, () -> ShardSchema.toRecord(noId, "p")).reason(),
        "no row index: none named");
  }

  @Test
  void lengthMismatchNamesShardImageExpectedAndFound() {
    Row r = RowFactory.create("img7", 2, 2, 3, 1, 1, "float32", new byte[8], "uint8",
        new byte[4]);
    BadRecordException e = assertThrows(BadRecordException.class,
        () -> ShardSchema.toRecord(withSchema(r, ShardSchema.SCHEMA), "part-0.parquet"));
    assertEquals("img7", e.imageId());
    assertEquals("part-0.parquet", e.source());
    assertTrue(e.reason().contains("logits hold 8 bytes, expected C*h*w*4 = 12"), e.reason());
    Row badDtype = RowFactory.create("img8", 1, 1, 1, 1, 1, "bfloat16", new byte[2], "uint8",
        new byte[1]);
    assertTrue(assertThrows(BadRecordException.class, () -> ShardSchema.toRecord(
        withSchema(badDtype, ShardSchema.SCHEMA), "p")).reason().contains("bfloat16"));
  }
}
