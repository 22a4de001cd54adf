package org.ohemspark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.testing.NpyBytes;
import org.ohemspark.testing.Pngs;
import org.ohemspark.testing.Tars;

/**
 * WebDataset tar members: naming, grouping by key, the label member variants (a palette PNG
 * gives its index), skipped members, and bad samples named by tar, key and what is missing.
 */
class WebDatasetTarTest {

  /** Logits {@code [2, h, w]} float32, value {@code c * 100 + i}. */
  static byte[] logits(int h, int w) {
    float[] v = new float[2 * h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i / (h * w)) * 100 + i % (h * w);
    }
    return NpyBytes.file("<f4", false, new long[] {2, h, w},
        NpyBytes.floats(ByteOrder.LITTLE_ENDIAN, v));
  }

  static byte[] labelsNpy(int... v) {
    return NpyBytes.file("|u1", false, new long[] {1, v.length}, NpyBytes.bytes(v));
  }

  private static List<WebDatasetTar.Sample> stream(byte[] tar) throws IOException {
    List<WebDatasetTar.Sample> out = new ArrayList<>();
    try (WebDatasetTar.SampleStream s = WebDatasetTar.stream("t.tar",
        PositionedFile.of(tar))) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  private static List<WebDatasetTar.Sample> index(byte[] tar) {
    return WebDatasetTar.index("t.tar", new SeekableInMemoryByteChannel(tar));
  }

  @Test
  void memberNamesSplitAtTheFirstDotOfTheFileName() {
    assertEquals(new WebDatasetTar.MemberName("a/b.c/0001", "seg.png"),
        WebDatasetTar.MemberName.parse("./a/b.c/0001.seg.png"));
    assertEquals(new WebDatasetTar.MemberName("x", "logits.npy"),
        WebDatasetTar.MemberName.parse("x.LOGITS.NPY"));
    assertNull(WebDatasetTar.MemberName.parse("README"));
    assertNull(WebDatasetTar.MemberName.parse("dir/.hidden"));
    assertNull(WebDatasetTar.MemberName.parse("trailing."));
  }

  @Test
  void samplesComeInOrderWithEveryLabelVariantAndOtherMembersSkipped() throws IOException {
    byte[] png = Pngs.grey8(1, 3, new int[] {0, 1, 255});
    byte[] tar = Tars.create()
        .add("a.jpg", new byte[] {1, 2, 3})
        .add("a.logits.npy", logits(1, 3))
        .add("a.seg.png", png)
        .add("a.json", "{}".getBytes())
        .add("dir/b.label.png", Pngs.grey16(1, 3, new int[] {1, 0, 1}))
        .add("dir/b.logits.npy", logits(1, 3))
        .add("c.logits.npy", logits(1, 3))
        .add("c.labels.npy", labelsNpy(1, 1, 0))
        .bytes();
    List<WebDatasetTar.Sample> samples = stream(tar);
    assertEquals(List.of("a", "dir/b", "c"), samples.stream().map(WebDatasetTar.Sample::key)
        .toList());
    assertArrayEquals(png, samples.get(0).labels());
    assertEquals("a.seg.png", samples.get(0).labelsMember());
    assertArrayEquals(new int[] {0, 1, 255}, samples.get(0).decode().storedLabels(),
        "8-bit grey: the byte");
    ImageRecord b = samples.get(1).decode();
    assertEquals("dir/b", b.imageId());
    assertEquals("t.tar!/dir/b.logits.npy, dir/b.label.png", b.source(),
        "both members: a label value out of range names the label member too");
    assertArrayEquals(new int[] {1, 0, 1}, b.storedLabels());
    assertEquals(2, b.logits().channels());
    double[] row = new double[3];
    b.logits().readRow(1, 0, row, 0);
    assertArrayEquals(new double[] {100, 101, 102}, row);
    assertArrayEquals(new int[] {1, 1, 0}, samples.get(2).decode().storedLabels());
    assertEquals(List.of("a", "dir/b", "c"), index(tar).stream()
        .map(WebDatasetTar.Sample::key).toList(), "the index sees the same samples");
  }

  @Test
  void paletteLabelGivesTheIndexNotTheColour() throws IOException {
    int[] idx = {0, 1, 2, 3, 4, 5};
    byte[] tar = Tars.create().add("p.logits.npy", NpyBytes.file("<f4", false,
        new long[] {6, 2, 3}, new byte[6 * 6 * 4])).add("p.seg.png", Pngs.palette(2, 3, idx))
        .bytes();
    ImageRecord r = stream(tar).get(0).decode();
    assertArrayEquals(idx, r.storedLabels());
  }

  private static BadRecordException bad(byte[] tar) {
    return assertThrows(BadRecordException.class, () -> stream(tar));
  }

  @Test
  void missingLabelOrLogitsNamesTarKeyAndWhatIsMissing() {
    BadRecordException noLabel = bad(Tars.create().add("k1.logits.npy", logits(1, 2))
        .add("k1.jpg", new byte[1]).bytes());
    assertEquals("t.tar", noLabel.source());
    assertEquals("k1", noLabel.imageId());
    assertTrue(noLabel.reason().contains("no label member k1.seg.png"), noLabel.reason());
    BadRecordException noLogits = bad(Tars.create().add("k2.seg.png", Pngs.grey8(1, 1,
        new int[] {0})).bytes());
    assertEquals("k2", noLogits.imageId());
    assertTrue(noLogits.reason().contains("no logits member k2.logits.npy"), noLogits.reason());
    BadRecordException viaIndex = assertThrows(BadRecordException.class, () -> index(
        Tars.create().add("k3.logits.npy", logits(1, 1)).bytes()));
    assertEquals("k3", viaIndex.imageId());
  }

  @Test
  void twoLabelsOrARepeatedKeyAreBad() {
    BadRecordException two = bad(Tars.create().add("k.logits.npy", logits(1, 2))
        .add("k.seg.png", Pngs.grey8(1, 2, new int[] {0, 1}))
        .add("k.labels.npy", labelsNpy(0, 1)).bytes());
    assertTrue(two.reason().contains("two label members"), two.reason());
    byte[] repeated = Tars.create()
        .add("k.logits.npy", logits(1, 2)).add("k.labels.npy", labelsNpy(0, 1))
        .add("j.logits.npy", logits(1, 2)).add("j.labels.npy", labelsNpy(0, 1))
        .add("k.json", new byte[1]).bytes();
    BadRecordException again = bad(repeated);
    assertEquals("k", again.imageId());
    assertTrue(again.reason().contains("duplicate key"), again.reason());
    assertThrows(BadRecordException.class, () -> index(repeated));
  }

  @Test
  void truncatedTarIsBad() {
    byte[] tar = Tars.create().add("k.logits.npy", logits(16, 16))
        .add("k.labels.npy", labelsNpy(0)).bytes();
    BadRecordException e = bad(Arrays.copyOf(tar, 1100));
    assertEquals("t.tar!/k.logits.npy", e.source(), "names the member it could not read");
    assertEquals("k", e.imageId());
  }

  /** Sample a then sample b: a's two members, then b's header at a 512-byte boundary. */
  private static byte[] twoSamples() {
    return Tars.create().add("a.logits.npy", logits(2, 2)).add("a.labels.npy", labelsNpy(0, 1))
        .add("b.logits.npy", logits(2, 2)).add("b.labels.npy", labelsNpy(0, 1)).bytes();
  }

  /** Where member {@code name}'s header starts in {@code tar}. */
  private static int headerOf(byte[] tar, String name) {
    byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int off = 0; off + 512 <= tar.length; off += 512) {
      if (Arrays.equals(Arrays.copyOfRange(tar, off, off + n.length), n)) {
        return off;
      }
    }
    throw new AssertionError(name + " not found");
  }

  @Test
  void tarCutInOrBeforeAHeaderIsBadNotShorter() throws IOException {
    byte[] tar = twoSamples();
    int b = headerOf(tar, "b.logits.npy");
    for (int cut : new int[] {b + 1, b + 100, b + 511, b}) {
      byte[] cutTar = Arrays.copyOf(tar, cut);
      List<WebDatasetTar.Sample> got = new ArrayList<>();
      BadRecordException e = assertThrows(BadRecordException.class, () -> {
        try (WebDatasetTar.SampleStream s = WebDatasetTar.stream("t.tar",
            PositionedFile.of(cutTar))) {
          while (s.hasNext()) {
            got.add(s.next());
          }
        }
      }, "cut at " + cut);
      assertEquals(List.of("a"), got.stream().map(WebDatasetTar.Sample::key).toList(),
          "the whole sample before the cut still comes out");
      assertTrue(e.reason().contains("truncated tar: no end-of-archive record after member "
          + "a.labels.npy"), e.reason());
      BadRecordException viaIndex = assertThrows(BadRecordException.class,
          () -> index(cutTar), "cut at " + cut);
      assertTrue(viaIndex.reason().contains("truncated tar"), viaIndex.reason());
    }
    assertEquals(List.of("a", "b"), stream(tar).stream().map(WebDatasetTar.Sample::key)
        .toList(), "the whole tar reads");
  }

  @Test
  void emptyOrShortGarbageFilesAreNotTarsButZeroRecordsAreAnEmptyTar() throws IOException {
    for (byte[] notTar : new byte[][] {new byte[0], "not a tar at all".repeat(10).getBytes(
        java.nio.charset.StandardCharsets.US_ASCII)}) {
      BadRecordException e = bad(notTar);
      assertTrue(e.reason().contains("no end-of-archive record after the start (the tar has "
          + notTar.length + " bytes"), e.reason());
      BadRecordException viaIndex = assertThrows(BadRecordException.class, () -> index(notTar));
      assertTrue(viaIndex.reason().contains("no end-of-archive record after the start (the tar "
          + "has " + notTar.length + " bytes"), "the index says why, as the stream does: "
          + viaIndex.reason());
    }
    assertEquals(List.of(), stream(new byte[4096]), "only end-of-archive records: empty");
    assertEquals(List.of(), index(new byte[4096]));
    assertEquals(List.of(), stream(Tars.create().bytes()));
  }

  @Test
  void aMemberHeaderWithAWrongChecksumIsBadNotAnotherName() throws IOException {
    byte[] tar = twoSamples();
    int b = headerOf(tar, "b.logits.npy");
    tar[b] = 'c'; // the name now reads c.logits.npy; the header's checksum no longer matches
    BadRecordException viaStream = bad(tar);
    assertTrue(viaStream.reason().contains("corrupt tar header of member c.logits.npy"),
        viaStream.reason());
    BadRecordException viaIndex = assertThrows(BadRecordException.class, () -> index(tar));
    assertTrue(viaIndex.reason().contains("corrupt tar header of member c.logits.npy"),
        viaIndex.reason());
  }

  @Test
  void indexSeeksOverMemberDataWithoutReadingIt() {
    byte[] big = logits(256, 256); // 512 KiB
    Tars t = Tars.create();
    for (int i = 0; i < 4; i++) {
      t.add(i + ".logits.npy", big).add(i + ".labels.npy", labelsNpy(0, 1));
    }
    byte[] tar = t.bytes();
    long[] read = {0};
    SeekableInMemoryByteChannel ch = new SeekableInMemoryByteChannel(tar) {
      @Override
      public int read(ByteBuffer buf) throws IOException {
        int n = super.read(buf);
        read[0] += Math.max(0, n);
        return n;
      }
    };
    List<WebDatasetTar.Sample> s = WebDatasetTar.index("t.tar", ch);
    assertEquals(4, s.size());
    assertNull(s.get(0).data());
    assertTrue(read[0] < tar.length / 50, "read " + read[0] + " of " + tar.length + " bytes");
    assertFalse(s.get(3).labelsMember().isEmpty());
  }

  @Test
  void logitsMembersAreReadByPositionASlabAtATimeAndOnlyOnce() throws IOException {
    byte[] big = logits(1024, 1024); // [2, 1024, 1024] float32: 8 MiB, two slabs of 4 MiB
    Tars t = Tars.create();
    for (int i = 0; i < 2; i++) {
      t.add(i + ".logits.npy", big).add(i + ".jpg", new byte[100_000])
          .add(i + ".labels.npy", labelsNpy(0, 1));
    }
    byte[] tar = t.bytes();
    long[] read = {0};
    PositionedFile counting = new PositionedFile() {
      @Override
      public long size() {
        return tar.length;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) {
        read[0] += len;
        System.arraycopy(tar, (int) position, dst, off, len);
      }

      @Override
      public void close() {}
    };
    int samples = 0;
    try (WebDatasetTar.SampleStream s = WebDatasetTar.stream("t.tar", counting)) {
      while (s.hasNext()) {
        ImageRecord r = s.next().decode();
        SlabLogits l = (SlabLogits) r.logits();
        assertEquals(512, l.slabRows(), "half the rows of both channels at a time");
        double[] row = new double[1024];
        for (int y = 0; y < 1024; y++) {
          for (int c = 0; c < 2; c++) {
            l.readRow(c, y, row, 0);
            assertEquals(c * 100 + y * 1024 + 1023, row[1023], 0.0);
          }
        }
        samples++;
      }
    }
    assertEquals(2, samples);
    // every logits byte once (by position), the rest at most once through the stream, which
    // passes over the logits members without reading them (a buffer of 256 KiB read ahead
    // before a logits member's header may hold the start of its data): not twice the tar
    assertTrue(read[0] >= 2L * big.length && read[0] <= tar.length + 2 * 256 * 1024,
        "read " + read[0] + " bytes of a tar of " + tar.length);
  }
}
