package org.ohemspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.Logits;
import org.ohemspark.io.NpyArray;
import org.ohemspark.testing.ArrayLogits;
import org.ohemspark.testing.NpyBytes;

/**
 * The shard row: logits of every dtype, byte order and memory order round-trip bit for bit as
 * little-endian C order; labels take the narrowest type; array columns read the same; bad rows
 * name the shard, the image and the mismatch.
 */
class ShardSchemaTest {

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
    assertEquals("not an ohem-spark shard: no column 'labels' (expected binary (with "
        + "labels_dtype) or array<int>)", e.reason());
    assertEquals("hdfs://x/shards", e.source());
    StructType renamed = noLabels.add("label", DataTypes.BinaryType)
        .add("batch", DataTypes.LongType);
    assertEquals("not an ohem-spark shard: no column 'labels' (expected binary (with "
        + "labels_dtype) or array<int>); columns not in the shard schema: [label]",
        assertThrows(BadRecordException.class, () -> ShardSchema.check(renamed, "f.parquet"))
        .reason(), "the renamed column is named; an optional one is not");
    StructType noHeight = new StructType().add("image_id", DataTypes.StringType);
    assertEquals("not an ohem-spark shard: no column 'height' (expected int)",
        assertThrows(BadRecordException.class, () -> ShardSchema.check(noHeight, "f"))
        .reason());
  }

  @Test
  void wrongTypesAreNamedWithWhatWasExpected() {
    StructType canonical = ShardSchema.SCHEMA;
    StructType labelsString = new StructType(java.util.Arrays.stream(canonical.fields())
        .map(f -> f.name().equals("labels") ? f.copy(f.name(), DataTypes.StringType,
            f.nullable(), f.metadata()) : f)
        .toArray(org.apache.spark.sql.types.StructField[]::new));
    assertEquals("column labels is string; expected binary (with labels_dtype) or array<int>",
        assertThrows(BadRecordException.class, () -> ShardSchema.check(labelsString, "f"))
        .reason());
    StructType logitsMap = new StructType(java.util.Arrays.stream(canonical.fields())
        .map(f -> f.name().equals("logits") ? f.copy(f.name(), DataTypes.createMapType(
            DataTypes.IntegerType, DataTypes.FloatType), f.nullable(), f.metadata()) : f)
        .toArray(org.apache.spark.sql.types.StructField[]::new));
    assertEquals("column logits is map<int,float>; expected binary (with logits_dtype), "
        + "array<float>, array<double> or array<smallint> (float16 bits)",
        assertThrows(BadRecordException.class, () -> ShardSchema.check(logitsMap, "f"))
        .reason());
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
    StructType arrays = org.ohemspark.testing.ArrayShards.schema(DenseLogits.DType.FLOAT32);
    StructType arraysRead = ShardSchema.readSchema(arrays, ShardSchema.check(arrays, "f"));
    assertEquals(DataTypes.createArrayType(DataTypes.FloatType, true),
        arraysRead.apply("logits").dataType(), "element nullability does not split files");
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
