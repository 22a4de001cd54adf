package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabelConventionTest {

  @Test
  void reduceZeroLabel() {
    int[] v = {0, 1, 2, 150, 255, 7};
    int[] out = LabelConvention.REDUCE_ZERO_LABEL.apply(v, 255);
    assertSame(v, out, "maps in place");
    assertArrayEquals(new int[] {255, 0, 1, 149, 255, 6}, out);
    // another ignore index: 0 and the stored 255 both become it
    assertArrayEquals(new int[] {-1, 0, 1, -1},
        LabelConvention.parse("reduce_zero_label").apply(new int[] {0, 1, 2, 255}, -1));
  }

  @Test
  void voidLabel() {
    LabelConvention c = LabelConvention.parse("void=11");
    assertEquals(11, c.voidLabel());
    assertEquals("void=11", c.toString());
    assertArrayEquals(new int[] {255, 0, 5, 12, 255, 10},
        c.apply(new int[] {11, 0, 5, 12, 255, 10}, 255));
    assertArrayEquals(new int[] {0, 3, 0}, LabelConvention.parse("void=0")
        .apply(new int[] {0, 3, 0}, 0));
    assertArrayEquals(new int[] {9, 3, 9},
        LabelConvention.parse("void=4").apply(new int[] {4, 3, 4}, 9));
  }

  @Test
  void trainIdsAndPaletteIndexAreIdentity() {
    int[] v = {0, 1, 18, 255, 300};
    assertArrayEquals(new int[] {0, 1, 18, 255, 300},
        LabelConvention.TRAIN_IDS.apply(v.clone(), 255));
    assertArrayEquals(new int[] {0, 1, 18, 255, 300},
        LabelConvention.PALETTE_INDEX.apply(v.clone(), 0));
  }

  @Test
  void parseKnownNames() {
    assertSame(LabelConvention.TRAIN_IDS, LabelConvention.parse("train_ids"));
    assertSame(LabelConvention.PALETTE_INDEX, LabelConvention.parse("palette_index"));
    assertSame(LabelConvention.REDUCE_ZERO_LABEL, LabelConvention.parse(" reduce_zero_label "));
    for (String s : new String[] {"train_ids", "palette_index", "reduce_zero_label", "void=11",
        "void=0"}) {
      assertEquals(LabelConvention.parse(s), LabelConvention.parse(
          LabelConvention.parse(s).toString()), s);
    }
  }

  @Test
  void parseErrorsNameTheText() {
    for (String s : new String[] {"", "foo", "void=", "void=abc", "void", "trainids",
        "reduce_zero_labels"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LabelConvention.parse(s), s);
      assertTrue(e.getMessage().contains("'" + s + "'"), e.getMessage());
    }
  }
}
