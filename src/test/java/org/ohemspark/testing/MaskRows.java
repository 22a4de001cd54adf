package org.ohemspark.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.ohemspark.core.CocoRle;

/** Checks {@code images/}'s {@code hard_mask} against {@code hard_pixels/}'s rows. */
public final class MaskRows {
  private MaskRows() {}

  /**
   * Every image's {@code hard_mask}, decoded at ({@code mask_height}, {@code mask_width}) =
   * ({@code height}, {@code width}), sets exactly its {@code hard_pixels/} rows' (y, x).
   */
  public static void assertMasksAreTheHardPixels(List<Row> images, List<Row> hardPixels) {
    Map<String, List<Integer>> byImage = new HashMap<>();
    for (Row h : hardPixels) {
      byImage.computeIfAbsent(h.<String>getAs("image_id"), k -> new ArrayList<>())
          .add((int) (long) h.<Long>getAs("pixel_index"));
    }
    Map<String, Integer> widths = new HashMap<>();
    long set = 0;
    for (Row r : images) {
      String id = r.getAs("image_id");
      int height = r.getAs("mask_height");
      int width = r.getAs("mask_width");
      assertEquals(List.of(r.<Integer>getAs("height"), r.<Integer>getAs("width")),
          List.of(height, width), id);
      widths.put(id, width);
      int[] decoded = CocoRle.decode(r.getAs("hard_mask"), height, width);
      int[] expected = byImage.getOrDefault(id, List.of()).stream().mapToInt(i -> i).sorted()
          .toArray();
      assertArrayEquals(expected, decoded, "hard_mask of " + id);
      assertEquals(r.<Long>getAs("n_kept"), decoded.length, id);
      set += decoded.length;
    }
    assertEquals(hardPixels.size(), set, "every hard pixel is in its image's mask");
    for (Row h : hardPixels) { // (y, x) agree with pixel_index at the mask's width
      int w = widths.get(h.<String>getAs("image_id"));
      assertEquals(h.<Long>getAs("pixel_index"), (long) h.<Integer>getAs("y") * w
          + h.<Integer>getAs("x"));
    }
  }
}
