package org.ohemspark.source;

import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.io.NpyArray;
import org.ohemspark.io.NpyWriter;
import org.ohemspark.spark.HadoopConf;

/**
 * A generated dataset as an {@link ImageSource}: image {@code i} of {@code [0, images)} is
 * {@link SyntheticImage#generate}{@code (spec, i)}, made on the executor that reads it, with id
 * {@link #imageId}. The logits go through the same {@code .npy} encoding as the generator's npy
 * files ({@code [C, h, w]} little-endian float32, or float16 when {@code half}), so the Parquet
 * shards written from this source hold the same values as the npy dataset of the same flags.
 */
public final class SyntheticImages implements ImageSource {
  private static final long serialVersionUID = 1L;
  private static final StructType INDICES = new StructType()
      .add("image_id", DataTypes.StringType, false)
      .add("index", DataTypes.LongType, false);

  private final SyntheticImage.Spec spec;
  private final long images;
  private final boolean half;
  private final long badLabels;

  /**
   * @param images how many images, at least 1
   * @param half float16 logits (else float32)
   */
  public SyntheticImages(SyntheticImage.Spec spec, long images, boolean half) {
    this(spec, images, half, 0);
  }

  /**
   * @param images how many images, at least 1
   * @param half float16 logits (else float32)
   * @param badLabels how many of the images, the first ones by index, are bad records: their
   *     label at (0, 0) is {@code C}, outside {@code [0, C)} and not the ignore index (for
   *     trials of the bad-record path at scale); 0 to {@code images}
   * @throws IllegalArgumentException if {@code badLabels} is out of range, or above 0 with 255
   *     classes (no label value is then outside the classes but the ignore index)
   */
  public SyntheticImages(SyntheticImage.Spec spec, long images, boolean half, long badLabels) {
    if (images < 1) {
      throw new IllegalArgumentException("images must be >= 1, got " + images);
    }
    if (badLabels < 0 || badLabels > images) {
      throw new IllegalArgumentException("bad labels must be in [0, images], got " + badLabels);
    }
    if (badLabels > 0 && spec.classes() >= SyntheticImage.IGNORE) {
      throw new IllegalArgumentException("bad labels need classes below "
          + SyntheticImage.IGNORE + ", got " + spec.classes());
    }
    this.spec = spec;
    this.images = images;
    this.half = half;
    this.badLabels = badLabels;
  }

  /**
   * The labels of image {@code index} as written: the generated ones, with the label at (0, 0)
   * set to {@code C} for the first {@code badLabels} images.
   */
  public int[] labels(SyntheticImage img, long index) {
    if (index >= badLabels) {
      return img.labels();
    }
    int[] labels = img.labels().clone();
    labels[0] = spec.classes();
    return labels;
  }

  /** {@code img_NNNNNN}: sorts in index order. */
  public static String imageId(long i) {
    return String.format(Locale.ROOT, "img_%06d", i);
  }

  /**
   * {@link #records(SparkSession, Partitioning)}: {@code partitions} partitions, or by bytes at
   * the default target when 0.
   */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    return records(spark, Partitioning.of(partitions, Partitioning.DEFAULT_TARGET_BYTES));
  }

  /**
   * One row per image ({@code image_id}, {@code index}), contiguous index ranges of about equal
   * count ({@code spark.range}: nothing per image on the driver). By bytes, every image costs
   * {@link #imageBytes} and a partition holds at most {@code floor(split / cost)} of them
   * ({@link Partitioning#splitBytes}), so there are {@code ceil(images / that)} partitions.
   */
  @Override
  public Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    long parts;
    if (partitioning.byCount()) {
      parts = Math.min(images, partitioning.partitions());
    } else {
      long cost = Partitioning.cost(imageBytes());
      long total = images > Long.MAX_VALUE / cost ? Long.MAX_VALUE : cost * images;
      long split = partitioning.splitBytes(total, spark.sparkContext().defaultParallelism());
      long perPartition = Math.max(1, split / cost);
      parts = (images + perPartition - 1) / perPartition;
    }
    JavaRDD<Row> rows = spark.range(0, images, 1, (int) Math.min(Integer.MAX_VALUE, parts))
        .javaRDD().map(i -> RowFactory.create(imageId(i), i));
    return spark.createDataFrame(rows, INDICES);
  }

  /**
   * The bytes of one image as the generator's files hold it: the logits {@code .npy}
   * ({@code C * h * w} float16 or float32 values and its header) and a label of one byte per
   * pixel.
   */
  public long imageBytes() {
    long values = (long) spec.classes() * spec.logitsHeight() * spec.logitsWidth();
    return NpyWriter.header(half ? "<f2" : "<f4", spec.classes(), spec.logitsHeight(),
        spec.logitsWidth()).length + values * (half ? 2 : 4)
        + (long) spec.height() * spec.width();
  }

  /** Generates the image of a row. */
  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    long i = record.getAs("index");
    String id = imageId(i);
    SyntheticImage img = SyntheticImage.generate(spec, i);
    return new ImageRecord(id, "generated " + id, NpyArray.parse(id, logitsNpy(img))
        .asLogits(id), spec.height(), spec.width(), labels(img, i));
  }

  /**
   * The {@code .npy} file of an image's logits as the generator writes it: {@code [C, h, w]}
   * little-endian float32, or float16 when this dataset is half precision.
   */
  public byte[] logitsNpy(SyntheticImage img) {
    return NpyWriter.floats(img.logits(), half, spec.classes(), spec.logitsHeight(),
        spec.logitsWidth());
  }

  @Override
  public String describe() {
    return "generated dataset of " + images + " images";
  }
}
