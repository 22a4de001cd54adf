package org.ohemspark.core;

/**
 * Per-pixel softmax cross-entropy of one image, in double precision.
 *
 * <p>Input: logits {@code [C, h, w]} and labels {@code [H, W]} (row-major, after the label
 * convention). Where {@code (h, w) != (H, W)} the logits are first resized to {@code [C, H, W]}
 * bilinearly with {@code align_corners=False} ({@link BilinearAxis}), as
 * {@code torch.nn.functional.interpolate} does. Then per pixel, with {@code m = max_c l_c}:
 *
 * <pre>
 *   loss = w[y] * ( ln(sum_c exp(l_c - m)) - (l_y - m) )     (0 where y == ignore_index)
 * </pre>
 *
 * which is {@code F.cross_entropy(..., weight=w, reduction='none')} computed by max-shifted
 * log-sum-exp, so logits of magnitude 1e4 neither overflow nor lose the target term.
 *
 * <p>The kernel works a row at a time with a {@code [C, W]} double buffer (channel-outer loops,
 * no per-pixel allocation). An instance holds scratch buffers: use one per thread.
 *
 * @see <a href="https://pytorch.org/docs/stable/generated/torch.nn.functional.cross_entropy.html">
 *     torch.nn.functional.cross_entropy</a>
 */
public final class CrossEntropyKernel {
  private final OhemParams params;
  private double[] row = new double[0];
  private double[] src0 = new double[0];
  private double[] src1 = new double[0];
  private double[] max = new double[0];
  private double[] sum = new double[0];

  public CrossEntropyKernel(OhemParams params) {
    this.params = params;
  }

  /**
   * Computes the losses of one image and its first-pass figures.
   *
   * @param imageId used in error messages
   * @param logits {@code [C, h, w]}
   * @param labels {@code [H, W]} row-major, length {@code H * W}
   * @throws BadRecordException if the label array does not hold {@code H * W} values, a label is
   *     neither the ignore index nor in {@code [0, C)}, the class weights do not have {@code C}
   *     entries, or a logit is NaN or infinite (the message gives its position)
   */
  public ImageLosses compute(String imageId, Logits logits, int[] labels, int height, int width) {
    final int c = logits.channels();
    final int h = logits.height();
    final int w = logits.width();
    final int ignore = params.ignoreIndex();
    if (labels.length != height * width) {
      throw new BadRecordException(null, imageId, "labels hold " + labels.length
          + " values, expected H*W = " + height + "*" + width);
    }
    double[] weights = params.classWeights();
    if (weights != null && weights.length != c) {
      throw new BadRecordException(null, imageId, "class weights have " + weights.length
          + " entries but the logits have C = " + c + " classes");
    }
    final int n = height * width;
    for (int i = 0; i < n; i++) {
      int y = labels[i];
      if (y != ignore && (y < 0 || y >= c)) {
        throw new BadRecordException(null, imageId, "label " + y + " at (y=" + i / width
            + ", x=" + i % width + ") is outside [0, " + c + ") and is not ignore_index "
            + ignore);
      }
    }
    ensure(c, w, width);
    final boolean resize = h != height || w != width;
    final BilinearAxis ay = resize ? new BilinearAxis(h, height) : null;
    final BilinearAxis ax = resize ? new BilinearAxis(w, width) : null;
    final double t = params.lossThreshold();
    final double[] losses = new double[n];
    long nValid = 0;
    long nHard = 0;
    double sumHard = 0;
    double sumLoss = 0;
    double maxLoss = Double.NaN;
    int cached0 = -1;
    int cached1 = -1;
    for (int y = 0; y < height; y++) {
      if (resize) {
        int y0 = ay.i0[y];
        int y1 = ay.i1[y];
        if (y0 != cached0) {
          if (y0 == cached1) {
            double[] tmp = src0;
            src0 = src1;
            src1 = tmp;
            cached0 = y0;
            cached1 = -1;
          } else {
            readRows(imageId, logits, y0, src0);
            cached0 = y0;
          }
        }
        if (y1 != cached1) {
          readRows(imageId, logits, y1, src1);
          cached1 = y1;
        }
        interpolateRow(c, w, width, ay.w0[y], ay.w1[y], ax);
      } else {
        for (int ch = 0; ch < c; ch++) {
          logits.readRow(ch, y, row, ch * width);
        }
      }
      checkFinite(imageId, row, c, width, y);
      logSumExp(c, width);
      final int base = y * width;
      for (int x = 0; x < width; x++) {
        int label = labels[base + x];
        if (label == ignore) {
          continue;
        }
        double nll = Math.log(sum[x]) - (row[label * width + x] - max[x]);
        double loss = (weights == null ? nll : weights[label] * nll) + 0.0; // -0.0 -> +0.0
        if (loss < 0) {
          loss = 0.0; // cannot happen in exact arithmetic; keeps the bit-pattern order valid
        }
        losses[base + x] = loss;
        nValid++;
        sumLoss += loss;
        if (!(loss <= maxLoss)) {
          maxLoss = loss;
        }
        if (loss > t) {
          nHard++;
          sumHard += loss;
        }
      }
    }
    return new ImageLosses(imageId, height, width, labels, losses, nValid, nHard, sumHard,
        sumLoss, maxLoss);
  }

  private void ensure(int c, int w, int width) {
    if (row.length < c * width) {
      row = new double[c * width];
    }
    if (src0.length < c * w) {
      src0 = new double[c * w];
      src1 = new double[c * w];
    }
    if (max.length < width) {
      max = new double[width];
      sum = new double[width];
    }
  }

  /** Reads source row {@code y} of every channel and checks it is finite. */
  private static void readRows(String imageId, Logits logits, int y, double[] dst) {
    int w = logits.width();
    for (int ch = 0; ch < logits.channels(); ch++) {
      logits.readRow(ch, y, dst, ch * w);
    }
    checkFinite(imageId, dst, logits.channels(), w, y);
  }

  /** row[c, x] = wy0 * (bilinear in x of src0) + wy1 * (bilinear in x of src1), ATen's order. */
  private void interpolateRow(int c, int w, int width, double wy0, double wy1, BilinearAxis ax) {
    final int[] i0 = ax.i0;
    final int[] i1 = ax.i1;
    final double[] w0 = ax.w0;
    final double[] w1 = ax.w1;
    for (int ch = 0; ch < c; ch++) {
      int s = ch * w;
      int d = ch * width;
      for (int x = 0; x < width; x++) {
        double a = src0[s + i0[x]] * w0[x] + src0[s + i1[x]] * w1[x];
        double b = src1[s + i0[x]] * w0[x] + src1[s + i1[x]] * w1[x];
        row[d + x] = a * wy0 + b * wy1;
      }
    }
  }

  /** Throws, naming the first non-finite value of {@code buf[c, x]} at row {@code y}. */
  private static void checkFinite(String imageId, double[] buf, int c, int width, int y) {
    double probe = 0;
    int n = c * width;
    for (int i = 0; i < n; i++) {
      probe += buf[i] * 0.0;
    }
    if (probe == 0.0) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(buf[i])) {
        throw new BadRecordException(null, imageId, "logit " + buf[i] + " at (c=" + i / width
            + ", y=" + y + ", x=" + i % width + "): logits must be finite");
      }
    }
  }

  /** max[x] = max_c row[c, x]; sum[x] = sum_c exp(row[c, x] - max[x]). */
  private void logSumExp(int c, int width) {
    System.arraycopy(row, 0, max, 0, width);
    for (int ch = 1; ch < c; ch++) {
      int d = ch * width;
      for (int x = 0; x < width; x++) {
        double v = row[d + x];
        if (v > max[x]) {
          max[x] = v;
        }
      }
    }
    java.util.Arrays.fill(sum, 0, width, 0.0);
    for (int ch = 0; ch < c; ch++) {
      int d = ch * width;
      for (int x = 0; x < width; x++) {
        sum[x] += Math.exp(row[d + x] - max[x]);
      }
    }
  }
}
