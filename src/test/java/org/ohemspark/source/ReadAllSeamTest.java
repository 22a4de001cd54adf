package org.ohemspark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.OhemParams;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.testing.ArrayLogits;
import org.ohemspark.testing.SparkTestSession;

/**
 * The {@link ImageSource#readAll} seam: a source whose rows hold two images each (as a tar
 * holds many) mines exactly as a source with one row per image holding the same images.
 */
class ReadAllSeamTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("read-all-seam");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Image {@code n}: 2 classes, 3x4, logits depending on n, labels 0/1 with one ignored. */
  static ImageRecord image(int n) {
    double[] v = new double[2 * 3 * 4];
    int[] labels = new int[12];
    for (int i = 0; i < 12; i++) {
      v[i] = Math.sin(n * 7.0 + i);
      v[12 + i] = Math.cos(n * 3.0 + i * 0.5);
      labels[i] = i == n % 12 ? 255 : (i + n) % 2;
    }
    return new ImageRecord(String.format("img%02d", n), "test", new ArrayLogits(2, 3, 4, v),
        3, 4, labels);
  }

  /** Rows 0..rows-1; row r holds images {@code perRow*r .. perRow*r + perRow - 1}. */
  record Synthetic(int rows, int perRow) implements ImageSource {
    @Override
    public Dataset<Row> records(SparkSession s, int partitions) {
      return s.range(rows).toDF("row").repartition(2);
    }

    @Override
    public ImageRecord read(Row record, HadoopConf conf) {
      if (perRow != 1) {
        throw new IllegalStateException("many images per row: readAll only");
      }
      return image((int) record.getLong(0));
    }

    @Override
    public Iterator<ImageRecord> readAll(Row record, HadoopConf conf) {
      if (perRow == 1) {
        return ImageSource.super.readAll(record, conf);
      }
      List<ImageRecord> out = new ArrayList<>();
      for (int i = 0; i < perRow; i++) {
        out.add(image((int) record.getLong(0) * perRow + i));
      }
      return out.iterator();
    }

    @Override
    public String describe() {
      return "synthetic";
    }
  }

  @Test
  void manyImagesPerRowMineAsOneImagePerRow() {
    OhemParams p = OhemParams.DEFAULTS.withFactor(4);
    try (OhemMiner.Result one = OhemMiner.on(spark).params(p).mine(new Synthetic(6, 1));
        OhemMiner.Result two = OhemMiner.on(spark).params(p).mine(new Synthetic(3, 2))) {
      assertEquals(6, one.summary().nImages());
      assertEquals(one.summary(), two.summary());
      assertEquals(one.hardPixels().sort("image_id", "pixel_index").collectAsList(),
          two.hardPixels().sort("image_id", "pixel_index").collectAsList());
      assertEquals(one.images().sort("image_id").collectAsList(),
          two.images().sort("image_id").collectAsList());
    }
  }

  @Test
  void rowsWithoutImagesAreSkipped() {
    org.ohemspark.core.BadRecordException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.ohemspark.core.BadRecordException.class,
        () -> OhemMiner.on(spark).mine(new Synthetic(4, 0)));
    assertEquals(true, e.getMessage().contains("empty dataset"), e.getMessage());
  }
}
