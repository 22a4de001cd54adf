package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The report's loss bins: edges, the overflow bin, merging, and coarsening up to the max. */
class LossBinsTest {

  @Test
  void lossesFallInBinsOfOneThirtySecondNat() {
    LossBins b = new LossBins();
    b.add(0.0);
    b.add(0.03124); // bin 0
    b.add(0.03125); // 1/32: bin 1
    b.add(1.0); // bin 32
    b.add(100.0); // over 64 nats: the last bin
    b.add(Double.POSITIVE_INFINITY);
    b.add(Double.NaN); // not counted
    assertEquals(2, b.count(0));
    assertEquals(1, b.count(1));
    assertEquals(1, b.count(32));
    assertEquals(2, b.count(LossBins.BINS - 1));
    assertEquals(6, b.total());
  }

  @Test
  void statesMergeByAddingAndKeepTheLargerMax() {
    LossBins a = new LossBins();
    a.add(0.5);
    LossBins b = new LossBins();
    b.add(0.5);
    b.add(2.0);
    a.merge(b);
    assertEquals(2, a.count(16));
    assertEquals(1, a.count(64));
    assertEquals(2.0, a.max());
  }

  @Test
  void coarseningCoversTheLastNonEmptyBinInAtMostTheBinsAsked() {
    LossBins b = new LossBins();
    for (double l : new double[] {0.01, 0.2, 0.26, 3.0, 9.99}) {
      b.add(l);
    }
    // 9.99 nats is fine bin 319; ceil(320 / 64) = 5 fine bins a display bin: width 5/32
    LossBins.Coarse c = b.coarsened(64);
    assertEquals(5.0 / 32, c.width());
    assertEquals(64, c.counts().length);
    assertEquals(2, c.counts()[1]); // 0.2 (fine 6) and 0.26 (fine 8): [5/32, 10/32)
    assertEquals(1, c.counts()[0]);
    assertEquals(1, c.counts()[19]); // 3.0: fine 96, display 19
    assertEquals(1, c.counts()[63]);
    LossBins one = new LossBins();
    one.add(0.01);
    assertArrayEquals(new long[] {1}, one.coarsened(64).counts());
  }
}
