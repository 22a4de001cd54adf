package org.ohemspark.bench;

import java.nio.ByteOrder;

import java.util.concurrent.TimeUnit;
import org.ohemspark.core.CrossEntropyKernel;
import org.ohemspark.core.DenseLogits;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.RowMath;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.io.NpyWriter;
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
 * {@code [C, H/4, W/4]}. Data are model-like, from the dataset generator
 * ({@link SyntheticImage}, default margin: about 5% of valid pixels above the default loss
 * threshold, about 2% ignored), read through the npy path the job uses.
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
    int ds = resize ? 4 : 1;
    SyntheticImage img = SyntheticImage.generate(new SyntheticImage.Spec(classes, H, W, ds,
        SyntheticImage.Spec.DEFAULT_MARGIN, 42), 0);
    labels = img.labels();
    boolean half = dtype.equals("float16");
    byte[] npy = NpyWriter.floats(img.logits(), half, classes, H / ds, W / ds);
    // the kernel alone, on logits in memory (the job reads them in slabs: SlabLogits); the npy
    // header is the writer's (its length is a multiple of 64, the array follows it)
    int header = java.nio.ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort()
        + 10;
    logits = new DenseLogits(java.nio.ByteBuffer.wrap(npy, header, npy.length - header),
        ByteOrder.LITTLE_ENDIAN, half ? DenseLogits.DType.FLOAT16 : DenseLogits.DType.FLOAT32,
        classes, H / ds, W / ds, false);
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
