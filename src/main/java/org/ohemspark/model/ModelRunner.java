package org.ohemspark.model;

import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.Logits;
import org.ohemspark.io.ImageDecoder.RgbImage;

/**
 * Runs a checked model ({@link ModelCheck#resolve}) on decoded images and gives each image's
 * logits {@code [C, h, w]} as float32 {@link DenseLogits}: the output's values as the model
 * gave them, or for {@code output_kind probabilities} their natural log
 * ({@code (float) Math.log(p)}; a probability of 0 gives {@code -inf}, as
 * {@code torch.log} does).
 *
 * <p>Memory: one batch's input ({@code N * 3 * H * W} floats), its output and one copy of the
 * logits per image.
 */
public final class ModelRunner {
  private final OnnxModel model;
  private final ModelSpec spec;
  private final Preprocessor pre;

  /**
   * @param model the loaded model (a {@link OnnxModel#shared} one on executors)
   * @param spec resolved against the model ({@link ModelCheck#resolve})
   */
  public ModelRunner(OnnxModel model, ModelSpec spec) {
    this.model = model;
    this.spec = spec;
    this.pre = new Preprocessor(spec);
  }

  /** How images are fed to the model: their input size, and whether they fit it. */
  public Preprocessor preprocessor() {
    return pre;
  }

  /**
   * A run that failed for every image of its batch: ONNX Runtime refused it, or its output is
   * not {@code [N, C, h, w]} with the declared class count. The message names the model and
   * what was expected and found.
   */
  public static final class RunException extends Exception {
    private static final long serialVersionUID = 1L;

    RunException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The logits of each image, in order; all images must have one {@link Preprocessor#inputSize}
   * and {@link Preprocessor#fits} them.
   *
   * @throws RunException as the class says
   */
  public List<Logits> run(List<RgbImage> images) throws RunException {
    int n = images.size();
    int[] size = pre.inputSize(images.get(0).height(), images.get(0).width());
    int per = 3 * size[0] * size[1];
    float[] input = new float[Math.multiplyExact(n, per)];
    for (int i = 0; i < n; i++) {
      pre.fill(images.get(i), input, i * per);
    }
    long[] shape = {n, 3, size[0], size[1]};
    OnnxModel.Output out;
    try {
      out = model.run(spec.input(), input, shape, spec.output());
    } catch (OrtException | RuntimeException e) {
      throw new RunException(model.name() + ": the run on input '" + spec.input() + "' "
          + Arrays.toString(shape) + " failed: " + e.getMessage(), e);
    }
    long[] s = out.shape();
    if (s.length != 4 || s[0] != n || spec.classes() != null && s[1] != spec.classes()
        || s[1] < 1 || s[2] < 1 || s[3] < 1) {
      throw new RunException(model.name() + ": output '" + spec.output() + "' is "
          + Arrays.toString(s) + " for input " + Arrays.toString(shape) + "; expected [" + n
          + ", " + (spec.classes() == null ? "C" : spec.classes() + " (classes)")
          + ", h, w]", null);
    }
    int c = (int) s[1];
    int h = (int) s[2];
    int w = (int) s[3];
    int len = c * h * w;
    float[] v = out.values();
    List<Logits> logits = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ByteBuffer b = ByteBuffer.allocate(len * 4).order(ByteOrder.LITTLE_ENDIAN);
      FloatBuffer f = b.asFloatBuffer();
      if (spec.probabilities()) {
        for (int j = 0; j < len; j++) {
          f.put((float) Math.log(v[i * len + j]));
        }
      } else {
        f.put(v, i * len, len);
      }
      logits.add(new DenseLogits(b, ByteOrder.LITTLE_ENDIAN, DenseLogits.DType.FLOAT32, c, h,
          w, false));
    }
    return logits;
  }
}
