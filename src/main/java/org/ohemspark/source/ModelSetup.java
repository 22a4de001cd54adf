package org.ohemspark.source;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.model.ModelCheck;
import org.ohemspark.model.ModelConfigException;
import org.ohemspark.model.ModelSpec;
import org.ohemspark.model.OnnxModel;
import org.ohemspark.spark.HadoopConf;

/**
 * The driver's part of {@code --model}: reads the model (any Hadoop URI) and its declaration,
 * loads the model once to check the declaration against it ({@link ModelCheck}), and
 * broadcasts its bytes; and picks the image source of an input.
 */
public final class ModelSetup {
  private ModelSetup() {}

  /**
   * The declaration's file: {@code declared} if given, else {@code <model name>.json} beside
   * the model ({@code model_logits.onnx}: {@code model_logits.json}), else {@code model.json}
   * beside it, else null (then {@code --model-param} must declare it all).
   */
  static String specFile(Configuration conf, String model, String declared) throws IOException {
    if (declared != null) {
      return declared;
    }
    Path m = new Path(model);
    FileSystem fs = m.getFileSystem(conf);
    String stem = DirectoryListing.stripExtension(m.getName());
    for (String name : new String[] {stem + ".json", "model.json"}) {
      Path p = new Path(m.getParent(), name);
      if (fs.exists(p)) {
        return fs.makeQualified(p).toString();
      }
    }
    return null;
  }

  /**
   * Reads, checks and broadcasts the model.
   *
   * @param model the {@code .onnx} file (any Hadoop URI)
   * @param specFile {@code model.json} (any Hadoop URI), or null to look beside the model
   *     ({@link #specFile})
   * @param params {@code --model-param} keys over the file's
   * @param batch images per run, at least 1
   * @param threads intra-op threads per session; 0 or less for {@code spark.task.cpus}
   * @throws ModelConfigException naming the model or file when either cannot be read, the
   *     declaration is malformed, or the model does not match it
   */
  public static InferredLogits.Model prepare(SparkSession spark, String model, String specFile,
      Map<String, String> params, int batch, int threads) {
    if (batch < 1) {
      throw new ModelConfigException("model_batch must be an integer >= 1, got " + batch);
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    HadoopConf hc = new HadoopConf(conf);
    byte[] bytes;
    String json;
    byte[] spec = null;
    try {
      bytes = hc.readAll(model);
    } catch (IOException | RuntimeException e) {
      throw new ModelConfigException("cannot read the model " + model + ": " + e.getMessage(),
          e);
    }
    try {
      json = specFile(conf, model, specFile);
      if (json != null) {
        spec = hc.readAll(json);
      }
    } catch (IOException | RuntimeException e) {
      throw new ModelConfigException("cannot read the model's declaration " + specFile + ": "
          + e.getMessage(), e);
    }
    if (json == null && (params == null || params.isEmpty())) {
      throw new ModelConfigException("no declaration for the model " + model + ": put a "
          + "model.json (or " + DirectoryListing.stripExtension(new Path(model).getName())
          + ".json) beside it, or give --model-json FILE or --model-param key=value (docs/inputs.md, "
          + "'Logits from a model')");
    }
    ModelSpec declared = ModelSpec.parse(json == null ? "--model-param" : json, spec, params);
    int t = threads > 0 ? threads : taskCpus(spark.sparkContext().getConf());
    ModelSpec resolved;
    try (OnnxModel m = OnnxModel.open(bytes, 1, model)) {
      resolved = ModelCheck.resolve(declared, m.signature(), model, batch);
    }
    Broadcast<byte[]> b = spark.sparkContext().broadcast(bytes,
        scala.reflect.ClassTag$.MODULE$.apply(byte[].class));
    return new InferredLogits.Model(b, OnnxModel.hash(bytes), model, resolved, Math.max(1, t),
        batch);
  }

  /**
   * The images and labels of {@code input} for a model: an image directory
   * ({@code images/}, {@code labels/}: {@link ImageDirectory}), Parquet image shards
   * ({@link ImageShards}) or WebDataset tars of images ({@link ImageTars}). {@code AUTO} takes a
   * folder holding {@code images/} as a directory, else detects as {@link InputFormat#detect}
   * does ({@code *.parquet} or {@code _SUCCESS}: shards; {@code *.tar}: tars).
   *
   * @param mode the miner's mode: how tars handle bad samples ({@link WebDatasetTars})
   * @throws ModelConfigException for an input that is none of these (a folder of logits)
   * @throws IOException if the input cannot be listed
   */
  public static LabelledImageSource images(Configuration conf, InputFormat format, String input,
      BadRecordMode mode) throws IOException {
    Path p = new Path(input);
    FileSystem fs = p.getFileSystem(conf);
    boolean hasImages = fs.exists(new Path(p, "images"))
        && fs.getFileStatus(new Path(p, "images")).isDirectory();
    InputFormat f = format;
    if (f == InputFormat.AUTO) {
      f = hasImages ? InputFormat.DIR : detectOrNull(conf, input);
    }
    if (f == null) {
      throw new ModelConfigException("--model reads an image directory (images/<id>.png|jpg and "
          + "labels/<id>.png|npy), Parquet image shards (an image column) or WebDataset tars "
          + "of images (<key>.jpg|png and a label member); " + input + " is none of these");
    }
    return switch (f) {
      case DIR -> new ImageDirectory(input);
      case PARQUET -> new ImageShards(input);
      case WEBDATASET -> new ImageTars(input, mode);
      case AUTO -> throw new IllegalStateException("detected above");
    };
  }

  private static InputFormat detectOrNull(Configuration conf, String input) throws IOException {
    try {
      InputFormat f = InputFormat.AUTO.detect(conf, input);
      return f == InputFormat.DIR ? null : f; // a logits/ folder without images/
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Cores each task holds: the sessions' default intra-op threads. */
  static int taskCpus(SparkConf conf) {
    return conf.getInt("spark.task.cpus", 1);
  }
}
