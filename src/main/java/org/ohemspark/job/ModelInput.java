package org.ohemspark.job;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.model.ModelConfigException;
import org.ohemspark.source.ImageSource;
import org.ohemspark.source.InferredLogits;
import org.ohemspark.source.LabelledImageSource;
import org.ohemspark.source.ModelSetup;
import org.ohemspark.source.SavedLogits;

/**
 * The input of a run with {@code --model}: the images and labels of the input, the model read,
 * checked and broadcast ({@link ModelSetup}), and where {@code --save-logits} asks, the shards
 * the logits are saved to and mined from ({@link SavedLogits}).
 *
 * @param config the run's settings, with the model's class count where the dataset declares
 *     none (for the summary)
 * @param mining the settings to mine with: {@code config}, or with the {@code train_ids}
 *     convention when mining saved shards (their labels are already converted)
 * @param model the model, read, checked and broadcast (for {@code summary.json})
 */
public record ModelInput(JobConfig config, JobConfig mining, ImageSource source,
    InferredLogits.Model model) {

  /**
   * @throws ModelConfigException (an {@link IllegalArgumentException}: exit 2) naming the model,
   *     file or key when the model, its declaration, the dataset's class count or the input's
   *     layout do not fit, or {@code --save-logits} names an existing folder without
   *     {@code --overwrite}
   * @throws IOException if the input cannot be listed
   */
  public static ModelInput prepare(SparkSession spark, JobConfig config, ModelOptions options)
      throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    LabelledImageSource images = ModelSetup.images(hadoop, config.format(), config.input(),
        config.mode());
    InferredLogits.Model model = ModelSetup.prepare(spark, options.model(), options.json(),
        options.params(), options.batch(), options.threads());
    Integer declared = model.spec().classes();
    if (config.classes() != null && declared != null && !config.classes().equals(declared)) {
      throw new ModelConfigException(options.model() + ": the model gives " + declared
          + " classes (" + model.spec().source() + " or the model itself) but the dataset "
          + "declares classes = " + config.classes());
    }
    JobConfig c = config.classes() != null || declared == null ? config
        : config.with(config.labelConvention(), declared);
    InferredLogits inferred = new InferredLogits(images, model);
    if (options.saveLogits() == null) {
      return new ModelInput(c, c, inferred, model);
    }
    Path save = new Path(options.saveLogits());
    if (save.getFileSystem(hadoop).exists(save) && !c.overwrite()) {
      throw new ModelConfigException("--save-logits " + options.saveLogits() + " exists; give "
          + "--overwrite to replace it, or another folder");
    }
    StagedOutput.requireApart(hadoop, c.input(), options.saveLogits());
    StagedOutput.requireApart(hadoop, c.output(), options.saveLogits());
    JobConfig mining = c.with(LabelConvention.TRAIN_IDS, c.classes());
    String json = OhemIngestJob.datasetJson(c).replace("\"ingested_from\"", "\"inferred_from\"");
    return new ModelInput(c, mining, new SavedLogits(inferred, options.saveLogits(),
        options.float16(), c.mode(), c.params(), c.labelConvention(), c.classes(), json), model);
  }
}
