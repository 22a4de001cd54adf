package org.ohemspark.bench;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Locale;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.ohemspark.core.CrossEntropyKernel;
import org.ohemspark.core.ExactSum;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.LossSketch;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.testing.ArrayLogits;

/**
 * The measurement behind {@code --topk approx}'s choice of sketch: the job's own histogram
 * levels ({@link LossSketch}) against Apache DataSketches' KLL sketch ({@code KllDoublesSketch},
 * on Spark's classpath), on the losses of generated images (the generator's defaults: C = 19,
 * about 5% hard pixels, the top-k branch at factor 16): time per value added, serialized size,
 * and how far each is from the exact k-th loss and top-k mean (sorted, summed exactly).
 *
 * <p>Run: {@code java -cp target/test-classes:target/classes:target/jars/*
 * org.ohemspark.bench.TopKSketchBench [images] [height] [width]} (default 16 x 512 x 1024).
 * Prints figures; asserts nothing.
 */
public final class TopKSketchBench {
  private TopKSketchBench() {}

  public static void main(String[] args) throws Exception {
    int images = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int h = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int w = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
    SyntheticImage.Spec spec = new SyntheticImage.Spec(19, h, w, 1,
        SyntheticImage.Spec.DEFAULT_MARGIN, 20261205);
    CrossEntropyKernel kernel = new CrossEntropyKernel(OhemParams.DEFAULTS);
    double[] all = new double[images * h * w];
    int n = 0;
    for (int i = 0; i < images; i++) {
      SyntheticImage img = SyntheticImage.generate(spec, i);
      float[] f = img.logits();
      double[] d = new double[f.length];
      for (int j = 0; j < f.length; j++) {
        d[j] = f[j];
      }
      ImageLosses l = kernel.compute("i" + i, new ArrayLogits(19, h, w, d), img.labels(), h, w);
      for (int p = 0; p < l.pixels(); p++) {
        if (l.label(p) != 255) {
          all[n++] = l.losses()[p];
        }
      }
    }
    double[] v = Arrays.copyOf(all, n);
    long k = n / 16;
    for (int rep = 0; rep < 3; rep++) { // the last of three runs, after the JIT
      LossSketch ours = new LossSketch();
      long t0 = System.nanoTime();
      for (double x : v) {
        ours.add(x);
      }
      long t1 = System.nanoTime();
      KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(200);
      for (double x : v) {
        kll.update(x);
      }
      long t2 = System.nanoTime();
      if (rep < 2) {
        continue;
      }
      double[] sorted = v.clone();
      Arrays.sort(sorted);
      double kth = sorted[n - (int) k];
      ExactSum s = new ExactSum();
      for (int i = 0; i < k; i++) {
        s.add(sorted[n - 1 - i]);
      }
      double mean = s.toDouble() / k;
      LossSketch.Bounds b = ours.topK(k);
      double rank = 1.0 - (double) k / n;
      double kllKth = kll.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
      double kllLo = kll.getQuantileLowerBound(rank);
      double kllHi = kll.getQuantileUpperBound(rank);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
        o.writeObject(ours);
      }
      System.out.printf(Locale.ROOT, "values %d (valid losses of %d images %dx%d), k = %d, "
          + "exact kth %.9f, exact top-k mean %.9f%n", n, images, h, w, k, kth, mean);
      System.out.printf(Locale.ROOT, "LossSketch: %.2f ns/value, %d bytes serialized, kth "
          + "[%.9f, %.9f] (width %.2e relative, guaranteed), mean [%.9f, %.9f] (width %.2e "
          + "relative), estimate errors kth %.2e mean %.2e relative, rank_error %d (%.2e of "
          + "n)%n", (t1 - t0) / (double) n, bytes.size(), b.kthLo(), b.kthHi(),
          (b.kthHi() - b.kthLo()) / kth, b.meanLo(), b.meanHi(),
          (b.meanHi() - b.meanLo()) / mean, Math.abs(b.kth() - kth) / kth,
          Math.abs(b.mean() - mean) / mean, b.rankError(), b.rankError() / (double) n);
      System.out.printf(Locale.ROOT, "KLL k=200: %.2f ns/value, %d bytes serialized, kth "
          + "%.9f (error %.2e relative), 99%%-confidence [%.9f, %.9f] (width %.2e relative), "
          + "normalized rank error %.4f (%d ranks); no top-k sum: the mean needs a second "
          + "pass%n", (t2 - t1) / (double) n, kll.toByteArray().length, kllKth,
          Math.abs(kllKth - kth) / kth, kllLo, kllHi, (kllHi - kllLo) / kth,
          kll.getNormalizedRankError(false), (long) (kll.getNormalizedRankError(false) * n));
    }
  }
}
