package org.ohemspark.source;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.spark.HadoopConf;
import org.apache.spark.sql.internal.SQLConf$;

/**
 * The footers of Parquet files, read on the executors (a small Spark job, one footer read per
 * file: O(files), no data page read): each file's row count, its own schema (as Spark types) and
 * the sizes of its row groups, or why its footer cannot be read (truncated file, garbage in
 * place of the footer, not a Parquet file). Each file's schema is its own: Spark's schema
 * inference would take one file's (which one depends on the listing order) for all.
 */
public final class ParquetFooters {
  private ParquetFooters() {}

  /**
   * One file's footer.
   *
   * @param file the file, as {@link #normalize} writes it
   * @param rows the rows the footer declares (0 when unreadable)
   * @param schema the file's schema as Spark reads it (null when unreadable)
   * @param error why the footer cannot be read, or null
   * @param largest the file's largest row group by {@link RowGroup#bytes}, or null (no row
   *     group, or unreadable)
   * @param rowBytes the most bytes one row of the shard columns takes decoded (uncompressed),
   *     averaged over each row group, the largest of those; 0 when unknown
   */
  @DefaultSerializer(JavaSerializer.class) // a task result: Kryo cannot build records
  public record Footer(String file, long rows, StructType schema, String error, RowGroup largest,
      long rowBytes) implements Serializable {
    Footer(String file, long rows, StructType schema, String error) {
      this(file, rows, schema, error, null, 0);
    }

    boolean readable() {
      return error == null;
    }
  }

  /**
   * One row group, counting only the shard schema's columns ({@link ShardSchema#SCHEMA}: the
   * only ones a shard read selects; Parquet's reader reads just the column chunks selected).
   *
   * @param index the row group's 0-based position in its file
   * @param rows its rows
   * @param bytes its column chunks of those columns, as stored (compressed): what Parquet's
   *     reader holds in memory at once to read the row group
   * @param column the largest of those column chunks, and its {@code columnBytes}
   */
  record RowGroup(int index, long rows, long bytes, String column, long columnBytes)
      implements Serializable {}

  /**
   * The footers of {@code files} (URIs), sorted by file.
   *
   * @throws org.apache.spark.SparkException (unchecked from Scala) only if the job itself fails;
   *     an unreadable footer is a {@link Footer#error}, not an exception
   */
  static List<Footer> read(SparkSession spark, List<String> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    HadoopConf conf = new HadoopConf(schemaConf(spark));
    int slices = Math.max(1, Math.min(files.size(), spark.sparkContext().defaultParallelism()));
    List<Footer> out = new ArrayList<>(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(files, slices)
        .map(f -> footer(normalize(f), conf))
        .collect());
    out.sort(Comparator.comparing(Footer::file));
    return out;
  }

  /**
   * The session's Hadoop configuration with the SQL settings Spark's Parquet schema conversion
   * reads from it ({@code binaryAsString}, case sensitivity...), set as Spark's own Parquet
   * reader sets them, so a file's schema here is the one Spark reads.
   */
  private static Configuration schemaConf(SparkSession spark) {
    Configuration c = new Configuration(spark.sparkContext().hadoopConfiguration());
    SQLConf sql = spark.sessionState().conf();
    SQLConf$ keys = SQLConf$.MODULE$;
    for (String key : List.of(keys.PARQUET_BINARY_AS_STRING().key(),
        keys.PARQUET_INT96_AS_TIMESTAMP().key(), keys.CASE_SENSITIVE().key(),
        keys.PARQUET_INFER_TIMESTAMP_NTZ_ENABLED().key(),
        keys.LEGACY_PARQUET_NANOS_AS_LONG().key(), keys.PARQUET_FIELD_ID_READ_ENABLED().key(),
        keys.PARQUET_IGNORE_VARIANT_ANNOTATION().key(),
        keys.PARQUET_READER_RESPECT_UNKNOWN_TYPE_ANNOTATION().key())) {
      c.set(key, sql.getConfString(key));
    }
    return c;
  }

  /**
   * Reads one footer; any failure becomes the footer's error. The schema is converted as
   * Spark's Parquet reader converts it (with the session's settings in {@code conf}).
   */
  static Footer footer(String file, HadoopConf conf) {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file),
        conf.get()))) {
      StructType schema;
      try {
        schema = new ParquetToSparkSchemaConverter(conf.get())
            .convert(r.getFooter().getFileMetaData().getSchema());
      } catch (RuntimeException e) { // a Parquet type Spark has no type for
        return new Footer(file, r.getRecordCount(), null, "Parquet schema Spark cannot read ("
            + e + "): " + r.getFooter().getFileMetaData().getSchema());
      }
      RowGroup largest = null;
      long rowBytes = 0;
      List<BlockMetaData> blocks = r.getFooter().getBlocks();
      for (int i = 0; i < blocks.size(); i++) {
        BlockMetaData b = blocks.get(i);
        long bytes = 0;
        long decoded = 0;
        String column = null;
        long columnBytes = -1;
        for (ColumnChunkMetaData c : b.getColumns()) {
          String name = c.getPath().toArray()[0];
          if (!ShardSchema.SCHEMA.getFieldIndex(name).isDefined()) {
            continue;
          }
          bytes += c.getTotalSize();
          decoded += c.getTotalUncompressedSize();
          if (c.getTotalSize() > columnBytes) {
            column = name;
            columnBytes = c.getTotalSize();
          }
        }
        if (largest == null || bytes > largest.bytes()) {
          largest = new RowGroup(i, b.getRowCount(), bytes, column, columnBytes);
        }
        rowBytes = Math.max(rowBytes, decoded / Math.max(1, b.getRowCount()));
      }
      return new Footer(file, r.getRecordCount(), schema, null, largest, rowBytes);
    } catch (Exception e) { // IOException, RuntimeException: whatever the footer parser threw
      return new Footer(file, 0, null, "unreadable Parquet footer: "
          + HadoopConf.readFailure(file, e));
    }
  }

  /**
   * One spelling of a file URI ({@code file:///a/b} and {@code file:/a/b} are the same file),
   * as Hadoop's {@link Path} prints it: Spark's file listing and its {@code _metadata.file_path}
   * spell files differently.
   */
  static String normalize(String uri) {
    try {
      return new Path(new URI(uri)).toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return new Path(uri).toString();
    }
  }
}
