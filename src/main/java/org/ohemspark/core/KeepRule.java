package org.ohemspark.core;

import java.io.Serializable;

/**
 * Which valid pixels the OHEM rule keeps: those with {@code loss > cut}, plus, on the top-k
 * branch, the pixels whose loss equals {@code cut} (the k-th loss) up to {@code tiesKept} of
 * them, taken in {@code (image_id, pixel_index)} ascending order so that reruns keep the same
 * pixels. On the threshold branch {@code cut = -ln(thresh)} and {@code tiesKept = 0}; when
 * nothing is kept, {@code cut = +inf}.
 */
public record KeepRule(double cut, long tiesKept) implements Serializable {

  /** Keeps nothing. */
  public static final KeepRule NONE = new KeepRule(Double.POSITIVE_INFINITY, 0);

  /** The same cut with another number of ties kept (a per-image quota). */
  public KeepRule withTies(long ties) {
    return new KeepRule(cut, ties);
  }
}
