package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ModelOptionsTest {
  private static Properties shipped() throws IOException {
    Properties p = new Properties();
    try (FileReader r = new FileReader("conf/ohem-spark.properties")) {
      p.load(r);
    }
    return p;
  }

  @Test
  void theShippedFileSetsNoModel() throws IOException {
    ModelOptions o = ModelOptions.resolve(shipped(), Map.of(), Map.of());
    assertNull(o.model());
    assertEquals(1, o.batch());
    assertEquals(0, o.threads());
    assertNull(o.saveLogits());
  }

  @Test
  void flagsOverTheFile() throws IOException {
    Properties file = shipped();
    file.setProperty("model", "a.onnx");
    file.setProperty("model_batch", "4");
    Map<String, String> flags = new HashMap<>();
    flags.put("model", "b.onnx");
    flags.put("save_logits", "out/logits");
    flags.put("save_logits_dtype", "FLOAT16");
    ModelOptions o = ModelOptions.resolve(file, flags, Map.of("scale", "1/255"));
    assertEquals("b.onnx", o.model());
    assertEquals(4, o.batch());
    assertEquals("out/logits", o.saveLogits());
    assertTrue(o.float16());
    assertEquals(Map.of("scale", "1/255"), o.params());
  }

  @Test
  void badValuesAndSettingsWithoutAModelAreRefused() throws IOException {
    assertEquals("model_batch must be an integer >= 1, got '0'", assertThrows(
        IllegalArgumentException.class, () -> ModelOptions.resolve(shipped(),
            Map.of("model", "m.onnx", "model_batch", "0"), Map.of())).getMessage());
    assertEquals("save_logits_dtype must be float32 or float16, got 'float64'", assertThrows(
        IllegalArgumentException.class, () -> ModelOptions.resolve(shipped(),
            Map.of("model", "m.onnx", "save_logits_dtype", "float64"), Map.of()))
        .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelOptions.resolve(
        shipped(), Map.of("save_logits", "x"), Map.of())).getMessage()
        .startsWith("save_logits is set but no model is given"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelOptions.resolve(
        shipped(), Map.of(), Map.of("scale", "1"))).getMessage()
        .startsWith("--model-param is given but no model"));
  }
}
