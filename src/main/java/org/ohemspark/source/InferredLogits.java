package org.ohemspark.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.Logits;
import org.ohemspark.io.ImageDecoder.RgbImage;
import org.ohemspark.io.ImageDecoder;
import org.ohemspark.model.LabelledImage;
import org.ohemspark.model.ModelRunner;
import org.ohemspark.model.ModelSpec;
import org.ohemspark.model.OnnxModel;
import org.ohemspark.spark.HadoopConf;

/**
 * The {@link ImageSource} of {@code --model}: the images of a {@link LabelledImageSource} with
 * the logits a model gives them, inferred on the executors. Everything after the logits (the
 * resize to the label size, the loss, OHEM, the outputs, bad records) is the miner's, exactly
 * as for stored logits.
 *
 * <p>The model's bytes are a broadcast (sent once per executor); each executor JVM loads one
 * ONNX Runtime session per model and thread count ({@link OnnxModel#shared}) that its tasks
 * share. Images are decoded ({@link ImageDecoder}) and run in batches of up to {@code batch}
 * consecutive images of one input size; where {@code batch > 1}, {@link #records} groups up to
 * {@code batch} consecutive input rows of a partition into one row (column {@code _rows}), so
 * that a batch may span rows. Per task, memory holds one batch: its images, the input tensor,
 * the output and the logits.
 *
 * <p>Bad records: an image that cannot be decoded, or that has another size than a fixed
 * {@code input_size} when {@code resize} is none, is a {@link BadRecordException} naming its
 * file, from {@code next()} in its place; a run that fails (ONNX Runtime refuses it, or its
 * output is not {@code [N, C, h, w]} with the declared class count) makes each image of its
 * batch a bad record naming the model and what was expected.
 */
public final class InferredLogits implements ImageSource {
  private static final long serialVersionUID = 1L;

  /**
   * The model as the executors get it.
   *
   * @param bytes the model file's bytes, broadcast
   * @param hash their SHA-256 ({@link OnnxModel#hash}): the shared session's key
   * @param name the model's file, for messages
   * @param spec the declaration, resolved against the model ({@link
   *     org.ohemspark.model.ModelCheck#resolve})
   * @param threads intra-op threads per session
   * @param batch images per run
   */
  public record Model(Broadcast<byte[]> bytes, String hash, String name, ModelSpec spec,
      int threads, int batch) implements java.io.Serializable {}

  private final LabelledImageSource images;
  private final Model model;

  /** The images of {@code images} with the logits {@code model} infers. */
  public InferredLogits(LabelledImageSource images, Model model) {
    this.images = images;
    this.model = model;
  }

  /** The images' batches, as their source holds them ({@link LabelledImageSource#batches}). */
  @Override
  public Dataset<Row> batches(SparkSession spark) {
    return images.batches(spark);
  }

  @Override
  public String describe() {
    return images.describe() + " through model " + model.name();
  }

  @Override
  public List<String> warnings() {
    return images.warnings();
  }

  @Override
  public List<BadRecordException> unreadRecords(Supplier<Map<String, Long>> perSource) {
    return images.unreadRecords(perSource);
  }

  /** {@link #records(SparkSession, Partitioning)} at the default target, or by count. */
  @Override
  public Dataset<Row> records(SparkSession spark, int partitions) {
    return records(spark, Partitioning.of(partitions, Partitioning.DEFAULT_TARGET_BYTES));
  }

  /**
   * The image source's rows, partitioned by it ({@link LabelledImageSource#records(
   * SparkSession, Partitioning)}: by the encoded bytes of images and labels, at
   * {@link Partitioning#forEncodedImages}), grouped by up to {@code batch} where
   * {@code batch > 1}.
   */
  @Override
  public Dataset<Row> records(SparkSession spark, Partitioning partitioning) {
    Dataset<Row> rows = images.records(spark, partitioning);
    int batch = model.batch();
    if (batch <= 1) {
      return rows;
    }
    StructType grouped = new StructType().add("_rows",
        DataTypes.createArrayType(rows.schema(), false), false);
    MapPartitionsFunction<Row, Row> group = in -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public Row next() {
        List<Row> g = new ArrayList<>(batch);
        while (g.size() < batch && in.hasNext()) {
          g.add(in.next());
        }
        return RowFactory.create(scala.jdk.javaapi.CollectionConverters.asScala(g).toSeq());
      }
    };
    return rows.mapPartitions(group, Encoders.row(grouped));
  }

  /** A row holding one image; rows of many images ({@code batch > 1}, tars): {@link #readAll}. */
  @Override
  public ImageRecord read(Row record, HadoopConf conf) {
    Iterator<ImageRecord> it = readAll(record, conf);
    ImageRecord r = it.next();
    if (it.hasNext()) {
      throw new IllegalStateException("a row of " + describe() + " holds many images: readAll");
    }
    return r;
  }

  /**
   * The images of one row ({@link #records}) with their inferred logits, in order, a batch at
   * a time.
   */
  @Override
  public Iterator<ImageRecord> readAll(Row record, HadoopConf conf) {
    Iterator<LabelledImage> in;
    if (model.batch() <= 1) {
      in = images.readAll(record, conf);
    } else {
      List<Row> rows = record.getList(0);
      in = new Flattened(rows.iterator(), conf);
    }
    OnnxModel session = OnnxModel.shared(model.hash(), model.threads(),
        () -> model.bytes().value(), model.name());
    return new Batches(in, new ModelRunner(session, model.spec()), model.batch());
  }

  /** The images of several rows of the image source, one after another. */
  private final class Flattened implements Iterator<LabelledImage> {
    private final Iterator<Row> rows;
    private final HadoopConf conf;
    private Iterator<LabelledImage> current = Collections.emptyIterator();

    Flattened(Iterator<Row> rows, HadoopConf conf) {
      this.rows = rows;
      this.conf = conf;
    }

    @Override
    public boolean hasNext() {
      while (true) {
        try {
          if (current.hasNext()) {
            return true;
          }
        } catch (BadRecordException e) { // the rest of that row is lost; the next row goes on
          current = Collections.emptyIterator();
          throw new RowEnded(e);
        }
        if (!rows.hasNext()) {
          return false;
        }
        current = images.readAll(rows.next(), conf);
      }
    }

    @Override
    public LabelledImage next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return current.next();
    }
  }

  /** A row's rest could not be read; the rows after it can. */
  private static final class RowEnded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final BadRecordException bad;

    RowEnded(BadRecordException bad) {
      super(bad);
      this.bad = bad;
    }
  }

  /** Reads up to {@code batch} images, runs them, gives records and bad records in order. */
  private static final class Batches implements Iterator<ImageRecord> {
    private final Iterator<LabelledImage> in;
    private final ModelRunner runner;
    private final int batch;
    /** ImageRecords and BadRecordExceptions, in input order. */
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    /** Thrown from hasNext once {@link #ready} is drained: the rest of the row is unreadable. */
    private BadRecordException end;
    /** No more input to read (an image may still wait in {@link #held}). */
    private boolean ended;
    /** An image read and decoded but of another input size than the batch before it. */
    private LabelledImage held;
    private RgbImage heldImage;

    Batches(Iterator<LabelledImage> in, ModelRunner runner, int batch) {
      this.in = in;
      this.runner = runner;
      this.batch = Math.max(1, batch);
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && (!ended || held != null)) {
        fill();
      }
      if (!ready.isEmpty()) {
        return true;
      }
      if (end != null) {
        BadRecordException e = end;
        end = null;
        throw e;
      }
      return false;
    }

    @Override
    public ImageRecord next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Object o = ready.poll();
      if (o instanceof BadRecordException e) {
        throw e;
      }
      return (ImageRecord) o;
    }

    /**
     * One batch: up to {@code batch} images of one input size, read in order, with the bad
     * records met on the way in their places.
     */
    private void fill() {
      List<Object> slots = new ArrayList<>();
      List<LabelledImage> good = new ArrayList<>();
      List<RgbImage> decoded = new ArrayList<>();
      List<Integer> at = new ArrayList<>();
      int[] size = null;
      while (good.size() < batch) {
        LabelledImage li;
        RgbImage img;
        if (held != null) {
          li = held;
          img = heldImage;
          held = null;
          heldImage = null;
        } else {
          if (ended) {
            break;
          }
          boolean more;
          try {
            more = in.hasNext();
          } catch (RowEnded e) { // one grouped row's rest: the rows after it go on
            slots.add(e.bad);
            continue;
          } catch (BadRecordException e) { // the row's rest: after this batch, it ends
            end = e;
            ended = true;
            break;
          }
          if (!more) {
            ended = true;
            break;
          }
          try {
            li = in.next();
            img = decode(li);
          } catch (BadRecordException e) {
            slots.add(e);
            continue;
          }
        }
        int[] s = runner.preprocessor().inputSize(img.height(), img.width());
        if (size != null && (s[0] != size[0] || s[1] != size[1])) {
          held = li;
          heldImage = img;
          break;
        }
        size = s;
        at.add(slots.size());
        slots.add(li);
        good.add(li);
        decoded.add(img);
      }
      run(slots, good, decoded, at);
    }

    /** The image decoded, and checked to fit the model's input. */
    private RgbImage decode(LabelledImage li) {
      RgbImage img = ImageDecoder.decode(li.imageSource(), li.imageId(), li.image());
      if (!runner.preprocessor().fits(img)) {
        int[] s = runner.preprocessor().inputSize(img.height(), img.width());
        throw new BadRecordException(li.imageSource(), li.imageId(), "image is "
            + img.height() + "x" + img.width() + " but the model input is " + s[0] + "x" + s[1]
            + " and resize is none");
      }
      return img;
    }

    private void run(List<Object> slots, List<LabelledImage> good, List<RgbImage> decoded,
        List<Integer> at) {
      if (!good.isEmpty()) {
        try {
          List<Logits> logits = runner.run(decoded);
          for (int i = 0; i < good.size(); i++) {
            LabelledImage li = good.get(i);
            slots.set(at.get(i), new ImageRecord(li.imageId(), li.source(), logits.get(i),
                li.height(), li.width(), li.storedLabels()));
          }
        } catch (ModelRunner.RunException e) {
          for (int i = 0; i < good.size(); i++) {
            LabelledImage li = good.get(i);
            slots.set(at.get(i), new BadRecordException(li.imageSource(), li.imageId(),
                e.getMessage(), e));
          }
        }
      }
      ready.addAll(slots);
    }
  }
}
