package org.ohemspark.core;

import java.util.SplittableRandom;

/**
 * One deterministic, model-like segmentation example: a label mask {@code [H, W]} and the logits
 * {@code [C, h, w]} a reasonable model might give for it, from a seed and an image index alone
 * (no file, no download), for benchmarks and demos.
 *
 * <ul>
 *   <li>Labels: smooth regions (a Voronoi partition of 6 to 12 random sites per 512x512 pixels,
 *       at least 2, classes drawn with a
 *       skew towards low ids, as real datasets are imbalanced); pixels within 1.5 px of a region
 *       boundary are {@code ignore_index} 255 (about 2 to 4 percent, like Cityscapes' void
 *       outlines).</li>
 *   <li>Logits at {@code h = H / downsample}, {@code w = W / downsample}: per class a smooth
 *       noise field (bilinear over a coarse 6x6 grid, N(0, 1)) plus a small per-value jitter; the
 *       true class gets a margin that varies smoothly over the image and shrinks near region
 *       boundaries, where the neighbouring region's class gains instead (boundary confusion);
 *       some regions are partly confused with one other class. With the default margin about 5
 *       percent of pixels have a loss above {@code -ln 0.7}, so OHEM at factor 16 takes the
 *       top-k branch.</li>
 * </ul>
 *
 * Same {@link Spec} and index, same bits, on any machine.
 */
public final class SyntheticImage {
  /** Label of boundary pixels. */
  public static final int IGNORE = 255;
  private static final int GRID = 6;

  /**
   * What to generate.
   *
   * @param classes {@code C}, 1 to 255
   * @param height label rows {@code H}
   * @param width label columns {@code W}
   * @param downsample logits are {@code [C, H / d, W / d]} (1: same size as the labels)
   * @param margin mean logit margin of the true class (nats); larger means an easier dataset
   * @param seed dataset seed; image {@code i} uses a seed derived from it and {@code i}
   */
  public record Spec(int classes, int height, int width, int downsample, double margin,
      long seed) implements java.io.Serializable {
    /** The default margin: about 5 percent hard pixels at 19 classes. */
    public static final double DEFAULT_MARGIN = 11.0;

    /**
     * @throws IllegalArgumentException if a size is not positive, {@code classes} is outside
     *     {@code [1, 255]}, or {@code downsample} does not leave at least one logits row and
     *     column
     */
    public Spec {
      if (classes < 1 || classes > 255) {
        throw new IllegalArgumentException("classes must be in [1, 255], got " + classes);
      }
      if (height < 1 || width < 1) {
        throw new IllegalArgumentException("height and width must be positive, got " + height
            + "x" + width);
      }
      if (downsample < 1 || height / downsample < 1 || width / downsample < 1) {
        throw new IllegalArgumentException("downsample must be in [1, min(H, W)], got "
            + downsample);
      }
      if (!(margin >= 0) || Double.isInfinite(margin)) {
        throw new IllegalArgumentException("margin must be finite and >= 0, got " + margin);
      }
    }

    /** Logits rows {@code h}. */
    public int logitsHeight() {
      return height / downsample;
    }

    /** Logits columns {@code w}. */
    public int logitsWidth() {
      return width / downsample;
    }
  }

  private final Spec spec;
  private final int[] labels;
  private final float[] logits;

  private SyntheticImage(Spec spec, int[] labels, float[] logits) {
    this.spec = spec;
    this.labels = labels;
    this.logits = logits;
  }

  /** Label mask {@code [H, W]} row-major: classes in {@code [0, C)} or {@link #IGNORE}. */
  public int[] labels() {
    return labels;
  }

  /** Logits {@code [C, h, w]} in C order. */
  public float[] logits() {
    return logits;
  }

  public Spec spec() {
    return spec;
  }

  /** The seed of image {@code index} (SplittableRandom's mixing of seed and index). */
  static long imageSeed(long seed, long index) {
    return new SplittableRandom(seed).split().nextLong() ^ (index * 0x9E3779B97F4A7C15L);
  }

  /** Generates image {@code index} of the dataset {@code spec}. */
  public static SyntheticImage generate(Spec spec, long index) {
    SplittableRandom rng = new SplittableRandom(imageSeed(spec.seed(), index));
    final int c = spec.classes();
    final int hh = spec.height();
    final int ww = spec.width();
    // 6 to 12 regions per 512x512, in proportion to the area: same statistics at any size
    final int sites = (int) Math.max(2, Math.round((6 + rng.nextInt(7)) * ((double) hh * ww)
        / (512.0 * 512.0)));
    double[] sx = new double[sites];
    double[] sy = new double[sites];
    int[] cls = new int[sites];
    int[] conf = new int[sites];
    double[] confAmp = new double[sites];
    for (int k = 0; k < sites; k++) {
      sx[k] = rng.nextDouble() * ww;
      sy[k] = rng.nextDouble() * hh;
      double u = rng.nextDouble();
      cls[k] = Math.min(c - 1, (int) (c * u * u)); // skewed towards low class ids
      conf[k] = c == 1 ? 0 : (cls[k] + 1 + rng.nextInt(c - 1)) % c;
      confAmp[k] = rng.nextDouble() < 0.3 ? 0.9 : 0.2;
    }
    double[][] noise = new double[c][(GRID + 1) * (GRID + 1)];
    for (double[] g : noise) {
      for (int i = 0; i < g.length; i++) {
        g[i] = rng.nextGaussian();
      }
    }
    double[] marginGrid = new double[(GRID + 1) * (GRID + 1)];
    double[] confGrid = new double[(GRID + 1) * (GRID + 1)];
    for (int i = 0; i < marginGrid.length; i++) {
      marginGrid[i] = 0.45 + rng.nextDouble() * 0.9;
      confGrid[i] = rng.nextDouble();
    }

    int[] labels = new int[hh * ww];
    int[] near = new int[2];
    double[] dist = new double[2];
    for (int y = 0; y < hh; y++) {
      for (int x = 0; x < ww; x++) {
        nearest(sx, sy, x + 0.5, y + 0.5, near, dist);
        labels[y * ww + x] = dist[1] - dist[0] < 1.5 ? IGNORE : cls[near[0]];
      }
    }

    final int h = spec.logitsHeight();
    final int w = spec.logitsWidth();
    final int plane = h * w;
    final double ds = spec.downsample();
    final double margin = spec.margin();
    float[] logits = new float[c * plane];
    // smooth per-class noise, separable: interpolate the grid rows at gy, then along x
    int[] ix = new int[w];
    double[] fx = new double[w];
    for (int x = 0; x < w; x++) {
      double gx = (x + 0.5) / w * GRID;
      ix[x] = Math.min((int) gx, GRID - 1);
      fx[x] = gx - ix[x];
    }
    long jitter = rng.nextLong() | 1L;
    double[] gridRow = new double[GRID + 1];
    for (int ch = 0; ch < c; ch++) {
      double[] g = noise[ch];
      for (int y = 0; y < h; y++) {
        double gy = (y + 0.5) / h * GRID;
        int iy = Math.min((int) gy, GRID - 1);
        double fy = gy - iy;
        for (int j = 0; j <= GRID; j++) {
          double a = g[iy * (GRID + 1) + j];
          gridRow[j] = a + (g[(iy + 1) * (GRID + 1) + j] - a) * fy;
        }
        int off = ch * plane + y * w;
        for (int x = 0; x < w; x++) {
          jitter ^= jitter << 13;
          jitter ^= jitter >>> 7;
          jitter ^= jitter << 17;
          double j0 = gridRow[ix[x]];
          double v = j0 + (gridRow[ix[x] + 1] - j0) * fx[x];
          logits[off + x] = (float) (v + ((jitter >>> 11) * 0x1p-53 - 0.5) * 0.1);
        }
      }
    }
    // the model's opinion: true-class margin, boundary and region confusions
    for (int y = 0; y < h; y++) {
      double ly = (y + 0.5) * ds; // label-pixel coordinates of the logit's centre
      double gy = (y + 0.5) / h * GRID;
      for (int x = 0; x < w; x++) {
        double lx = (x + 0.5) * ds;
        double gx = (x + 0.5) / w * GRID;
        nearest(sx, sy, lx, ly, near, dist);
        int k1 = near[0];
        double edge = Math.min(1.0, (dist[1] - dist[0]) / 8.0);
        int i = y * w + x;
        logits[cls[k1] * plane + i] +=
            (float) (margin * bilerp(marginGrid, gx, gy) * (0.3 + 0.7 * edge));
        logits[cls[near[1]] * plane + i] += (float) (margin * 0.55 * (1.0 - edge));
        logits[conf[k1] * plane + i] += (float) (margin * confAmp[k1] * bilerp(confGrid, gx, gy));
      }
    }
    return new SyntheticImage(spec, labels, logits);
  }

  /** The two nearest sites to {@code (x, y)} and their distances, nearest first. */
  private static void nearest(double[] sx, double[] sy, double x, double y, int[] near,
      double[] dist) {
    double d0 = Double.POSITIVE_INFINITY;
    double d1 = Double.POSITIVE_INFINITY;
    int k0 = 0;
    int k1 = 0;
    for (int k = 0; k < sx.length; k++) {
      double dx = x - sx[k];
      double dy = y - sy[k];
      double d = dx * dx + dy * dy;
      if (d < d0) {
        d1 = d0;
        k1 = k0;
        d0 = d;
        k0 = k;
      } else if (d < d1) {
        d1 = d;
        k1 = k;
      }
    }
    near[0] = k0;
    near[1] = k1;
    dist[0] = Math.sqrt(d0);
    dist[1] = Math.sqrt(d1);
  }

  /** Bilinear value of a {@code (GRID+1)^2} grid at grid coordinates {@code gx, gy}. */
  private static double bilerp(double[] g, double gx, double gy) {
    int ix = Math.min((int) gx, GRID - 1);
    int iy = Math.min((int) gy, GRID - 1);
    double fx = gx - ix;
    double fy = gy - iy;
    int r0 = iy * (GRID + 1) + ix;
    int r1 = r0 + GRID + 1;
    double a = g[r0] + (g[r0 + 1] - g[r0]) * fx;
    double b = g[r1] + (g[r1 + 1] - g[r1]) * fx;
    return a + (b - a) * fy;
  }
}
