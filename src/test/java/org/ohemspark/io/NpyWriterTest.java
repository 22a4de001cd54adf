package org.ohemspark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.ohemspark.core.Float16;
import org.ohemspark.core.Logits;

class NpyWriterTest {

  @Test
  void headersAreAlignedTo64BytesAsNumpyWritesThem() {
    for (long[] shape : new long[][] {{3}, {2, 3}, {19, 512, 1024}, {150, 1, 1}}) {
      byte[] h = NpyWriter.header("<f4", shape);
      assertEquals(0, h.length % 64);
      assertEquals('\n', h[h.length - 1]);
    }
  }

  @Test
  void floatsAndLabelsReadBackThroughNpyArray() {
    float[] v = {0f, -1.5f, 3.25f, 1e4f, -0.0f, 7f};
    Logits l = NpyArray.parse("f.npy", NpyWriter.floats(v, false, 1, 2, 3)).asLogits("f");
    double[] row = new double[3];
    l.readRow(0, 1, row, 0);
    assertArrayEquals(new double[] {1e4, -0.0, 7}, row);
    Logits half = NpyArray.parse("h.npy", NpyWriter.floats(v, true, 2, 1, 3)).asLogits("h");
    half.readRow(1, 0, row, 0);
    assertArrayEquals(new double[] {1e4, -0.0, 7}, row);
    assertEquals(Float16.toFloat(Float16.fromFloat(3.25f)), 3.25f);
    int[] labels = {0, 255, 18, 3};
    int[] dims = new int[2];
    assertArrayEquals(labels, NpyArray.parse("l.npy", NpyWriter.uint8(labels, 2, 2))
        .asLabels("l", dims));
    assertArrayEquals(new int[] {2, 2}, dims);
  }
}
