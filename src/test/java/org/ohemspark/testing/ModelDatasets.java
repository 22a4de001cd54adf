package org.ohemspark.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A small image directory for a model ({@code images/}, {@code labels/}, {@code dataset.json})
 * and beside it the same dataset with the logits stored ({@code logits/<id>.npy}, float32),
 * computed by independent arithmetic: the tiny model of {@link TinyOnnx} (weights
 * {@link #WEIGHTS}, bias {@link #BIAS}) applied to {@code (v / 255 - mean) / std} of the pixel
 * values written. Three images: an RGB PNG (6x8), a palette PNG (6x8) and a grey PNG (5x7).
 */
public final class ModelDatasets {
  private ModelDatasets() {}

  /** y0 = x2, y1 = 2 x0 + 0.5, y2 = x1, y3 = x2 - x0: at most one float rounding each. */
  public static final float[][] WEIGHTS = {{0, 0, 1}, {2, 0, 0}, {0, 1, 0}, {-1, 0, 1}};
  public static final float[] BIAS = {0, 0.5f, 0, 0};
  public static final double[] MEAN = {0.485, 0.456, 0.406};
  public static final double[] STD = {0.229, 0.224, 0.225};

  /** The declaration of the tiny model, as model.json text. */
  public static final String MODEL_JSON = "{\"input\": \"image\", \"input_size\": \"none\", "
      + "\"resize\": \"none\", \"channel_order\": \"RGB\", \"scale\": \"1/255\", "
      + "\"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225], "
      + "\"output\": \"scores\", \"output_kind\": \"logits\", \"classes\": 4}";

  /** The tiny model: free batch, height and width. */
  public static byte[] model() {
    return TinyOnnx.conv1x1("image", new Long[] {null, 3L, null, null}, "scores",
        new Long[] {null, 4L, null, null}, WEIGHTS, BIAS, false);
  }

  /** The model's logits of one pixel, by independent float arithmetic. */
  public static float[] logits(double r, double g, double b) {
    float x0 = (float) ((r / 255.0 - MEAN[0]) / STD[0]);
    float x1 = (float) ((g / 255.0 - MEAN[1]) / STD[1]);
    float x2 = (float) ((b / 255.0 - MEAN[2]) / STD[2]);
    return new float[] {x2, 2f * x0 + 0.5f, x1, x2 - x0};
  }

  /**
   * Writes {@code images} (images/, labels/, dataset.json) and {@code stored} (logits/, the
   * same labels/, dataset.json).
   */
  public static void write(Path images, Path stored) throws IOException {
    for (Path d : new Path[] {images.resolve("images"), images.resolve("labels"),
        stored.resolve("logits"), stored.resolve("labels")}) {
      Files.createDirectories(d);
    }
    image(images, stored, "a", 6, 8, 0);
    image(images, stored, "b", 6, 8, 1);
    image(images, stored, "c", 5, 7, 2);
    for (Path d : new Path[] {images, stored}) {
      Files.writeString(d.resolve("dataset.json"), "{\"classes\": 4}");
    }
  }

  /**
   * Writes the images of the image directory {@code images} as Parquet image shards under
   * {@code shards} (two files: image, labels as uint8 bytes, a {@code _dataset.json} of 4
   * classes and {@code train_ids}, the labels being the class ids already).
   *
   * @return {@code shards}
   */
  public static Path toShards(org.apache.spark.sql.SparkSession spark, Path images, Path shards)
      throws IOException {
    java.util.List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (String id : java.util.List.of("a", "b", "c")) {
      java.awt.image.Raster l = ImageIO.read(images.resolve("labels/" + id + ".png").toFile())
          .getRaster();
      int h = l.getHeight();
      int w = l.getWidth();
      int[] v = l.getSamples(0, 0, w, h, 0, new int[h * w]);
      byte[] labels = new byte[v.length];
      for (int i = 0; i < v.length; i++) {
        labels[i] = (byte) v[i];
      }
      rows.add(org.apache.spark.sql.RowFactory.create(id, (long) h, w,
          Files.readAllBytes(images.resolve("images/" + id + ".png")), labels, "uint8"));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("image_id", "string").add("height", "bigint").add("width", "int")
        .add("image", "binary").add("labels", "binary").add("labels_dtype", "string");
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(shards.toString());
    Files.writeString(shards.resolve("_dataset.json"), "{\"classes\": 4, "
        + "\"label_convention\": \"train_ids\"}");
    return shards;
  }

  private static void image(Path images, Path stored, String id, int h, int w, int kind)
      throws IOException {
    int n = h * w;
    double[][] rgb = new double[3][n];
    byte[] encoded;
    if (kind == 1) {
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = (i * 53 + 7) % 256;
        rgb[0][i] = (255 - 7 * idx[i]) & 0xff; // Pngs.palette's colours
        rgb[1][i] = (40 * idx[i]) & 0xff;
        rgb[2][i] = (100 + 3 * idx[i]) & 0xff;
      }
      encoded = Pngs.palette(h, w, idx);
    } else if (kind == 2) {
      int[] grey = new int[n];
      for (int i = 0; i < n; i++) {
        grey[i] = (i * 29 + 3) % 256;
        rgb[0][i] = rgb[1][i] = rgb[2][i] = grey[i];
      }
      encoded = Pngs.grey8(h, w, grey);
    } else {
      BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      for (int i = 0; i < n; i++) {
        int r = (i * 37) % 256;
        int g = (i * 11 + 100) % 256;
        int b = 255 - (i * 5) % 256;
        rgb[0][i] = r;
        rgb[1][i] = g;
        rgb[2][i] = b;
        img.setRGB(i % w, i / w, r << 16 | g << 8 | b);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "png", out);
      encoded = out.toByteArray();
    }
    Files.write(images.resolve("images/" + id + ".png"), encoded);
    float[] logits = new float[4 * n];
    for (int i = 0; i < n; i++) {
      float[] l = logits(rgb[0][i], rgb[1][i], rgb[2][i]);
      for (int c = 0; c < 4; c++) {
        logits[c * n + i] = l[c];
      }
    }
    Files.write(stored.resolve("logits/" + id + ".npy"), NpyBytes.file("<f4", false,
        new long[] {4, h, w}, NpyBytes.floats(ByteOrder.LITTLE_ENDIAN, logits)));
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 9 == 4 ? 255 : (i * 7 + kind) % 4;
    }
    byte[] label = Pngs.grey8(h, w, labels);
    Files.write(images.resolve("labels/" + id + ".png"), label);
    Files.write(stored.resolve("labels/" + id + ".png"), label);
  }
}
