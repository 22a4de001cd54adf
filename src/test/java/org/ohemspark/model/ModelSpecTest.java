package org.ohemspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  private static final String PAN = "{\"input\": \"x.1\", \"input_size\": [512, 512], "
      + "\"channel_order\": \"RGB\", \"scale\": \"1/255\", \"mean\": [0.485, 0.456, 0.406], "
      + "\"std\": [0.229, 0.224, 0.225], \"layout\": \"NCHW\", \"output\": \"logits\", "
      + "\"output_kind\": \"logits\", \"classes\": 4}";

  private static ModelSpec parse(String json, Map<String, String> params) {
    return ModelSpec.parse("model.json", json == null ? null
        : json.getBytes(StandardCharsets.UTF_8), params);
  }

  @Test
  void everyKeyIsRead() {
    ModelSpec s = parse(PAN, Map.of());
    assertEquals("x.1", s.input());
    assertArrayEquals(new int[] {512, 512}, s.inputSize());
    assertTrue(s.bilinear());
    assertFalse(s.bgr());
    assertEquals(1.0 / 255, s.scale());
    assertArrayEquals(new double[] {0.485, 0.456, 0.406}, s.mean());
    assertArrayEquals(new double[] {0.229, 0.224, 0.225}, s.std());
    assertEquals("logits", s.output());
    assertFalse(s.probabilities());
    assertEquals(4, s.classes());
    assertEquals("model.json", s.source());
  }

  @Test
  void paramsOverrideTheFileAndStandAlone() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("channel_order", "bgr");
    p.put("input_size", "none");
    p.put("resize", "none");
    p.put("output_kind", "probabilities");
    p.put("mean", "[1, 2, 3]");
    ModelSpec s = parse(PAN, p);
    assertTrue(s.bgr());
    assertNull(s.inputSize());
    assertFalse(s.bilinear());
    assertTrue(s.probabilities());
    assertArrayEquals(new double[] {1, 2, 3}, s.mean());
    assertEquals("model.json and --model-param", s.source());
    ModelSpec flags = parse(null, Map.of("scale", "0.5", "mean", "[0,0,0]", "std", "[1,1,1]",
        "output_kind", "logits", "input", "x.1"));
    assertEquals(0.5, flags.scale());
    assertEquals("--model-param", flags.source());
    assertEquals("x.1", flags.input());
    assertNull(flags.output());
    assertNull(flags.classes());
  }

  @Test
  void errorsNameTheKey() {
    assertTrue(assertThrows(ModelConfigException.class, () -> parse("{\"scal\": 1}", Map.of()))
        .getMessage().contains("unknown key(s) [scal]"));
    String missing = assertThrows(ModelConfigException.class,
        () -> parse("{\"scale\": 1}", Map.of())).getMessage();
    assertTrue(missing.contains("[mean, std, output_kind] must be declared"), missing);
    String std = assertThrows(ModelConfigException.class, () -> parse(PAN,
        Map.of("std", "[1, 0, 1]"))).getMessage();
    assertEquals("model.json and --model-param: std[1] is 0", std);
    assertTrue(assertThrows(ModelConfigException.class, () -> parse(PAN,
        Map.of("mean", "[1, 2]"))).getMessage().contains("mean must be an array of 3"));
    assertTrue(assertThrows(ModelConfigException.class, () -> parse(PAN,
        Map.of("layout", "NHWC"))).getMessage().contains("layout must be NCHW"));
    assertTrue(assertThrows(ModelConfigException.class, () -> parse(PAN,
        Map.of("output_kind", "softmax"))).getMessage().contains("logits or probabilities"));
    assertTrue(assertThrows(ModelConfigException.class, () -> parse(PAN,
        Map.of("input_size", "[512]"))).getMessage().contains("input_size must be [H, W]"));
    assertTrue(assertThrows(ModelConfigException.class, () -> parse(PAN,
        Map.of("scale", "a/b"))).getMessage().contains("scale must be a number"));
    assertTrue(assertThrows(ModelConfigException.class, () -> parse("[1]", Map.of()))
        .getMessage().contains("expected a JSON object"));
    assertTrue(assertThrows(ModelConfigException.class, () -> parse("{", Map.of()))
        .getMessage().contains("not valid JSON"));
  }
}
