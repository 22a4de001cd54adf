package org.ohemspark.source;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.Logits;
import org.ohemspark.core.StoredLogits;

/**
 * The canonical Parquet shard row: one image, its logits and its labels (after the label
 * convention).
 *
 * <pre>
 *   image_id       string  not null, not empty
 *   height         int     H, rows of the label mask
 *   width          int     W, columns of the label mask
 *   classes        int     C
 *   logits_height  int     h (may differ from H: logits are resized bilinearly to H x W)
 *   logits_width   int     w
 *   logits_dtype   string  float16 | float32 | float64
 *   logits         binary  [C, h, w] little-endian, C order (row-major), of logits_dtype:
 *                          C*h*w*2 (or 4, 8) bytes
 *   labels_dtype   string  uint8 | uint16 | int32
 *   labels         binary  [H, W] little-endian, row-major, of labels_dtype: the labels after
 *                          the label convention (ignore_index or in [0, C))
 *   group          string  optional, nullable: a group (e.g. a scene or a source dataset)
 *   batch          long    optional, nullable: the training mini-batch the image was in
 * </pre>
 *
 * The writer picks the narrowest label type that holds every value. On read, {@code logits}
 * may also be an array column ({@code array<float>}: float32, {@code array<double>}: float64,
 * {@code array<smallint>}: float16 bit patterns), and {@code labels} an integer array
 * ({@code array<int>}, {@code array<bigint>}, {@code array<smallint>} or
 * {@code array<tinyint>}); their dtype columns are then not needed. Binary columns are the
 * canonical choice: they read several times faster (BENCHMARKS.md, "Shard read throughput").
 *
 * <p>The five size columns ({@code height} to {@code logits_width}) may be of any Spark integer
 * type on read: {@code int}, {@code bigint} (pandas' and pyarrow's default int64, and Parquet
 * {@code UINT_32} as Spark reads it), {@code smallint} or {@code tinyint}. Each value is
 * converted to an int and checked: a size outside {@code [1, 2^31-1]}, or an array label
 * outside the int range, is a bad record naming the shard, the image, the column and the value.
 * Parquet {@code UINT_64}, which Spark reads as {@code decimal(20,0)}, is not accepted (the
 * file is not read, its message says so). {@code batch} may equally be of any integer type
 * (it is not read).
 */
public final class ShardSchema {
  private ShardSchema() {}

  /** The columns the ingest writes, in order. */
  public static final StructType SCHEMA = new StructType()
      .add("image_id", DataTypes.StringType, false)
      .add("height", DataTypes.IntegerType, false)
      .add("width", DataTypes.IntegerType, false)
      .add("classes", DataTypes.IntegerType, false)
      .add("logits_height", DataTypes.IntegerType, false)
      .add("logits_width", DataTypes.IntegerType, false)
      .add("logits_dtype", DataTypes.StringType, false)
      .add("logits", DataTypes.BinaryType, false)
      .add("labels_dtype", DataTypes.StringType, false)
      .add("labels", DataTypes.BinaryType, false);

  /** Optional columns, read by nothing yet (reserved for batch scopes). */
  public static final StructType OPTIONAL = new StructType()
      .add("group", DataTypes.StringType, true)
      .add("batch", DataTypes.LongType, true);

  private static final List<String> INTS = List.of("height", "width", "classes",
      "logits_height", "logits_width");

  /** What {@code logits} may be, for messages. */
  private static final String LOGITS_TYPES = "binary (with logits_dtype), array<float>, "
      + "array<double> or array<smallint> (float16 bits)";
  /** What {@code labels} may be, for messages. */
  private static final String LABELS_TYPES = "binary (with labels_dtype) or an integer array "
      + "(array<int>, array<bigint>, array<smallint> or array<tinyint>)";

  /** The integer types a size column and an array {@code labels}' elements may have. */
  private static final DataType[] INTEGERS = {DataTypes.ByteType, DataTypes.ShortType,
      DataTypes.IntegerType, DataTypes.LongType};
  /** What a size column may be, for messages. */
  private static final String INT_TYPES = "an integer type (int, bigint, smallint or tinyint)";

  /**
   * The columns of {@code actual} a reader needs, checked. Columns not in the shard schema are
   * allowed (not read); {@link #unknownColumns} names them.
   *
   * @param source the shard file (or the shards' location), for messages
   * @return the names of the columns to select
   * @throws BadRecordException naming the column, its type and the type expected when one is
   *     missing or of another type (a missing column's message also names the columns that are
   *     not in the shard schema, e.g. a renamed one)
   */
  public static List<String> check(StructType actual, String source) {
    require(actual, source, "image_id", DataTypes.StringType);
    for (String c : INTS) {
      requireInteger(actual, source, c);
    }
    DataType logits = type(actual, source, "logits", LOGITS_TYPES);
    if (logits.equals(DataTypes.BinaryType)) {
      require(actual, source, "logits_dtype", DataTypes.StringType);
    } else if (!isArrayOf(logits, DataTypes.FloatType, DataTypes.DoubleType,
        DataTypes.ShortType)) {
      throw new BadRecordException(source, null, "column logits is " + logits.simpleString()
          + "; expected " + LOGITS_TYPES);
    }
    DataType labels = type(actual, source, "labels", LABELS_TYPES);
    if (labels.equals(DataTypes.BinaryType)) {
      require(actual, source, "labels_dtype", DataTypes.StringType);
    } else if (!isArrayOf(labels, INTEGERS)) {
      throw new BadRecordException(source, null, "column labels is " + labels.simpleString()
          + "; expected " + LABELS_TYPES);
    }
    List<String> cols = new java.util.ArrayList<>(List.of("image_id", "height", "width",
        "classes", "logits_height", "logits_width", "logits", "labels"));
    if (logits.equals(DataTypes.BinaryType)) {
      cols.add("logits_dtype");
    }
    if (labels.equals(DataTypes.BinaryType)) {
      cols.add("labels_dtype");
    }
    return cols;
  }

  /**
   * The schema to read shards of schema {@code actual} with: the columns {@code needed} (as
   * {@link #check} returned them), of their types in {@code actual}, nullable (arrays with
   * nullable elements). Reading with it
   * instead of letting Spark infer a schema from one file reads every file alike.
   */
  public static StructType readSchema(StructType actual, List<String> needed) {
    StructType out = new StructType();
    for (String name : needed) {
      DataType t = actual.apply(name).dataType();
      if (t instanceof ArrayType a) { // whether a file's arrays may hold nulls does not matter
        t = DataTypes.createArrayType(a.elementType(), true);
      }
      out = out.add(name, t, true);
    }
    return out;
  }

  /**
   * How a file of read schema {@code schema} ({@link #readSchema}) stores its columns, whatever
   * the width of its integers: {@code schema} with every integer column, and the elements of an
   * integer array {@code labels}, as bigint. Files of one layout read together, with the
   * {@link #wider} of their read schemas.
   */
  static StructType layout(StructType schema) {
    StructType out = new StructType();
    for (StructField f : schema.fields()) {
      DataType t = f.dataType();
      if (INTS.contains(f.name())) {
        t = widen(t, DataTypes.LongType);
      } else if (f.name().equals("labels")) { // not logits: array<smallint> is float16 there
        t = widen(t, DataTypes.createArrayType(DataTypes.LongType, true));
      }
      out = out.add(f.name(), t, f.nullable());
    }
    return out;
  }

  /**
   * The read schema for files of read schemas {@code a} and {@code b} of one {@link #layout}:
   * each integer column (and array element) of the wider of the two types. Spark's Parquet
   * reader widens a narrower integer column exactly (tinyint, smallint and int to bigint; also
   * Parquet {@code UINT_8}, {@code UINT_16} and {@code UINT_32}).
   */
  static StructType wider(StructType a, StructType b) {
    StructType out = new StructType();
    for (StructField f : a.fields()) {
      out = out.add(f.name(), widen(f.dataType(), b.apply(f.name()).dataType()), f.nullable());
    }
    return out;
  }

  /**
   * {@code t}, an integer type or array of them, as wide as {@code other} is (its elements);
   * any other type as it is.
   */
  private static DataType widen(DataType t, DataType other) {
    if (t instanceof ArrayType a && other instanceof ArrayType o) {
      return DataTypes.createArrayType(widen(a.elementType(), o.elementType()), true);
    }
    return isInteger(t) && isInteger(other) && other.defaultSize() > t.defaultSize() ? other : t;
  }

  /**
   * The columns of {@code actual} that are neither in {@link #SCHEMA} nor in {@link #OPTIONAL}
   * (a renamed column, one another tool adds such as pandas' {@code __index_level_0__}), in
   * their order: the reader does not read them.
   */
  public static List<String> unknownColumns(StructType actual) {
    List<String> out = new java.util.ArrayList<>();
    for (StructField f : actual.fields()) {
      if (!known(SCHEMA, f.name()) && !known(OPTIONAL, f.name())) {
        out.add(f.name());
      }
    }
    return out;
  }

  private static boolean known(StructType schema, String name) {
    return schema.getFieldIndex(name).isDefined();
  }

  private static DataType type(StructType actual, String source, String name,
      String expected) {
    for (StructField f : actual.fields()) {
      if (f.name().equals(name)) {
        return f.dataType();
      }
    }
    List<String> unknown = unknownColumns(actual);
    throw new BadRecordException(source, null, "not an ohem-spark shard: no column '" + name
        + "' (expected " + expected + ")" + (unknown.isEmpty() ? ""
            : "; columns not in the shard schema: " + unknown));
  }

  private static void require(StructType actual, String source, String name, DataType t) {
    DataType found = type(actual, source, name, t.simpleString());
    if (!found.equals(t)) {
      throw new BadRecordException(source, null, "column " + name + " is "
          + found.simpleString() + ", expected " + t.simpleString());
    }
  }

  private static void requireInteger(StructType actual, String source, String name) {
    DataType found = type(actual, source, name, INT_TYPES);
    if (!isInteger(found)) {
      throw new BadRecordException(source, null, "column " + name + " is "
          + found.simpleString() + ", expected " + INT_TYPES + (found.equals(DataTypes
          .createDecimalType(20, 0)) ? "; decimal(20,0) is how Spark reads an unsigned 64-bit "
          + "(UINT_64) Parquet column: write it as a signed int64 or int32" : ""));
    }
  }

  private static boolean isInteger(DataType t) {
    return java.util.Arrays.asList(INTEGERS).contains(t);
  }

  private static boolean isArrayOf(DataType t, DataType... elements) {
    if (!(t instanceof ArrayType a)) {
      return false;
    }
    for (DataType e : elements) {
      if (a.elementType().equals(e)) {
        return true;
      }
    }
    return false;
  }

  /**
   * One image as a row of {@link #SCHEMA}.
   *
   * @param logits {@code [C, h, w]}; {@link StoredLogits} (a {@link DenseLogits}, logits read
   *     from an npy file or tar member) keep their dtype, anything else is stored as float64
   * @param labels {@code [H, W]} row-major, after the label convention
   * @throws BadRecordException if the logits are larger than a binary value holds (2 GiB)
   */
  public static Row toRow(String imageId, Logits logits, int height, int width, int[] labels) {
    String dtype;
    byte[] bytes;
    if (logits instanceof StoredLogits d) {
      dtype = d.dtype().name().toLowerCase(Locale.ROOT);
      bytes = d.toLittleEndianCOrder();
    } else {
      dtype = "float64";
      bytes = asFloat64(logits);
    }
    int min = 0;
    int max = 0;
    for (int v : labels) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    String labelsDtype = min < 0 || max > 0xffff ? "int32" : max > 0xff ? "uint16" : "uint8";
    return RowFactory.create(imageId, height, width, logits.channels(), logits.height(),
        logits.width(), dtype, bytes, labelsDtype, encodeLabels(labels, labelsDtype));
  }

  private static byte[] asFloat64(Logits logits) {
    int w = logits.width();
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(
        logits.channels() * logits.height(), w), 8)).order(ByteOrder.LITTLE_ENDIAN);
    double[] row = new double[w];
    for (int c = 0; c < logits.channels(); c++) {
      for (int y = 0; y < logits.height(); y++) {
        logits.readRow(c, y, row, 0);
        for (double v : row) {
          b.putDouble(v);
        }
      }
    }
    return b.array();
  }

  private static byte[] encodeLabels(int[] labels, String dtype) {
    ByteBuffer b = ByteBuffer.allocate(labels.length * labelSize(dtype))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int v : labels) {
      switch (dtype) {
        case "uint8" -> b.put((byte) v);
        case "uint16" -> b.putShort((short) v);
        default -> b.putInt(v);
      }
    }
    return b.array();
  }

  private static int labelSize(String dtype) {
    return switch (dtype) {
      case "uint8" -> 1;
      case "uint16" -> 2;
      case "int32" -> 4;
      default -> -1;
    };
  }

  /**
   * Decodes a row holding the columns {@link #check} returned into an {@link ImageRecord}
   * whose stored labels are the shard's labels (so mine shards with the {@code train_ids}
   * convention: the ingest already applied the dataset's).
   *
   * @param source the shard file, for messages
   * @throws BadRecordException naming the shard and image id when a value is null (the image
   *     id too, or empty), a size is not in {@code [1, 2^31-1]} or an array label does not fit
   *     an int (naming the column and the value), a dtype is unknown, or a column's length does
   *     not match the shape
   */
  public static ImageRecord toRecord(Row row, String source) {
    return toRecord(row, source, -1);
  }

  /**
   * {@link #toRecord(Row, String)} for a row whose position in its file is known: the message
   * for a row without an image id (null or empty) names that position, the only thing that
   * tells the row apart.
   *
   * @param source the shard file, for messages
   * @param rowIndex the row's 0-based index among all rows of {@code source} (Spark's
   *     {@code _metadata.row_index}, whichever task reads it); negative when unknown
   */
  public static ImageRecord toRecord(Row row, String source, long rowIndex) {
    String id = row.getAs("image_id");
    try {
      if (id == null || id.isEmpty()) { // every output names images by id: one is needed
        throw new BadRecordException(null, null, "column image_id is "
            + (id == null ? "null" : "an empty string") + (rowIndex < 0 ? ""
            : " in row " + rowIndex + " of the file (counting from 0)")
            + ": every image needs an id");
      }
      int h = size(row, "height");
      int w = size(row, "width");
      int c = size(row, "classes");
      int lh = size(row, "logits_height");
      int lw = size(row, "logits_width");
      Logits logits = logits(row, c, lh, lw);
      int[] labels = labels(row, Math.multiplyExact(h, w));
      return new ImageRecord(id, source, logits, h, w, labels);
    } catch (BadRecordException e) {
      throw e.withContext(source, id);
    }
  }

  /** A size column of any integer type ({@link #check}) as an int, checked to be positive. */
  static int size(Row row, String name) {
    Object v = row.getAs(name);
    if (v == null) {
      throw new BadRecordException(null, null, "column " + name + " is null");
    }
    long n = ((Number) v).longValue();
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new BadRecordException(null, null, "column " + name + " is " + n + ": a size "
          + "must be in [1, " + Integer.MAX_VALUE + "]");
    }
    return (int) n;
  }

  private static Logits logits(Row row, int c, int h, int w) {
    int idx = row.fieldIndex("logits");
    if (row.isNullAt(idx)) {
      throw new BadRecordException(null, null, "column logits is null");
    }
    long n = (long) c * h * w;
    Object v = row.get(idx);
    DenseLogits.DType dtype;
    ByteBuffer data;
    if (v instanceof byte[] bytes) {
      String name = row.getAs("logits_dtype");
      dtype = switch (name == null ? "" : name) {
        case "float16" -> DenseLogits.DType.FLOAT16;
        case "float32" -> DenseLogits.DType.FLOAT32;
        case "float64" -> DenseLogits.DType.FLOAT64;
        default -> throw new BadRecordException(null, null, name == null
            ? "column logits_dtype is null" : "logits_dtype is '" + name
            + "', expected float16, float32 or float64");
      };
      if (bytes.length != n * dtype.size) {
        throw new BadRecordException(null, null, "logits hold " + bytes.length + " bytes, "
            + "expected C*h*w*" + dtype.size + " = " + n * dtype.size + " for [" + c + ", " + h
            + ", " + w + "] " + name);
      }
      data = ByteBuffer.wrap(bytes);
    } else {
      List<Object> list = row.getList(idx);
      if (list.size() != n) {
        throw new BadRecordException(null, null, "logits hold " + list.size() + " values, "
            + "expected C*h*w = " + n + " for [" + c + ", " + h + ", " + w + "]");
      }
      Object first = list.isEmpty() ? null : list.get(0);
      dtype = first instanceof Short ? DenseLogits.DType.FLOAT16
          : first instanceof Double ? DenseLogits.DType.FLOAT64 : DenseLogits.DType.FLOAT32;
      data = ByteBuffer.allocate(Math.toIntExact(n * dtype.size)).order(ByteOrder.LITTLE_ENDIAN);
      for (Object o : list) {
        if (o == null) {
          throw new BadRecordException(null, null, "logits array holds a null");
        }
        switch (dtype) {
          case FLOAT16 -> data.putShort((Short) o);
          case FLOAT64 -> data.putDouble((Double) o);
          default -> data.putFloat((Float) o);
        }
      }
      data.flip();
    }
    return new DenseLogits(data, ByteOrder.LITTLE_ENDIAN, dtype, c, h, w, false);
  }

  static int[] labels(Row row, int n) {
    int idx = row.fieldIndex("labels");
    if (row.isNullAt(idx)) {
      throw new BadRecordException(null, null, "column labels is null");
    }
    Object v = row.get(idx);
    int[] out = new int[n];
    if (v instanceof byte[] bytes) {
      String dtype = row.getAs("labels_dtype");
      int size = labelSize(dtype == null ? "" : dtype);
      if (size < 0) {
        throw new BadRecordException(null, null, "labels_dtype is '" + dtype
            + "', expected uint8, uint16 or int32");
      }
      if (bytes.length != (long) n * size) {
        throw new BadRecordException(null, null, "labels hold " + bytes.length + " bytes, "
            + "expected H*W*" + size + " = " + (long) n * size + " (" + dtype + ")");
      }
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) {
        out[i] = switch (size) {
          case 1 -> b.get(i) & 0xff;
          case 2 -> b.getShort(2 * i) & 0xffff;
          default -> b.getInt(4 * i);
        };
      }
      return out;
    }
    List<Object> list = row.getList(idx);
    if (list.size() != n) {
      throw new BadRecordException(null, null, "labels hold " + list.size() + " values, "
          + "expected H*W = " + n);
    }
    for (int i = 0; i < n; i++) {
      Object o = list.get(i);
      if (o == null) {
        throw new BadRecordException(null, null, "labels array holds a null at " + i);
      }
      long label = ((Number) o).longValue(); // any integer type (check)
      if (label != (int) label) {
        throw new BadRecordException(null, null, "column labels holds " + label + " at " + i
            + ", which does not fit a 32-bit label");
      }
      out[i] = (int) label;
    }
    return out;
  }
}
