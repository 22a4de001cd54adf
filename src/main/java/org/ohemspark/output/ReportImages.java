package org.ohemspark.output;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.ImageRanking;
import org.ohemspark.core.KeepRule;
import org.ohemspark.core.KeptPixels;
import org.ohemspark.mining.ImageReport;
import org.ohemspark.mining.LossRecord;
import org.ohemspark.mining.OhemMiner;
import org.ohemspark.report.Thumbnails;
import org.ohemspark.report.WorstImage;
import org.ohemspark.spark.HadoopConf;

/**
 * The report's worst images, gathered in two small jobs over the cached records: the first
 * {@code n} images by {@code images/}'s rank ({@link ImageRanking}: {@code kept_loss_sum}
 * descending, then {@code image_id} ascending; the sum as {@link ImageReport} computes it),
 * by {@code takeOrdered} (a top-n per partition, merged: the driver holds O(n) small rows); then
 * their pictures, read and shrunk on the executors ({@link ReportPictures}) and broadcast (O(n)
 * small PNGs); then the thumbnails of those n images only, drawn on the executors
 * ({@link Thumbnails}) and collected, O(n) PNGs of at most {@link Thumbnails#MAX_WIDTH} pixels
 * wide.
 */
public final class ReportImages {
  private ReportImages() {}

  /**
   * One image's rank figures, as the first job collects them (in its Java form under Kryo,
   * which cannot build records, as {@link LossRecord}).
   */
  @DefaultSerializer(JavaSerializer.class)
  record Ranked(String imageId, int height, int width, long nValid, long nHard, long nKept,
      double keptLossSum) implements Serializable {}

  /** One image's thumbnails ({@link Thumbnails.Set}) as the second job collects them. */
  @DefaultSerializer(JavaSerializer.class)
  record Thumbs(String imageId, byte[] picture, byte[] labels, byte[] predicted, boolean photo)
      implements Serializable {
    static Thumbs of(String imageId, Thumbnails.Set t) {
      return new Thumbs(imageId, t.picture(), t.labels(), t.predicted(), t.photo());
    }
  }

  /** The order of {@code images/}'s rank ({@link ImageRanking}): the worst first. */
  static final class ByRank implements Comparator<Ranked>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Ranked a, Ranked b) {
      return ImageRanking.compare(a.keptLossSum(), a.imageId(), b.keptLossSum(), b.imageId());
    }
  }

  /**
   * The worst {@code n} images with their thumbnails, rank 1 first (fewer when there are fewer
   * images; none for {@code n = 0}).
   *
   * @param kept each good image with its keep rule ({@link OhemMiner.Result#kept})
   * @param input the job's input, where {@link ReportPictures} looks for pictures
   */
  public static List<WorstImage> of(SparkSession spark, JavaPairRDD<ImageLosses, KeepRule> kept,
      int n, int ignoreIndex, String input, Broadcast<HadoopConf> conf) {
    if (n <= 0) {
      return List.of();
    }
    List<Ranked> top = kept.map(e -> rank(e._1(), e._2(), ignoreIndex))
        .takeOrdered(n, new ByRank());
    Set<String> ids = new HashSet<>();
    for (Ranked r : top) {
      ids.add(r.imageId());
    }
    Broadcast<Map<String, byte[]>> pictures = JavaSparkContext.fromSparkContext(
        spark.sparkContext()).broadcast(ReportPictures.of(spark, input, new ArrayList<>(ids),
            conf));
    Map<String, Thumbs> thumbs = new HashMap<>();
    for (Thumbs t : kept.filter(e -> ids.contains(e._1().imageId()))
        .map(e -> Thumbs.of(e._1().imageId(), Thumbnails.of(e._1(), e._2(), ignoreIndex,
            pictures.value().get(e._1().imageId()))))
        .collect()) {
      thumbs.put(t.imageId(), t);
    }
    pictures.destroy();
    List<WorstImage> out = new ArrayList<>();
    for (int i = 0; i < top.size(); i++) {
      Ranked r = top.get(i);
      Thumbs t = thumbs.get(r.imageId());
      out.add(new WorstImage(i + 1, r.imageId(), r.height(), r.width(), r.nValid(), r.nHard(),
          r.nKept(), r.keptLossSum(), r.nKept() == 0 ? null : r.keptLossSum() / r.nKept(),
          t.picture(), t.labels(), t.predicted(), t.photo()));
    }
    return out;
  }

  private static Ranked rank(ImageLosses img, KeepRule rule, int ignoreIndex) {
    KeptPixels.Totals t = KeptPixels.totals(img, rule, ignoreIndex);
    return new Ranked(img.imageId(), img.height(), img.width(), img.nValid(), img.nHard(),
        t.count(), t.sum());
  }
}
