package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassNamesTest {

  @Test
  void oneNamePerLineTrimmedWithBlankLinesAsNullAndTrailingOnesDropped() {
    assertEquals(Arrays.asList("road", null, "sky blue", "car"),
        ClassNames.parse("road\r\n  \n  sky blue \ncar\n\n\n"));
    assertEquals(List.of("a"), ClassNames.parse("a"));
    assertEquals(List.of(), ClassNames.parse(""));
  }
}
