package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.Float16;
import org.ohemspark.core.OhemParams;
import org.ohemspark.testing.NpyBytes;
import org.ohemspark.testing.SparkTestSession;

/**
 * A logits file over 2 GiB (more than one Java array holds, so it was a bad record while files
 * were read whole) mines, read a slab of rows at a time, to the figures of independent
 * arithmetic. The file is sparse: {@code [300, 1920, 1920]} float16 (2.2 GB, 3.7 Mpx) of which
 * only channels 0 and 1 are written, every other logit 0.
 */
class LargeLogitsFileTest {
  private static final int C = 300;
  private static final int H = 1920;
  private static final int W = 1920;
  private static SparkSession spark;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("large-logits-file");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Logit of channel 0 at (y, x); channel 1's is {@link #b}; both exact in float16. */
  private static int a(int y, int x) {
    return x % 8;
  }

  private static int b(int y, int x) {
    return (y % 4) * 2;
  }

  /** Label at (y, x): 0, 1, 2 (a class whose logit is 0) or 255 (ignored). */
  private static int label(int y, int x) {
    int l = (x + 3 * y) % 4;
    return l == 3 ? 255 : l;
  }

  /** Writes the npy header, channels 0 and 1, and leaves the rest of the file a hole. */
  private static void writeLogits(Path file) throws IOException {
    byte[] header = NpyBytes.file(1, NpyBytes.dict("<f2", false, C, H, W), new byte[0]);
    long size = header.length + 2L * C * H * W;
    assertTrue(size - header.length > Integer.MAX_VALUE, "more than one Java array holds");
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.write(header);
      ByteBuffer plane = ByteBuffer.allocate(2 * H * W).order(ByteOrder.LITTLE_ENDIAN);
      for (int ch = 0; ch < 2; ch++) {
        plane.clear();
        for (int y = 0; y < H; y++) {
          for (int x = 0; x < W; x++) {
            plane.putShort(Float16.fromFloat(ch == 0 ? a(y, x) : b(y, x)));
          }
        }
        f.write(plane.array());
      }
      f.setLength(size);
    }
  }

  @Test
  void aLogitsFileOverTwoGibibytesMinesToTheFiguresOfIndependentArithmetic()
      throws IOException {
    Path dir = tmp.resolve("large");
    Files.createDirectories(dir.resolve("logits"));
    Files.createDirectories(dir.resolve("labels"));
    writeLogits(dir.resolve("logits/big.npy"));
    byte[] labels = new byte[H * W];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        labels[y * W + x] = (byte) label(y, x);
      }
    }
    Files.write(dir.resolve("labels/big.npy"), NpyBytes.file("|u1", false, new long[] {H, W},
        labels));

    // loss = ln(e^a + e^b + (C - 2) e^0) - logit of the label, in double
    OhemParams p = OhemParams.DEFAULTS;
    double t = p.lossThreshold();
    long nValid = 0;
    long nHard = 0;
    double sumHard = 0;
    double closest = Double.POSITIVE_INFINITY;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int l = label(y, x);
        if (l == 255) {
          continue;
        }
        double lse = Math.log(Math.exp(a(y, x)) + Math.exp(b(y, x)) + (C - 2));
        double loss = lse - (l == 0 ? a(y, x) : l == 1 ? b(y, x) : 0);
        nValid++;
        closest = Math.min(closest, Math.abs(loss - t));
        if (loss > t) {
          nHard++;
          sumHard += loss;
        }
      }
    }
    assertTrue(closest > 1e-4, "no loss within float error of the threshold: " + closest);
    assertTrue(nHard >= nValid / 16, "the threshold branch");

    try (OhemMiner.Result r = OhemMiner.on(spark).params(p).mineDirectory(dir.toString())) {
      MiningSummary s = r.summary();
      assertEquals(1, s.nImages());
      assertEquals(0, s.nBadRecords());
      assertEquals(nValid, s.nValid());
      assertEquals(nHard, s.nHard());
      assertEquals(sumHard / nHard, s.mean(), 1e-6 * s.mean());
    }
  }
}
