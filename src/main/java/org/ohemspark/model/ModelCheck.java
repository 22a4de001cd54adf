package org.ohemspark.model;

import java.util.Arrays;
import java.util.Map;

/**
 * Checks a declaration ({@link ModelSpec}) against what the model itself declares
 * ({@link OnnxModel.Signature}) before any image is read, and fills in what the model fixes.
 *
 * <p>The input must be float32 {@code [N, 3, H, W]} and the output float32 {@code [N, C, h, w]}
 * (any dimension may be free). {@code N} must be free, or equal the batch size; a fixed
 * {@code H, W} must equal {@code input_size} (and gives it where not declared); a fixed
 * {@code C} must equal {@code classes} (and gives it where not declared).
 */
public final class ModelCheck {
  private ModelCheck() {}

  /**
   * @param name the model's file, for messages
   * @param batch images per run ({@code --model-batch})
   * @return {@code spec} with the input and output names, the input size and the class count
   *     filled in where the model fixes them
   * @throws ModelConfigException naming the model, the tensor and what was expected and found
   */
  public static ModelSpec resolve(ModelSpec spec, OnnxModel.Signature sig, String name,
      int batch) {
    String in = pick(spec.input(), sig.inputs(), name, "input");
    String out = pick(spec.output(), sig.outputs(), name, "output");
    OnnxModel.Tensor ti = sig.inputs().get(in);
    OnnxModel.Tensor to = sig.outputs().get(out);
    String declared = " (declared in " + spec.source() + ")";
    if (!ti.type().equals("FLOAT") || ti.dims().length != 4
        || ti.dims()[1] >= 0 && ti.dims()[1] != 3) {
      throw new ModelConfigException(name + ": input '" + in + "' is " + ti + "; expected "
          + "float [N, 3, H, W] (layout NCHW, three colour channels)");
    }
    if (!to.type().equals("FLOAT") || to.dims().length != 4) {
      throw new ModelConfigException(name + ": output '" + out + "' is " + to + "; expected "
          + "float [N, C, h, w] (classes by rows by columns)");
    }
    long n = ti.dims()[0];
    if (n >= 0 && n != batch) {
      throw new ModelConfigException(name + ": input '" + in + "' is " + ti + ": its batch "
          + "dimension is fixed at " + n + ", so --model-batch must be " + n + " (got " + batch
          + ")");
    }
    int[] size = spec.inputSize();
    long mh = ti.dims()[2];
    long mw = ti.dims()[3];
    if (size != null && (mh >= 0 && mh != size[0] || mw >= 0 && mw != size[1])) {
      throw new ModelConfigException(name + ": input '" + in + "' is " + ti + " but input_size "
          + "is " + Arrays.toString(size) + declared);
    }
    if (size == null && mh >= 0 && mw >= 0) {
      size = new int[] {(int) mh, (int) mw};
    } else if (size == null && (mh >= 0 || mw >= 0)) {
      throw new ModelConfigException(name + ": input '" + in + "' is " + ti + ": declare "
          + "input_size [H, W]");
    }
    Integer classes = spec.classes();
    long c = to.dims()[1];
    if (classes != null && c >= 0 && c != classes) {
      throw new ModelConfigException(name + ": output '" + out + "' is " + to + ": " + c
          + " classes, but classes is " + classes + declared);
    }
    if (classes == null && c >= 0) {
      classes = (int) c;
    }
    return spec.with(in, size, out, classes);
  }

  private static String pick(String wanted, Map<String, OnnxModel.Tensor> found, String name,
      String what) {
    if (wanted == null) {
      if (found.size() != 1) {
        throw new ModelConfigException(name + ": the model has " + found.size() + " " + what
            + "s " + found.keySet() + "; declare which one (" + what + " in model.json)");
      }
      return found.keySet().iterator().next();
    }
    if (!found.containsKey(wanted)) {
      throw new ModelConfigException(name + ": no " + what + " named '" + wanted + "'; the "
          + "model's " + what + "s: " + found);
    }
    return wanted;
  }
}
