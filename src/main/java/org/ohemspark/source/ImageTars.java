package org.ohemspark.source;

import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.io.LabelDecoder;
import org.ohemspark.io.WebDatasetTar;
import org.ohemspark.model.LabelledImage;
import org.ohemspark.spark.HadoopConf;

/**
 * WebDataset tars of images for a model ({@code --model}): as the tars of logits
 * ({@link WebDatasetTars}, whose listing, index pass, cutting into pieces and streaming this
 * reuses), but each sample holds one image member {@code <key>.jpg}, {@code <key>.jpeg} or
 * {@code <key>.png} (encoded, any case) in place of {@code <key>.logits.npy}, and the same
 * label members ({@code <key>.seg.png}, {@code <key>.label.png} or {@code <key>.labels.npy}).
 * Other members ({@code <key>.json}, {@code <key>.logits.npy}, ...) are passed over unread
 * (a {@code <key>.json} is read for its batch with {@code --group-by batch}: {@link TarBatches}).
 *
 * <p>Bad samples and tars are those of {@link WebDatasetTars}, by the same {@link BadRecordMode}
 * and with the same messages, where "logits" reads "image": a sample without its image or
 * label, with two of either, a key repeated in a tar or across tars, a truncated or corrupt
 * tar. A label that cannot be decoded is a bad record naming its member
 * ({@code <tar>!/<member>}) and key; an image that cannot be decoded is found by
 * {@link InferredLogits}, naming the image member.
 */
public final class ImageTars implements LabelledImageSource {
  private static final long serialVersionUID = 1L;
  private final String input;
  private final WebDatasetTars tars;

  /**
   * The tars in the folder {@code input}, or the single tar {@code input} (any Hadoop URI), bad
   * samples handled as {@code mode} says (the miner's mode).
   */
  public ImageTars(String input, BadRecordMode mode) {
    this.input = input;
    this.tars = new WebDatasetTars(input, mode, WebDatasetTar.Payload.IMAGE);
  }

  @Override
  public String describe() {
    return "WebDataset image tars " + input;
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
   * As {@link WebDatasetTars#records(SparkSession, Partitioning)} at
   * {@link Partitioning#forEncodedImages} ({@code partition_bytes / 16}): tars larger than the
   * split size cut between samples into pieces, tars and pieces packed next-fit by their bytes
   * (members and headers) plus {@link Partitioning#OPEN_COST_BYTES} per sample (per tar not
   * cut); by count, whole tars.
   */
  @Override
  public Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    return tars.records(spark, partitioning.forEncodedImages());
  }

  /** As {@link WebDatasetTars#batches}: each sample's {@code <key>.json} {@code batch}. */
  @Override
  public Dataset<Row> batches(SparkSession spark) {
    return tars.batches(spark);
  }

  /**
   * The samples of one piece of a tar, in archive order: the image's bytes (undecoded) and the
   * decoded label.
   *
   * @throws BadRecordException as {@link WebDatasetTars#readAll}: from {@code next()} for a
   *     malformed sample or a label that cannot be decoded (naming the label member and key),
   *     from {@code hasNext()} when the rest of the tar cannot be read
   */
  @Override
  public Iterator<LabelledImage> readAll(Row record, HadoopConf conf) {
    Iterator<WebDatasetTar.Sample> samples = tars.samples(record, conf);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return samples.hasNext();
      }

      @Override
      public LabelledImage next() {
        return labelled(samples.next());
      }
    };
  }

  /** A streamed sample of images as the model's input. */
  static LabelledImage labelled(WebDatasetTar.Sample s) {
    String image = s.source(s.dataMember());
    LabelDecoder.Mask m;
    try {
      m = LabelDecoder.decode(s.source(s.labelsMember()), s.key(), s.labels());
    } catch (BadRecordException e) {
      throw e.withContext(s.source(s.labelsMember()), s.key());
    }
    // both members, as a logits tar's record names both
    return new LabelledImage(s.key(), image + ", " + s.labelsMember(), image, s.image(),
        m.height(), m.width(), m.values());
  }
}
