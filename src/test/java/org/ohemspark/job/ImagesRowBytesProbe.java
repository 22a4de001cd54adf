package org.ohemspark.job;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.ohemspark.testing.SparkTestSession;

/**
 * The size on disk of an {@code images/} row now that it holds {@code hard_mask}, for
 * {@code ImageReport}'s row-size estimate; not a test (run it alone:
 * {@code mvn -o test -Dtest=ImagesRowBytesProbe}). Mines the real folders of
 * {@code ../shared/data/real} and a synthetic dataset with both scopes and prints, per run, the
 * Parquet bytes per row, the mean {@code hard_mask} length and its characters per kept pixel.
 * With {@code -Dohem.probe.dump=DIR} it also writes each run's masks and hard pixels as text
 * ({@code id H W counts} lines, then {@code id pixel_index} lines), for a check with
 * pycocotools' own C code outside the build.
 */
class ImagesRowBytesProbe {

  @Test
  void printImagesRowBytes() throws IOException {
    SparkSession spark = SparkTestSession.create("images-row-bytes");
    Path work = Files.createTempDirectory("images-row-bytes");
    try {
      List<Path> inputs = new ArrayList<>();
      Path real = Paths.get(System.getProperty("ohem.shared.dir", "../shared"), "data", "real");
      for (String f : List.of("pan_skin_clothes_hair", "cityscapes_trainids", "ade20k",
          "voc2012", "camvid")) {
        if (Files.isDirectory(real.resolve(f))) {
          inputs.add(real.resolve(f));
        }
      }
      Path synth = work.resolve("synthetic");
      JobRun g = JobRun.of(OhemGenerateJob::run, spark, "--output", synth.toString(),
          "--images", "24", "--height", "256", "--width", "320", "--classes", "19");
      if (g.code() != 0) {
        throw new IllegalStateException(g.err());
      }
      inputs.add(synth);
      String dump = System.getProperty("ohem.probe.dump");
      for (Path in : inputs) {
        for (String scope : List.of("dataset", "image")) {
          Path out = work.resolve(in.getFileName() + "-" + scope);
          JobRun r = JobRun.of(OhemMineJob::run, spark, "--input", in.toString(), "--output",
              out.toString(), "--group-by", scope);
          if (r.code() != 0) {
            throw new IllegalStateException(r.err());
          }
          long bytes;
          try (Stream<Path> files = Files.list(out.resolve("images"))) {
            bytes = files.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> {
              try {
                return Files.size(p);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            }).sum();
          }
          List<Row> rows = spark.read().parquet(out.resolve("images").toString())
              .collectAsList();
          long chars = 0;
          long kept = 0;
          long pixels = 0;
          for (Row x : rows) {
            chars += x.<String>getAs("hard_mask").length();
            kept += x.<Long>getAs("n_kept");
            pixels += (long) x.<Integer>getAs("height") * x.<Integer>getAs("width");
          }
          System.out.printf(Locale.ROOT, "%-28s %-7s images %4d  px/image %8d  kept/image %8d"
                  + "  bytes/row %9.1f  mask chars/row %9.1f  chars/kept px %.3f"
                  + "  file bytes/kept px %.3f%n", in.getFileName(), scope, rows.size(),
              pixels / rows.size(), kept / rows.size(), (double) bytes / rows.size(),
              (double) chars / rows.size(), (double) chars / Math.max(1, kept),
              (double) bytes / Math.max(1, kept));
          if (dump != null) {
            Path d = Paths.get(dump, in.getFileName() + "-" + scope + ".txt");
            Files.createDirectories(d.getParent());
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(d))) {
              for (Row x : rows) {
                w.printf("M %s %d %d %s%n", x.<String>getAs("image_id"),
                    x.<Integer>getAs("mask_height"), x.<Integer>getAs("mask_width"),
                    x.<String>getAs("hard_mask"));
              }
              for (Row h : spark.read().parquet(out.resolve("hard_pixels").toString())
                  .select("image_id", "pixel_index").collectAsList()) {
                w.printf("P %s %d%n", h.getString(0), h.getLong(1));
              }
            }
          }
        }
      }
    } finally {
      spark.stop();
    }
  }
}
