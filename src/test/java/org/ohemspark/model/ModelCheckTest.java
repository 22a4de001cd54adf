package org.ohemspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCheckTest {
  private static final ModelSpec BASE = ModelSpec.parse("model.json", null, Map.of("scale",
      "1", "mean", "[0,0,0]", "std", "[1,1,1]", "output_kind", "logits"));

  private static OnnxModel.Signature sig(long[] in, long[] out) {
    Map<String, OnnxModel.Tensor> i = new LinkedHashMap<>();
    i.put("x.1", new OnnxModel.Tensor("FLOAT", in));
    Map<String, OnnxModel.Tensor> o = new LinkedHashMap<>();
    o.put("logits", new OnnxModel.Tensor("FLOAT", out));
    return new OnnxModel.Signature(i, o);
  }

  private static String error(ModelSpec s, OnnxModel.Signature g, int batch) {
    return assertThrows(ModelConfigException.class, () -> ModelCheck.resolve(s, g, "m.onnx",
        batch)).getMessage();
  }

  @Test
  void fillsWhatTheModelFixes() {
    ModelSpec r = ModelCheck.resolve(BASE, sig(new long[] {1, 3, 512, 512},
        new long[] {1, 4, 512, 512}), "m.onnx", 1);
    assertEquals("x.1", r.input());
    assertEquals("logits", r.output());
    assertArrayEquals(new int[] {512, 512}, r.inputSize());
    assertEquals(4, r.classes());
    ModelSpec free = ModelCheck.resolve(BASE, sig(new long[] {-1, 3, -1, -1},
        new long[] {-1, -1, -1, -1}), "m.onnx", 8);
    assertEquals(null, free.inputSize());
    assertEquals(null, free.classes());
  }

  @Test
  void mismatchesAreConfigurationErrors() {
    OnnxModel.Signature pan = sig(new long[] {1, 3, 512, 512}, new long[] {1, 4, 512, 512});
    assertEquals("m.onnx: input 'x.1' is float [1, 3, 512, 512]: its batch dimension is fixed "
        + "at 1, so --model-batch must be 1 (got 4)", error(BASE, pan, 4));
    assertEquals("m.onnx: output 'logits' is float [1, 4, 512, 512]: 4 classes, but classes is"
        + " 5 (declared in --model-param)", error(BASE.with(null, null, null, 5), pan, 1));
    assertEquals("m.onnx: input 'x.1' is float [1, 3, 512, 512] but input_size is [256, 256] "
        + "(declared in --model-param)", error(BASE.with(null, new int[] {256, 256}, null, null),
        pan, 1));
    String name = error(BASE.with("input", null, null, null), pan, 1);
    assertEquals("m.onnx: no input named 'input'; the model's inputs: {x.1=float [1, 3, 512, "
        + "512]}", name);
    assertEquals("m.onnx: input 'x.1' is float [1, 1, 512, 512]; expected float [N, 3, H, W] "
        + "(layout NCHW, three colour channels)", error(BASE, sig(new long[] {1, 1, 512, 512},
        new long[] {1, 4, 512, 512}), 1));
    assertEquals("m.onnx: output 'logits' is float [1, 4, 512]; expected float [N, C, h, w] "
        + "(classes by rows by columns)", error(BASE, sig(new long[] {1, 3, 512, 512},
        new long[] {1, 4, 512}), 1));
  }
}
