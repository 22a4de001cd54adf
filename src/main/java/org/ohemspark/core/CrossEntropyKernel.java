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
 * log-sum-exp, so logits of magnitude 1e4 neither overflow nor lose the target term. With label
 * smoothing {@code E > 0} ({@link OhemParams#labelSmoothing}) the loss is ATen's
 * {@code (1 - E) * loss + (E / C) * sum_c w[c] * (ln(sum_k exp(l_k - m)) - (l_c - m))}, the
 * smoothing term summed per pixel over the row buffer in double; the resize follows
 * {@link OhemParams#alignCorners}.
 *
 * <p>The kernel works a row at a time with a {@code [C, W]} buffer and no per-pixel
 * allocation; the max / exp-sum / log arithmetic over that buffer is a {@link RowMath} (Vector
 * API lanes where available). Float16 and float32 logits that need no resize go through a float
 * buffer, where the exponentials take float lanes (twice as many as double lanes; losses within
 * {@link RowMath#floatLogSumExpError}, about 1e-6, of exact arithmetic, as PyTorch's float32
 * is); a pixel whose loss lands within that bound of the threshold {@code -ln(thresh)} is
 * recomputed in double, so the strict {@code loss > -ln(thresh)} decision (and so
 * {@code n_hard}) is that of double precision. Resized logits, and
 * float64 logits that are not all floats, are computed in double throughout. With a resize,
 * each source row is interpolated along x once and kept while output rows need it, so an output
 * row costs one vertical blend. An instance holds scratch buffers: use one per thread.
 *
 * @see <a href="https://pytorch.org/docs/stable/generated/torch.nn.functional.cross_entropy.html">
 *     torch.nn.functional.cross_entropy</a>
 */
public final class CrossEntropyKernel {
  private final OhemParams params;
  private final RowMath math;
  private double[] row = new double[0];
  /** The row as floats, {@code [C, W]}: float16/float32 logits that need no resize. */
  private float[] floatRow = new float[0];
  /** One source row as read, {@code [C, w]} (resize only). */
  private double[] src = new double[0];
  /** Source rows {@code cached0}, {@code cached1} resized along x, {@code [C, W]} each. */
  private double[] hrow0 = new double[0];
  private double[] hrow1 = new double[0];
  private double[] max = new double[0];
  private double[] logSum = new double[0];
  /** Each pixel's predicted class, one row, {@code [W]}. */
  private int[] argmax = new int[0];

  /** A kernel with the fastest {@link RowMath} of this JVM ({@link RowMath#best()}). */
  public CrossEntropyKernel(OhemParams params) {
    this(params, RowMath.best());
  }

  /** A kernel with the given row arithmetic (for benchmarks and tests of both). */
  public CrossEntropyKernel(OhemParams params, RowMath math) {
    this.params = params;
    this.math = math;
  }

  /** The row arithmetic in use. */
  public RowMath math() {
    return math;
  }

  /**
   * Computes the losses of one image, its first-pass figures and each pixel's predicted class
   * (the argmax of its logits, after the resize where there is one: the first maximum in class
   * order, as {@code torch.argmax}; {@link PredictedClasses}), found in the walk over the
   * logits that finds their maximum.
   *
   * @param imageId used in error messages
   * @param logits {@code [C, h, w]}
   * @param labels {@code [H, W]} row-major, length {@code H * W}
   * @throws BadRecordException if the label array does not hold {@code H * W} values, a label is
   *     neither the ignore index nor in {@code [0, C)}, the class weights do not have {@code C}
   *     entries, a logit is NaN or +inf, all logits of a pixel are -inf, a -inf logit is to be
   *     resized, or a valid pixel's label has a -inf logit (an infinite loss; the message gives
   *     the position). A -inf logit of another class is allowed: it adds 0 to the softmax sum,
   *     as in PyTorch
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
      // with no declared class count this is only seen per image: say it is the settings'
      throw new BadRecordException(null, imageId, "the class weights (--class-weights / "
          + "class_weights) have " + weights.length + " entries but the logits have C = " + c
          + " classes: a configuration mismatch, not a data error; give one weight per class "
          + "(declare classes, e.g. --classes " + c + ", to have it refused before any image "
          + "is read)");
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
    final boolean align = params.alignCorners();
    final BilinearAxis ay = resize ? new BilinearAxis(h, height, align) : null;
    final BilinearAxis ax = resize ? new BilinearAxis(w, width, align) : null;
    final double t = params.lossThreshold();
    final double smoothing = params.labelSmoothing();
    // smoothing sums every class's log-probability: done in double, from the double row
    final boolean floats = !resize && logits.floatExact() && smoothing == 0;
    final float[] frow = floatRow;
    final double band = floats ? math.floatLogSumExpError(c) : 0;
    final double[] losses = new double[n];
    final PredictedClasses predicted = PredictedClasses.zeros(c, n);
    long nValid = 0;
    long nHard = 0;
    double sumHard = 0;
    double sumLoss = 0;
    double maxLoss = Double.NaN;
    int cached0 = -1;
    int cached1 = -1;
    final int cw = c * width;
    for (int y = 0; y < height; y++) {
      if (resize) {
        int y0 = ay.i0[y];
        int y1 = ay.i1[y];
        if (y0 != cached0) {
          if (y0 == cached1) {
            double[] tmp = hrow0;
            hrow0 = hrow1;
            hrow1 = tmp;
            cached0 = y0;
            cached1 = -1;
          } else {
            resizeSourceRow(imageId, logits, y0, hrow0, width, ax);
            cached0 = y0;
          }
        }
        if (y1 != cached1) {
          resizeSourceRow(imageId, logits, y1, hrow1, width, ax);
          cached1 = y1;
        }
        math.blend(hrow0, hrow1, ay.w0[y], ay.w1[y], row, cw);
        if (!math.logSumExp(row, c, width, max, logSum, argmax)) {
          throw notFinite(imageId, c, width, y, true);
        }
      } else if (floats) {
        for (int ch = 0; ch < c; ch++) {
          logits.readRow(ch, y, frow, ch * width);
        }
        if (!math.logSumExp(frow, c, width, max, logSum, argmax)) {
          for (int i = 0; i < cw; i++) {
            row[i] = frow[i];
          }
          throw notFinite(imageId, c, width, y, false);
        }
      } else {
        for (int ch = 0; ch < c; ch++) {
          logits.readRow(ch, y, row, ch * width);
        }
        if (!math.logSumExp(row, c, width, max, logSum, argmax)) {
          throw notFinite(imageId, c, width, y, false);
        }
      }
      final int base = y * width;
      predicted.setRow(base, argmax, width);
      for (int x = 0; x < width; x++) {
        int label = labels[base + x];
        if (label == ignore) {
          continue;
        }
        final double wy = weights == null ? 1.0 : weights[label];
        double nll;
        if (floats) {
          nll = logSum[x] - (frow[label * width + x] - max[x]);
          if (Math.abs(wy * nll - t) <= band * wy) {
            // near the threshold the float exps could tip the strict loss > t: redo in double
            ScalarRowMath.logSumExpFrom(frow, c, width, x, x + 1, max, logSum, argmax);
            nll = logSum[x] - (frow[label * width + x] - max[x]);
          }
        } else {
          nll = logSum[x] - (row[label * width + x] - max[x]);
        }
        double loss = wy * nll + 0.0; // -0.0 -> +0.0
        if (smoothing != 0) {
          loss = (1 - smoothing) * loss + smoothing / c * smoothTerm(row, c, width, x, weights,
              logSum[x], max[x]) + 0.0;
        }
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
    if (!Double.isFinite(sumLoss)) {
      throw infiniteLoss(imageId, logits, labels, losses, width, resize);
    }
    return new ImageLosses(imageId, height, width, PackedLabels.of(labels), predicted, losses,
        nValid, nHard, sumHard, sumLoss, maxLoss);
  }

  /**
   * The label-smoothing term of pixel {@code x}: {@code sum_c w[c] * -log p_c}, each
   * {@code -log p_c = logSum - (l_c - max)} (ATen sums the weighted log-softmax over classes).
   */
  private static double smoothTerm(double[] row, int c, int width, int x, double[] weights,
      double logSum, double max) {
    double s = 0;
    for (int ch = 0; ch < c; ch++) {
      double nlp = logSum - (row[ch * width + x] - max);
      s += weights == null ? nlp : weights[ch] * nlp;
    }
    return s;
  }

  /**
   * The error for the first valid pixel whose loss is not finite: its label's logit is -inf
   * (PyTorch gives an infinite loss there, and an infinite OHEM mean; times a class weight 0,
   * NaN), or the logits are so far apart that {@code max - logit} overflows.
   */
  private BadRecordException infiniteLoss(String imageId, Logits logits, int[] labels,
      double[] losses, int width, boolean resized) {
    int ignore = params.ignoreIndex();
    for (int i = 0; i < losses.length; i++) {
      if (labels[i] != ignore && !Double.isFinite(losses[i])) {
        int y = i / width;
        int x = i % width;
        String logit = "";
        if (!resized) {
          double[] r = new double[width];
          logits.readRow(labels[i], y, r, 0);
          logit = " (its logit " + r[x] + ")";
        }
        return new BadRecordException(null, imageId, "loss " + losses[i] + " at (y=" + y
            + ", x=" + x + ") for label " + labels[i] + logit + ": a label's logit of -inf "
            + "makes its cross-entropy infinite (PyTorch gives inf, and an infinite OHEM mean)"
            + (params.labelSmoothing() > 0 ? "; with label smoothing " + params.labelSmoothing()
            + " a -inf logit of any class does, since every class's log-probability is summed"
            : ""));
      }
    }
    return new BadRecordException(null, imageId, "the sum of the losses is not finite");
  }

  private void ensure(int c, int w, int width) {
    if (floatRow.length < c * width) {
      floatRow = new float[c * width];
    }
    if (row.length < c * width) {
      row = new double[c * width];
      hrow0 = new double[c * width];
      hrow1 = new double[c * width];
    }
    if (src.length < c * w) {
      src = new double[c * w];
    }
    if (max.length < width) {
      max = new double[width];
      logSum = new double[width];
      argmax = new int[width];
    }
  }

  /**
   * Reads source row {@code y} of every channel and interpolates it along x:
   * {@code dst[c, x] = src[c, i0[x]] * w0[x] + src[c, i1[x]] * w1[x]}, ATen's order. Source
   * values are checked first, so a NaN or infinity is reported where the file holds it (an
   * infinity times a zero weight would only show up as a NaN elsewhere).
   */
  private void resizeSourceRow(String imageId, Logits logits, int y, double[] dst, int width,
      BilinearAxis ax) {
    final int w = logits.width();
    final int c = logits.channels();
    final int[] i0 = ax.i0;
    final int[] i1 = ax.i1;
    final double[] w0 = ax.w0;
    final double[] w1 = ax.w1;
    for (int ch = 0; ch < c; ch++) {
      logits.readRow(ch, y, src, ch * w);
    }
    checkSourceFinite(imageId, logits, c, w, y);
    for (int ch = 0; ch < c; ch++) {
      int s = ch * w;
      int d = ch * width;
      for (int x = 0; x < width; x++) {
        dst[d + x] = src[s + i0[x]] * w0[x] + src[s + i1[x]] * w1[x];
      }
    }
  }

  /** Throws, naming the first NaN or infinite value of source row {@code y} in {@code src}. */
  private void checkSourceFinite(String imageId, Logits logits, int c, int w, int y) {
    double probe = 0;
    int n = c * w;
    for (int i = 0; i < n; i++) {
      probe += src[i] * 0.0;
    }
    if (probe == 0.0) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(src[i])) {
        throw new BadRecordException(null, imageId, "logit " + src[i] + " at (c=" + i / w
            + ", y=" + y + ", x=" + i % w + "): logits that are resized (" + logits.height()
            + "x" + w + " to the labels' size) must be finite: the bilinear resize of an "
            + "infinity gives NaN beside it (a zero weight times inf), as in PyTorch");
      }
    }
  }

  /**
   * The error for the first NaN or +inf value of the row buffer, else for the first pixel whose
   * logits are all -inf ({@link RowMath#logSumExp(double[], int, int, double[], double[])}).
   */
  private BadRecordException notFinite(String imageId, int c, int width, int y,
      boolean resized) {
    int n = c * width;
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(row[i]) || row[i] == Double.POSITIVE_INFINITY) {
        return new BadRecordException(null, imageId, "logit " + row[i] + " at (c=" + i / width
            + ", y=" + y + ", x=" + i % width + (resized ? ") after bilinear resize" : ")")
            + ": logits must be finite or -inf");
      }
    }
    for (int x = 0; x < width; x++) {
      boolean allNegInf = true;
      for (int ch = 0; ch < c && allNegInf; ch++) {
        allNegInf = row[ch * width + x] == Double.NEGATIVE_INFINITY;
      }
      if (allNegInf) {
        return new BadRecordException(null, imageId, "all " + c + " logits at (y=" + y
            + ", x=" + x + ") are -Infinity: the softmax is undefined (PyTorch gives NaN)");
      }
    }
    return new BadRecordException(null, imageId, "a logit of row y=" + y
        + " is not finite: logits must be finite or -inf");
  }
}
