package org.ohemspark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DatasetDescriptorTest {

  private static DatasetDescriptor parse(String json) {
    return DatasetDescriptor.parse("ds/dataset.json", json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void allFields() {
    DatasetDescriptor d = parse("{\"classes\": 150, \"ignore_index\": 255, "
        + "\"label_convention\": \"reduce_zero_label\", \"class_weights\": [0.5, 2, 1.0], "
        + "\"other\": {\"x\": 1}}");
    assertEquals(150, d.classes());
    assertEquals(255, d.ignoreIndex());
    assertEquals("reduce_zero_label", d.labelConvention());
    assertArrayEquals(new double[] {0.5, 2, 1}, d.classWeights(), 0.0);
  }

  @Test
  void classesMayBeTheListOfClassNames() {
    DatasetDescriptor d = parse("{\"classes\": [\"background\", \"skin\", \"clothes\", "
        + "\"hair\"], \"palette\": [[0, 0, 0]]}");
    assertEquals(4, d.classes());
    assertEquals(java.util.List.of("background", "skin", "clothes", "hair"), d.classNames());
  }

  @Test
  void classNamesComeFromClassNamesBeforeAClassesList() {
    DatasetDescriptor d = parse("{\"classes\": [\"a\", \"b\"], \"class_names\": [\"road\", "
        + "null]}");
    assertEquals(2, d.classes());
    assertEquals(java.util.Arrays.asList("road", null), d.classNames());
    assertNull(parse("{\"classes\": 3}").classNames());
  }

  @Test
  void everyFieldIsOptional() {
    DatasetDescriptor d = parse("{}");
    assertNull(d.classes());
    assertNull(d.ignoreIndex());
    assertNull(d.labelConvention());
    assertNull(d.classWeights());
    assertNull(d.classNames());
    DatasetDescriptor n = parse("{\"classes\": null, \"class_weights\": null}");
    assertNull(n.classes());
    assertNull(n.classWeights());
  }

  @Test
  void malformedFieldsNameFileAndField() {
    String[][] bad = {{"{\"classes\": 0}", "classes"}, {"{\"classes\": 2.5}", "classes"},
        {"{\"classes\": \"19\"}", "classes"}, {"{\"ignore_index\": 1e20}", "ignore_index"},
        {"{\"label_convention\": 3}", "label_convention"},
        {"{\"class_weights\": 1}", "class_weights"},
        {"{\"class_weights\": [1, \"a\"]}", "class_weights[1]"}, {"[1, 2]", "object"},
        {"{\"class_names\": \"road\"}", "class_names"},
        {"{\"class_names\": [\"road\", 7]}", "class_names[1]"},
        {"{not json", "JSON"}};
    for (String[] b : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> parse(b[0]), b[0]);
      assertTrue(e.getMessage().contains("ds/dataset.json") && e.getMessage().contains(b[1]),
          e.getMessage());
    }
  }
}
