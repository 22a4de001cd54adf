package org.ohemspark.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ohemspark.core.CrossEntropyKernel;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.RowMath;
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
 * The per-pixel cross-entropy of one image, as the loss pass runs it: decode of the stored
 * logits bytes ({@link DenseLogits}, float32 or float16, little-endian C order), the bilinear
 * resize when the logits are at 1/4 of the label size, the max-shifted log-sum-exp and the
 * first-pass figures. One thread, so the score is per core.
 *
 * <p>Score unit: one operation is one label pixel, so {@code ops/us} reads as Mpx/s.
 * The image is {@value #H} x {@value #W} label pixels; with {@code resize=true} the logits are
 * {@code [C, H/4, W/4]}. Logits are model-like: N(0, 1.5) noise plus a margin of 4 on the label's
 * class (about 5% of pixels above the default loss threshold); 3% of labels are ignored.
 * {@code impl} picks the row arithmetic: {@code best} (what the job uses) or {@code scalar}.
 *
 * <p>Run: {@code jobs/bench-kernel.sh} (all parameters), or e.g.
 * {@code jobs/bench-kernel.sh -p classes=19 -p dtype=float32}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CrossEntropyKernelBench {
  static final int H = 256;
  static final int W = 512;

  @Param({"19", "150"})
  int classes;

  @Param({"float32", "float16"})
  String dtype;

  @Param({"false", "true"})
  boolean resize;

  @Param({"best", "scalar"})
  String impl;

  private CrossEntropyKernel kernel;
  private DenseLogits logits;
  private int[] labels;

  @Setup
  public void setUp() {
    int h = resize ? H / 4 : H;
    int w = resize ? W / 4 : W;
    SplittableRandom r = new SplittableRandom(42);
    labels = new int[H * W];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(100) < 3 ? 255 : r.nextInt(classes);
    }
    boolean half = dtype.equals("float16");
    ByteBuffer b = ByteBuffer.allocate(classes * h * w * (half ? 2 : 4))
        .order(ByteOrder.LITTLE_ENDIAN);
    for (int c = 0; c < classes; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int label = labels[(y * H / h) * W + x * W / w];
          float v = (float) (r.nextGaussian() * 1.5 + (label == c ? 4.0 : 0.0));
          if (half) {
            b.putShort(org.ohemspark.core.Float16.fromFloat(v));
          } else {
            b.putFloat(v);
          }
        }
      }
    }
    b.flip();
    logits = new DenseLogits(b, ByteOrder.LITTLE_ENDIAN,
        half ? DenseLogits.DType.FLOAT16 : DenseLogits.DType.FLOAT32, classes, h, w, false);
    RowMath math = impl.equals("scalar") ? RowMath.scalar() : RowMath.best();
    kernel = new CrossEntropyKernel(OhemParams.DEFAULTS, math);
  }

  @Benchmark
  @OperationsPerInvocation(H * W)
  public double image() {
    ImageLosses l = kernel.compute("bench", logits, labels, H, W);
    return l.sumLoss();
  }
}
