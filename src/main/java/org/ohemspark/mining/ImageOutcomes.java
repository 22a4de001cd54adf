package org.ohemspark.mining;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.OhemOutcome;
import org.ohemspark.core.OhemParams;
import org.ohemspark.spark.JavaSerialized;

/**
 * With {@code --group-by image}: each image's own OHEM outcome ({@link OhemOutcome#ofImage},
 * which runs the image's own top-k when it takes that branch), computed once per image and
 * persisted beside the cached losses (one small object per image, on the executors), so that
 * the {@code images/} report and {@code hard_pixels/} both read it rather than each selecting
 * the image's top-k again. The outcomes are zipped with the cached images they came from (same
 * partitions, same order).
 */
public final class ImageOutcomes {
  private final JavaRDD<ImageLosses> images;
  /** Wrapped: a spilled block goes through the serializer, and Kryo cannot build records. */
  private final JavaRDD<JavaSerialized<OhemOutcome>> outcomes;
  private final LongAccumulator computed;

  /**
   * @param images the good images' losses (cached)
   * @param level the outcomes' storage level (the cached losses' level: a serialized or
   *     spilled one writes them through the session's serializer)
   * @param computed counts the outcomes computed (every task attempt counts, so a value above
   *     the image count means some image's rule was computed more than once)
   */
  public ImageOutcomes(JavaRDD<ImageLosses> images, OhemParams params, StorageLevel level,
      LongAccumulator computed) {
    this.images = images;
    this.computed = computed;
    this.outcomes = images.map(img -> {
      computed.add(1);
      return JavaSerialized.of(OhemOutcome.ofImage(params, img));
    }).persist(level);
  }

  /** Each image with its outcome, lazily. */
  public JavaPairRDD<ImageLosses, OhemOutcome> pairs() {
    return images.zip(outcomes).mapValues(JavaSerialized::get);
  }

  /** Each image with the rule of its outcome, lazily. */
  public JavaPairRDD<ImageLosses, KeepRule> rules() {
    return pairs().mapValues(OhemOutcome::rule);
  }

  /** Outcomes computed so far, every task attempt counted (the image count when each once). */
  public long computed() {
    return computed.value();
  }

  /** Drops the persisted outcomes. */
  public void unpersist() {
    outcomes.unpersist();
  }
}
