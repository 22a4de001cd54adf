package org.ohemspark.mining;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptPixels;
import scala.Tuple2;

/**
 * Where the dataset's tie budget runs out. On the top-k branch, of the valid pixels whose loss
 * equals the k-th value, the first {@code budget} in {@code (image_id, pixel_index)} order are
 * kept ({@link KeepRule}): every tie of the images whose id sorts before {@link #imageId}, the
 * first {@link #remainder} ties of that image, and none after it. Ids compare as
 * {@link String#compareTo} does.
 *
 * <p>Found on the executors ({@link #find}): each image's tie count (only images that hold a
 * tie), sorted by id with {@code sortByKey}; the driver receives one sum per sorted partition,
 * walks them to the partition where the budget runs out, and one task walks that partition to
 * the image. The driver holds O(partitions), never a row per image.
 *
 * @param imageId the image where the budget runs out
 * @param remainder how many of its ties are kept, {@code 1 <= remainder <= its ties}
 */
@DefaultSerializer(JavaSerializer.class) // a task result: Kryo cannot build records
public record TieCutoff(String imageId, long remainder) implements Serializable {

  /** {@code rule} (the dataset's) with the ties image {@code id} keeps. */
  public KeepRule forImage(KeepRule rule, String id) {
    int c = id.compareTo(imageId);
    return rule.withTies(c < 0 ? Long.MAX_VALUE : c == 0 ? remainder : 0);
  }

  /**
   * The cut-off for keeping {@code budget} of the ties at {@code kth}.
   *
   * @param images the good images' losses (cached)
   * @param budget ties to keep, {@code 1 <= budget <} the images' ties at {@code kth}
   * @throws IllegalArgumentException when {@code budget < 1}, or the images hold fewer than
   *     {@code budget} ties
   */
  public static TieCutoff find(JavaRDD<ImageLosses> images, double kth, int ignoreIndex,
      long budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("tie budget must be >= 1, got " + budget);
    }
    JavaPairRDD<String, Long> ties = images
        .mapToPair(img -> new Tuple2<>(img.imageId(),
            KeptPixels.countEqual(img, kth, ignoreIndex)))
        .filter(t -> t._2() > 0)
        .persist(StorageLevel.MEMORY_AND_DISK()); // read by the sort's sample and its shuffle
    try {
      JavaPairRDD<String, Long> sorted = ties.sortByKey(true, images.getNumPartitions());
      List<Long> sums = sorted.mapPartitions(it -> {
        long s = 0;
        while (it.hasNext()) {
          s += it.next()._2();
        }
        return List.of(s).iterator();
      }).collect(); // one per partition, in order
      long left = budget;
      int p = 0;
      while (p < sums.size() && sums.get(p) < left) {
        left -= sums.get(p);
        p++;
      }
      if (p == sums.size()) {
        throw new IllegalArgumentException("a budget of " + budget + " ties, but only "
            + (budget - left) + " ties at " + kth);
      }
      final int part = p;
      final long rest = left;
      List<TieCutoff>[] found = sorted.mapPartitionsWithIndex((i, it) -> i == part
          ? List.of(walk(it, rest)).iterator() : new ArrayList<TieCutoff>().iterator(), true)
          .collectPartitions(new int[] {part});
      return found[0].get(0);
    } finally {
      ties.unpersist();
    }
  }

  /** The image where {@code left} ties, counted along {@code sorted}, run out. */
  private static TieCutoff walk(Iterator<Tuple2<String, Long>> sorted, long left) {
    while (sorted.hasNext()) {
      Tuple2<String, Long> t = sorted.next();
      if (t._2() >= left) {
        return new TieCutoff(t._1(), left);
      }
      left -= t._2();
    }
    throw new IllegalStateException("the partition's ties ran out before the cut-off");
  }
}
