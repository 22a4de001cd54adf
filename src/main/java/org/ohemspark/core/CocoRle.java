package org.ohemspark.core;

import java.util.Arrays;

/**
 * A binary mask as COCO's compressed run-length encoding: the {@code counts} string of
 * pycocotools' {@code mask.encode}, so that {@code pycocotools.mask.decode({"size": [H, W],
 * "counts": s})} gives the mask back ({@code [H, W]}, uint8, 1 where set).
 *
 * <p>The format, as {@code rleEncode} and {@code rleToString} in pycocotools'
 * {@code common/maskApi.c} define it (written here from that description, not copied):
 *
 * <ul>
 *   <li>The mask is read column-major (Fortran order): pixel {@code (y, x)} is at {@code x * H +
 *       y}. Its runs alternate between 0s and 1s, starting with a run of 0s, which is empty
 *       ({@code 0}) when pixel (0, 0) is set; the counts sum to {@code H * W}.
 *   <li>Each count {@code cnts[i]} is written as {@code x = cnts[i]}, or from the fourth count
 *       on ({@code i > 2}) as the difference {@code x = cnts[i] - cnts[i - 2]} (signed), in
 *       groups of 5 bits, least significant first: a group {@code c = x & 0x1f}, then
 *       {@code x >>= 5} (arithmetic); another group follows when {@code x != -1} if bit
 *       {@code 0x10} of {@code c} is set (the sign), else when {@code x != 0}; a group followed
 *       by another gets {@code 0x20}; each group is the character {@code c + 48} (so
 *       {@code '0'..'o'}).
 *   <li>Reading reverses this: groups are or-ed in at {@code 5 * k} bits until one lacks
 *       {@code 0x20}; if that last one has {@code 0x10} the value is sign-extended; from the
 *       fourth count on, {@code cnts[i - 2]} is added back.
 * </ul>
 *
 * Reference vectors (pycocotools 2.0): a 25x25 mask with rows 0-4 and columns 0-4 set is
 * {@code "05d00000000d?"}, all set {@code "0ac0"}, none set {@code "ac0"}.
 */
public final class CocoRle {
  private CocoRle() {}

  /**
   * The counts string of an {@code height x width} mask whose set pixels are {@code pixels}
   * (row-major indices {@code y * W + x}, distinct, any order; the array is not modified).
   * Memory: one int per set pixel, plus the string.
   *
   * @throws IllegalArgumentException for a negative size, an index outside {@code [0, H * W)}
   *     or a repeated index
   */
  public static String encode(int height, int width, int[] pixels) {
    long n = (long) height * width;
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException("mask size " + height + "x" + width + " is negative");
    }
    long[] fortran = new long[pixels.length];
    for (int j = 0; j < pixels.length; j++) {
      int p = pixels[j];
      if (p < 0 || p >= n) {
        throw new IllegalArgumentException("pixel index " + p + " is outside a " + height + "x"
            + width + " mask");
      }
      fortran[j] = (long) (p % width) * height + p / width;
    }
    Arrays.sort(fortran);
    StringBuilder s = new StringBuilder();
    Writer out = new Writer(s);
    long end = 0; // where the previous run of 1s ended (column-major)
    int j = 0;
    while (j < fortran.length) {
      long start = fortran[j];
      if (start < end) {
        throw new IllegalArgumentException("pixel index " + pixels[indexOf(pixels, start,
            height, width)] + " is given twice");
      }
      int k = j + 1;
      while (k < fortran.length && fortran[k] == fortran[k - 1] + 1) {
        k++;
      }
      out.count(start - end);
      out.count(k - j);
      end = start + (k - j);
      j = k;
    }
    if (end < n || fortran.length == 0) {
      out.count(n - end); // the last run of 0s (the whole mask when nothing is set)
    }
    return s.toString();
  }

  private static int indexOf(int[] pixels, long fortran, int height, int width) {
    for (int j = 0; j < pixels.length; j++) {
      if ((long) (pixels[j] % width) * height + pixels[j] / width == fortran) {
        return j;
      }
    }
    return 0;
  }

  /**
   * The counts string of run lengths {@code counts} (pycocotools' {@code rleToString}): any
   * values a signed 64-bit difference holds; pycocotools itself holds counts as uint32.
   */
  public static String countsToString(long[] counts) {
    StringBuilder s = new StringBuilder();
    Writer out = new Writer(s);
    for (long c : counts) {
      out.count(c);
    }
    return s.toString();
  }

  /**
   * The run lengths of a counts string (pycocotools' {@code rleFrString}).
   *
   * @throws IllegalArgumentException for a character outside {@code '0'..'o'}, a count cut off
   *     (its last character carries the "more" flag), more than 13 groups in one count, or a
   *     negative count
   */
  public static long[] countsFromString(String s) {
    long[] counts = new long[Math.max(4, s.length())];
    int m = 0;
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new IllegalArgumentException("COCO RLE counts string cut off in count " + m
              + " (its last character has the 'more' flag 0x20)");
        }
        int c = s.charAt(p) - 48;
        if (c < 0 || c > 63) {
          throw new IllegalArgumentException("COCO RLE counts string: character '"
              + s.charAt(p) + "' at " + p + " is outside '0'..'o'");
        }
        if (k >= 13) {
          throw new IllegalArgumentException("COCO RLE counts string: count " + m
              + " has more than 13 groups of 5 bits (64 bits)");
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0 && 5 * k < 64) {
          x |= -1L << (5 * k);
        }
      }
      if (m > 2) {
        x += counts[m - 2];
      }
      if (x < 0) {
        throw new IllegalArgumentException("COCO RLE counts string: count " + m + " is " + x
            + ", negative");
      }
      counts[m++] = x;
    }
    return Arrays.copyOf(counts, m);
  }

  /**
   * The set pixels of an {@code height x width} mask given by its counts string, as ascending
   * row-major indices {@code y * W + x} (what {@code hard_pixels/}'s {@code pixel_index} holds).
   *
   * @throws IllegalArgumentException for a malformed string ({@link #countsFromString}) or
   *     counts that do not sum to {@code H * W}
   */
  public static int[] decode(String s, int height, int width) {
    long[] counts = countsFromString(s);
    long n = (long) height * width;
    long sum = 0;
    long ones = 0;
    for (int i = 0; i < counts.length; i++) {
      sum += counts[i];
      if (i % 2 == 1) {
        ones += counts[i];
      }
    }
    if (sum != n) {
      throw new IllegalArgumentException("COCO RLE counts sum to " + sum + ", not H * W = "
          + height + " * " + width + " = " + n);
    }
    int[] out = new int[(int) ones];
    int j = 0;
    long at = 0;
    for (int i = 0; i < counts.length; i++) {
      if (i % 2 == 1) {
        for (long f = at; f < at + counts[i]; f++) {
          out[j++] = (int) ((f % height) * width + f / height);
        }
      }
      at += counts[i];
    }
    Arrays.sort(out);
    return out;
  }

  /** Appends counts to a string, each against the one two before it from the fourth on. */
  private static final class Writer {
    private final StringBuilder s;
    private long beforeLast;
    private long last;
    private int i;

    Writer(StringBuilder s) {
      this.s = s;
    }

    void count(long c) {
      long x = i > 2 ? c - beforeLast : c;
      beforeLast = last;
      last = c;
      i++;
      boolean more = true;
      while (more) {
        int g = (int) (x & 0x1f);
        x >>= 5;
        more = (g & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          g |= 0x20;
        }
        s.append((char) (g + 48));
      }
    }
  }
}
