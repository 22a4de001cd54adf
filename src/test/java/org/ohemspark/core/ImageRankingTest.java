package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRankingTest {

  @Test
  void largerSumFirstThenSmallerId() {
    List<ImageRanking.Key> keys = new ArrayList<>(List.of(
        new ImageRanking.Key(1.5, "b"), new ImageRanking.Key(0.0, "a"),
        new ImageRanking.Key(2.0, "z"), new ImageRanking.Key(1.5, "a"),
        new ImageRanking.Key(-0.0, "0"), new ImageRanking.Key(Double.NaN, "n")));
    keys.sort(ImageRanking.ORDER);
    assertEquals(List.of("n", "z", "a", "b", "0", "a"),
        keys.stream().map(ImageRanking.Key::imageId).toList(),
        "NaN largest (as Spark); -0.0 ties with 0.0, broken by id");
    assertTrue(ImageRanking.compare(3, "x", 3, "x") == 0);
  }

  /** Ids compare as their UTF-8 bytes (Spark's string order), not as UTF-16 units. */
  @Test
  void idsCompareByCodePointAsUtf8Bytes() {
    String supplementary = new String(Character.toChars(0x1F600)); // UTF-16: D83D DE00
    String highBmp = "\uFF01"; // UTF-16: FF01, above D83D; code point below 0x1F600
    assertTrue(supplementary.compareTo(highBmp) < 0, "String order differs");
    assertTrue(ImageRanking.compare(1, highBmp, 1, supplementary) < 0);
    String[] ids = {"b", "a", "ab", "", supplementary, highBmp, "\u00e9"};
    String[] byBytes = ids.clone();
    Arrays.sort(byBytes, (x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
        y.getBytes(StandardCharsets.UTF_8)));
    String[] byRanking = ids.clone();
    Arrays.sort(byRanking, (x, y) -> ImageRanking.compare(0, x, 0, y));
    assertEquals(Arrays.asList(byBytes), Arrays.asList(byRanking));
  }
}
