package org.ohemspark.output;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.ohemspark.report.Thumbnails;
import org.ohemspark.spark.HadoopConf;
import scala.Tuple2;

/**
 * The pictures of the report's worst images, read and shrunk on the executors
 * ({@link Thumbnails#shrink}: at most {@link Thumbnails#MAX_WIDTH} pixels wide, PNG), so the
 * driver holds O(n) small pictures:
 *
 * <ul>
 *   <li>a dataset directory: {@code images/<id>.png}, {@code .jpg} or {@code .jpeg} beside
 *       {@code labels/} (the model's input with {@code --model}, or pictures kept beside stored
 *       logits), one task per few ids;</li>
 *   <li>Parquet shards with an {@code image} binary column (the model's input shards): the rows
 *       of those ids, read by Spark's Parquet reader with the id filter pushed down;</li>
 *   <li>WebDataset tars: the {@code <id>.png}, {@code .jpg} or {@code .jpeg} members of those
 *       ids (one task per few tars reads their headers and skips every other member,
 *       {@link TarPictures});</li>
 *   <li>anything else (logits shards, a directory without {@code images/}): none.</li>
 * </ul>
 *
 * An id without a picture, or whose picture cannot be read or decoded, is left out: the report
 * then draws its label mask, and a picture is never a reason to fail the job.
 */
public final class ReportPictures {
  private ReportPictures() {}

  /** The extensions tried in a directory, in order. */
  static final String[] EXTENSIONS = {".png", ".jpg", ".jpeg"};

  /**
   * Shrunk pictures by image id, for those of {@code ids} that have one.
   *
   * @param input the job's input
   */
  public static Map<String, byte[]> of(SparkSession spark, String input, List<String> ids,
      Broadcast<HadoopConf> conf) {
    Map<String, byte[]> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    try {
      Path in = new Path(input);
      FileSystem fs = in.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.isDirectory(new Path(in, "images"))) {
        List<Tuple2<String, byte[]>> got = JavaSparkContext.fromSparkContext(
            spark.sparkContext()).parallelize(new ArrayList<>(ids), Math.min(ids.size(),
                Math.max(1, spark.sparkContext().defaultParallelism())))
            .mapToPair(id -> new Tuple2<>(id, Thumbnails.shrink(readFromFolder(input, id,
                conf.value()))))
            .filter(t -> t._2() != null).collect();
        got.forEach(t -> out.put(t._1(), t._2()));
      } else if (!tars(fs, in).isEmpty()) {
        List<String> tars = tars(fs, in);
        List<String> wanted = new ArrayList<>(ids);
        List<Tuple2<String, byte[]>> got = JavaSparkContext.fromSparkContext(
            spark.sparkContext()).parallelize(tars, Math.min(tars.size(),
                Math.max(1, spark.sparkContext().defaultParallelism())))
            .flatMap(t -> TarPictures.read(t, new java.util.HashSet<>(wanted), conf.value())
                .iterator())
            .mapToPair(t -> new Tuple2<>(t._1(), Thumbnails.shrink(t._2())))
            .filter(t -> t._2() != null).collect();
        got.forEach(t -> out.putIfAbsent(t._1(), t._2()));
      } else if (fs.isDirectory(in) && hasParquetFiles(fs, in)
          && hasImageColumn(spark, input)) {
        Dataset<Row> rows = spark.read().parquet(input).select("image_id", "image")
            .where(col("image_id").isin(ids.toArray()));
        List<Tuple2<String, byte[]>> got = rows.toJavaRDD().map(r -> new Tuple2<>(
            r.getString(0), Thumbnails.shrink(r.isNullAt(1) ? null : (byte[]) r.get(1))))
            .filter(t -> t._2() != null).collect();
        got.forEach(t -> out.put(t._1(), t._2()));
      }
    } catch (Exception e) { // Spark's exceptions are thrown undeclared
      return new HashMap<>(); // pictures are optional: the report draws the label masks
    }
    return out;
  }

  /** The input's {@code *.tar} files (the input itself when it is one), by name. */
  private static List<String> tars(FileSystem fs, Path in) throws IOException {
    List<String> out = new ArrayList<>();
    if (fs.isFile(in)) {
      if (in.getName().endsWith(".tar")) {
        out.add(in.toString());
      }
      return out;
    }
    for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(in)) {
      String n = f.getPath().getName();
      if (f.isFile() && n.endsWith(".tar") && !n.startsWith(".") && !n.startsWith("_")) {
        out.add(f.getPath().toString());
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** Whether the folder holds {@code *.parquet} files (not hidden ones). */
  private static boolean hasParquetFiles(FileSystem fs, Path in) throws IOException {
    for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(in)) {
      String n = f.getPath().getName();
      if (f.isFile() && n.endsWith(".parquet") && !n.startsWith(".") && !n.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasImageColumn(SparkSession spark, String input) {
    try {
      return java.util.Arrays.stream(spark.read().parquet(input).schema().fields())
          .anyMatch(f -> f.name().equals("image") && f.dataType().equals(DataTypes.BinaryType));
    } catch (Exception e) { // Spark's exceptions are thrown undeclared
      return false;
    }
  }

  /** {@code images/<id>.png|jpg|jpeg} of a dataset directory, or null. */
  static byte[] readFromFolder(String input, String imageId, HadoopConf conf) {
    try {
      Path folder = new Path(input, "images");
      FileSystem fs = folder.getFileSystem(conf.get());
      for (String ext : EXTENSIONS) {
        Path p = new Path(folder, imageId + ext);
        if (fs.isFile(p)) {
          return conf.readAll(p.toString());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    return null;
  }
}
