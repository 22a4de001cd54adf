package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CocoRleTest {

  /** Row-major indices of rows y0..y1, columns x0..x1 (inclusive) of a W-wide mask. */
  private static int[] box(int w, int y0, int y1, int x0, int x1) {
    List<Integer> out = new ArrayList<>();
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        out.add(y * w + x);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** pycocotools 2.0's mask.encode of 25x25 masks (np.asfortranarray, uint8). */
  @Test
  void matchesPycocotoolsVectors() {
    assertEquals("05d00000000d?", CocoRle.encode(25, 25, box(25, 0, 4, 0, 4)));
    assertEquals("0ac0", CocoRle.encode(25, 25, box(25, 0, 24, 0, 24)));
    assertEquals("ac0", CocoRle.encode(25, 25, new int[0]));
    assertArrayEquals(new long[] {0, 5, 20, 5, 20, 5, 20, 5, 20, 5, 520},
        CocoRle.countsFromString("05d00000000d?"));
    assertArrayEquals(box(25, 0, 4, 0, 4), CocoRle.decode("05d00000000d?", 25, 25));
  }

  /** Run lengths of a boolean mask [H][W] read column-major, starting with 0s: spelled out. */
  private static long[] naiveCounts(boolean[][] m, int h, int w) {
    List<Long> counts = new ArrayList<>();
    boolean cur = false;
    long run = 0;
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        if (m[y][x] != cur) {
          counts.add(run);
          cur = m[y][x];
          run = 0;
        }
        run++;
      }
    }
    counts.add(run);
    return counts.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void randomMasksRoundTripAndHaveTheirRuns() {
    Random rnd = new Random(14);
    int[][] sizes = {{1, 1}, {1, 17}, {17, 1}, {2, 3}, {25, 25}, {31, 64}, {64, 31}, {7, 300}};
    for (int[] hw : sizes) {
      int h = hw[0];
      int w = hw[1];
      for (double p : new double[] {0, 0.02, 0.5, 0.97, 1}) {
        for (int trial = 0; trial < 5; trial++) {
          boolean[][] m = new boolean[h][w];
          List<Integer> set = new ArrayList<>();
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              m[y][x] = rnd.nextDouble() < p || (p > 0 && p < 1 && rnd.nextInt(9) == 0
                  && x > 0 && m[y][x - 1]);
              if (m[y][x]) {
                set.add(y * w + x);
              }
            }
          }
          int[] sorted = set.stream().mapToInt(Integer::intValue).toArray();
          List<Integer> shuffled = new ArrayList<>(set);
          java.util.Collections.shuffle(shuffled, rnd);
          String s = CocoRle.encode(h, w, shuffled.stream().mapToInt(Integer::intValue)
              .toArray());
          String what = h + "x" + w + " p=" + p + ": " + s;
          assertArrayEquals(naiveCounts(m, h, w), CocoRle.countsFromString(s), what);
          assertArrayEquals(sorted, CocoRle.decode(s, h, w), what);
          assertTrue(s.chars().allMatch(c -> c >= '0' && c <= 'o'), what);
        }
      }
    }
  }

  /** Counts and differences needing 1 to 13 groups of 5 bits, both signs. */
  @Test
  void largeCountsTakeMoreGroups() {
    long[] counts = {0, 1, 15, 16, (1L << 24) + 3, 3, 1L << 31, (1L << 32) - 1, 7, 1L << 40,
        0, (1L << 62), 5, 31, 32};
    String s = CocoRle.countsToString(counts);
    assertArrayEquals(counts, CocoRle.countsFromString(s));
    // 15 (0b01111) fits in one group; 16 needs two (bit 0x10 of a last group is the sign)
    assertEquals("0", CocoRle.countsToString(new long[] {0}));
    assertEquals("?", CocoRle.countsToString(new long[] {15}));
    assertEquals("`0", CocoRle.countsToString(new long[] {16})); // (16 | 0x20) + 48, 0 + 48
    // 2^31 - 1 as a first count: 31 bits and a 0 sign bit, 7 groups
    assertEquals(7, CocoRle.countsToString(new long[] {Integer.MAX_VALUE}).length());
    // a 5000x5000 mask with nothing set: one count of 25,000,000, 25 bits and a sign: 6 groups
    String empty = CocoRle.encode(5000, 5000, new int[0]);
    assertEquals(6, empty.length());
    assertEquals(0, CocoRle.decode(empty, 5000, 5000).length);
    // one pixel in its middle: a difference of about -12.5 million against the first run
    int mid = 2500 * 5000 + 2500;
    String one = CocoRle.encode(5000, 5000, new int[] {mid});
    assertArrayEquals(new long[] {2500L * 5000 + 2500, 1, 25_000_000L - 12_502_501},
        CocoRle.countsFromString(one));
    assertArrayEquals(new int[] {mid}, CocoRle.decode(one, 5000, 5000));
    long[] down = {100_000_000, 1, 3, 1, 99_999_990};
    assertArrayEquals(down, CocoRle.countsFromString(CocoRle.countsToString(down)),
        "a negative difference (3 - 100,000,000) of 6 groups");
  }

  @Test
  void badInputIsRefusedWithWhatIsWrong() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CocoRle.encode(2, 2, new int[] {4})).getMessage().contains("pixel index 4"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CocoRle.encode(2, 2, new int[] {1, 3, 1})).getMessage().contains("given twice"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CocoRle.decode("0ac0", 24, 25)).getMessage().contains("not H * W"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CocoRle.decode("0a", 25, 25)).getMessage().contains("cut off"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> CocoRle.decode("0 c0", 25, 25)).getMessage().contains("outside"));
  }

  @Test
  void fullColumnsAndRowsOfOnePixel() {
    assertEquals("0ac0", CocoRle.encode(1, 625, IntStream.range(0, 625).toArray()));
    assertEquals("0ac0", CocoRle.encode(625, 1, IntStream.range(0, 625).toArray()));
    assertEquals("01", CocoRle.encode(1, 1, new int[] {0}));
    assertEquals("1", CocoRle.encode(1, 1, new int[0]));
    // a 3x2 mask: (0,1) and (2,1) set; column-major 0 0 0 | 1 0 1 -> runs 3, 1, 1, 1
    assertArrayEquals(new long[] {3, 1, 1, 1},
        CocoRle.countsFromString(CocoRle.encode(3, 2, new int[] {5, 1})));
  }
}
