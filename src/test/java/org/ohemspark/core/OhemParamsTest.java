package org.ohemspark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link OhemParams#lossThreshold}: {@code -ln(thresh)}, in nats. */
class OhemParamsTest {

  @Test
  void lossThresholdIsMinusLnThresh() {
    assertEquals(0.35667494393873245, OhemParams.DEFAULTS.lossThreshold(), 0.0);
    assertEquals(-Math.log(0.3), OhemParams.DEFAULTS.withThresh(0.3).lossThreshold(), 0.0);
  }

  /** thresh 1 keeps every pixel with a positive loss; the cut prints as 0, not -0. */
  @Test
  void threshOneGivesPositiveZero() {
    assertEquals(0, Double.compare(0.0, OhemParams.DEFAULTS.withThresh(1).lossThreshold()));
  }
}
