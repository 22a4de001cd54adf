package org.ohemspark.model;

import org.ohemspark.core.BilinearAxis;
import org.ohemspark.io.ImageDecoder.RgbImage;

/**
 * Turns a decoded image into one image of a model's input tensor, as {@link ModelSpec}
 * declares: resize, channel order, scale, mean and std, layout NCHW.
 *
 * <p>Per input channel {@code k} (colour plane {@code k} for RGB, {@code 2 - k} for BGR) and
 * pixel, in double, rounded once to float32:
 *
 * <pre>
 *   v   = the sample on the 8-bit scale ({@link org.ohemspark.io.ImageDecoder}), or where the
 *         image is resized, its bilinear interpolation (align_corners=False, no anti-aliasing,
 *         as torch.nn.functional.interpolate: {@link BilinearAxis}; each source row
 *         interpolated along x first, then the two rows along y)
 *   out = (float) ((v * scale - mean[k]) / std[k])
 * </pre>
 *
 * The interpolation is linear and the normalisation affine, so resizing the raw samples first
 * equals normalising first up to rounding.
 */
public final class Preprocessor {
  private final ModelSpec spec;

  /** @param spec the declaration (its {@code input_size} resolved where the model fixes it) */
  public Preprocessor(ModelSpec spec) {
    this.spec = spec;
  }

  /**
   * The input size {@code [H, W]} an image of size {@code h x w} is fed at: the declared
   * {@code input_size}, or the image's own size.
   */
  public int[] inputSize(int h, int w) {
    return spec.inputSize() != null ? spec.inputSize() : new int[] {h, w};
  }

  /**
   * Whether {@code img} can be fed: always with bilinear resize, else only at the input size.
   */
  public boolean fits(RgbImage img) {
    int[] s = inputSize(img.height(), img.width());
    return spec.bilinear() || s[0] == img.height() && s[1] == img.width();
  }

  /**
   * Writes the image as {@code [3, H, W]} float32 (row-major, channels in the declared order)
   * into {@code dst[off .. off + 3*H*W)}, where {@code [H, W]} is {@link #inputSize}.
   *
   * @throws IllegalArgumentException if the image must be resized but {@code resize} is none
   *     ({@link #fits} says so first)
   */
  public void fill(RgbImage img, float[] dst, int off) {
    int h = img.height();
    int w = img.width();
    int[] size = inputSize(h, w);
    int oh = size[0];
    int ow = size[1];
    if (!fits(img)) {
      throw new IllegalArgumentException("image is " + h + "x" + w + ", the model input "
          + oh + "x" + ow + ", and resize is none");
    }
    float[] p = img.planes();
    int n = h * w;
    boolean same = oh == h && ow == w;
    BilinearAxis ay = same ? null : new BilinearAxis(h, oh);
    BilinearAxis ax = same ? null : new BilinearAxis(w, ow);
    double[] row0 = same ? null : new double[ow];
    double[] row1 = same ? null : new double[ow];
    for (int k = 0; k < 3; k++) {
      int plane = (spec.bgr() ? 2 - k : k) * n;
      double scale = spec.scale();
      double mean = spec.mean()[k];
      double std = spec.std()[k];
      int o = off + k * oh * ow;
      if (same) {
        for (int i = 0; i < n; i++) {
          dst[o + i] = (float) ((p[plane + i] * scale - mean) / std);
        }
        continue;
      }
      for (int y = 0; y < oh; y++) {
        horizontal(p, plane + ay.i0[y] * w, ax, row0);
        horizontal(p, plane + ay.i1[y] * w, ax, row1);
        double wy0 = ay.w0[y];
        double wy1 = ay.w1[y];
        int d = o + y * ow;
        for (int x = 0; x < ow; x++) {
          double v = wy0 * row0[x] + wy1 * row1[x];
          dst[d + x] = (float) ((v * scale - mean) / std);
        }
      }
    }
  }

  private static void horizontal(float[] p, int rowStart, BilinearAxis ax, double[] out) {
    for (int x = 0; x < out.length; x++) {
      out[x] = ax.w0[x] * p[rowStart + ax.i0[x]] + ax.w1[x] * p[rowStart + ax.i1[x]];
    }
  }
}
