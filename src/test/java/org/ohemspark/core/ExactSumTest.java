package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {

  @Test
  void cancellationThatPlainDoublesLose() {
    // in double arithmetic 1e16 + 1.0 == 1e16, so a left-to-right sum gives 0
    assertEquals(0.0, 1e16 + 1.0 - 1e16);
    assertEquals(1.0, new ExactSum().add(1e16).add(1.0).add(-1e16).toDouble());
  }

  @Test
  void roundsOnceAtTheEnd() {
    // plain doubles depend on the order: (0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3)
    assertEquals(0.6000000000000001, (0.1 + 0.2) + 0.3);
    assertEquals(0.6, 0.1 + (0.2 + 0.3));
    // the exact sum of the three binary values is 0.60000000000000000555..., whose nearest
    // double is 0.6 (0.59999999999999997779...; the next one up is 0.60000000000000008881...)
    assertEquals(0.6, new ExactSum().add(0.1).add(0.2).add(0.3).toDouble());
    assertEquals(0.6, new ExactSum().add(0.3).add(0.2).add(0.1).toDouble());
  }

  @Test
  void sameBitsInAnyOrderAndSplit() {
    Random rnd = new Random(7);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      values.add(Math.exp(rnd.nextGaussian() * 8));
    }
    double first = new ExactSum().toDouble();
    assertEquals(0.0, first);
    ExactSum all = new ExactSum();
    values.forEach(all::add);
    for (int trial = 0; trial < 5; trial++) {
      Collections.shuffle(values, rnd);
      ExactSum a = new ExactSum();
      ExactSum b = new ExactSum();
      for (int i = 0; i < values.size(); i++) {
        (i < 700 ? a : b).add(values.get(i));
      }
      assertEquals(Double.doubleToRawLongBits(all.toDouble()),
          Double.doubleToRawLongBits(b.merge(a).toDouble()));
    }
  }

  @Test
  void rejectsNonFinite() {
    assertThrows(IllegalArgumentException.class, () -> new ExactSum().add(Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> new ExactSum().add(Double.POSITIVE_INFINITY));
  }
}
