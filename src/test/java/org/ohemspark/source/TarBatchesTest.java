package org.ohemspark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ohemspark.core.BadRecordException;

/** The {@code batch} field of a tar sample's JSON: what is read, and what is refused. */
class TarBatchesTest {
  private static Long batch(String json) {
    return TarBatches.batch("t.tar!/0007.json", "0007", json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void integersStringsOfIntegersAndIntegralNumbersAreRead() {
    assertEquals(12L, batch("{\"batch\": 12, \"other\": [1, 2]}"));
    assertEquals(-3L, batch("{\"batch\": \"-3\"}"));
    assertEquals(5L, batch("{\"batch\": 5.0}"));
    assertEquals(Long.MAX_VALUE, batch("{\"batch\": 9223372036854775807}"));
  }

  @Test
  void withoutTheFieldThereIsNoBatch() {
    assertNull(batch("{\"id\": \"0007\"}"));
    assertNull(batch("{}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"batch\": 1.5}", "{\"batch\": null}", "{\"batch\": \"x\"}",
      "{\"batch\": [1]}", "{\"batch\": 9223372036854775808}", "[1, 2]", "{\"batch\": 1",
      "{\"batch\": true}"})
  void otherValuesAreRefusedNamingTheMemberKeyAndValue(String json) {
    BadRecordException e = assertThrows(BadRecordException.class, () -> batch(json));
    String m = e.getMessage();
    assertTrue(m.contains("t.tar!/0007.json") && m.contains("0007"), m);
    if (json.startsWith("{\"batch\": ") && json.endsWith("}")) {
      String value = json.substring("{\"batch\": ".length(), json.length() - 1);
      assertTrue(m.contains(value), m);
    }
  }
}
