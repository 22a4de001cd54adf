package org.ohemspark.testing;

import org.ohemspark.core.Logits;

/** {@link Logits} over a plain {@code double[C*h*w]} in C order, for hand-made cases. */
public record ArrayLogits(int channels, int height, int width, double[] values)
    implements Logits {

  public ArrayLogits {
    if (values.length != channels * height * width) {
      throw new IllegalArgumentException("need " + channels * height * width + " values");
    }
  }

  @Override
  public void readRow(int c, int y, double[] dst, int off) {
    System.arraycopy(values, (c * height + y) * width, dst, off, width);
  }
}
