package org.ohemspark.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ohemspark.core.Float16;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The float16 decode of the loss pass alone: one row of 1024 halves (logits of N(0, 4), as the
 * generator writes) to floats, by {@link Float16#toFloats} (the Vector API where present) and by
 * the table. Scores are values per microsecond on one core.
 *
 * <pre>jobs/bench-kernel.sh Float16Bench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Float16Bench {
  private static final int W = 1024;

  @Param({"best", "table"})
  String impl;

  private final short[] src = new short[W];
  private final float[] dst = new float[W];

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < W; i++) {
      src[i] = Float16.fromFloat((float) (r.nextGaussian() * 2));
    }
  }

  @Benchmark
  @OperationsPerInvocation(W)
  public float[] row() {
    if (impl.equals("table")) {
      Float16.toFloatsByTable(src, 0, dst, 0, W);
    } else {
      Float16.toFloats(src, 0, dst, 0, W);
    }
    return dst;
  }
}
