package org.ohemspark.source;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ohemspark.io.PositionedFile;
import org.ohemspark.io.WebDatasetTar;
import org.ohemspark.spark.HadoopChannel;
import org.ohemspark.spark.HadoopConf;

/**
 * Tars cut into pieces for the loss pass's partitions ({@link WebDatasetTars}). A tar larger
 * than the split size is cut between samples, from its headers alone
 * ({@link WebDatasetTar#layout}: where each run of one key's members starts), into runs of
 * samples of at most the split size each (next-fit, {@link Partitioning#nextFit}); a sample
 * larger than that is a piece alone. Each piece is streamed on its own from its first header,
 * as the whole tar would be ({@link #open}).
 *
 * <p>Costs, as {@link Partitioning} counts them: a sample costs its extent (from its first
 * header to the next sample's, the last one to the tar's end) plus
 * {@link Partitioning#OPEN_COST_BYTES}; a piece the sum of its samples' costs; a tar not cut,
 * whose samples are not counted, its length plus one open cost.
 */
final class TarPieces {
  private TarPieces() {}

  /** The two zero records that end a tar; added after a piece that stops inside one. */
  private static final int END_OF_ARCHIVE = 1024;

  /**
   * One piece of a tar.
   *
   * @param tar the tar
   * @param length the tar's length, bytes
   * @param start where the piece starts: 0, or where a sample's first header starts
   * @param end where the next piece starts, or -1 when this piece runs to the tar's end
   * @param samples samples in the piece; 0 when unknown (a tar not indexed)
   * @param seenBefore keys of samples before this piece in the tar that appear again in it (a
   *     repeated key, which the stream reports as when the tar is streamed whole)
   */
  record Piece(String tar, long length, long start, long end, int samples,
      List<String> seenBefore) implements Serializable {

    /** The whole tar as one piece. */
    static Piece whole(String tar, long length) {
      return new Piece(tar, length, 0, -1, 0, List.of());
    }

    /** The piece's bytes. */
    long bytes() {
      return (end < 0 ? length : end) - start;
    }

    /** What the piece costs: its bytes plus an open cost per sample (one when unknown). */
    long cost() {
      return bytes() + Math.max(1, samples) * Partitioning.OPEN_COST_BYTES;
    }
  }

  /**
   * The pieces of a tar of {@code length} bytes whose samples lie at {@code spans} (archive
   * order), for partitions of at most {@code split} in cost: one piece when it all fits.
   */
  static List<Piece> cut(String tar, long length, List<WebDatasetTar.Span> spans, long split) {
    int n = spans.size();
    if (n == 0) {
      return List.of(Piece.whole(tar, length));
    }
    long[] costs = new long[n];
    for (int i = 0; i < n; i++) {
      long from = i == 0 ? 0 : spans.get(i).start();
      long to = i + 1 < n ? spans.get(i + 1).start() : length;
      costs[i] = Partitioning.cost(to - from);
    }
    int[] starts = Partitioning.nextFit(costs, split);
    Map<String, Integer> firstPiece = new HashMap<>();
    List<Piece> pieces = new ArrayList<>(starts.length);
    for (int p = 0; p < starts.length; p++) {
      int from = starts[p];
      int to = p + 1 < starts.length ? starts[p + 1] : n;
      Set<String> again = new LinkedHashSet<>();
      for (int i = from; i < to; i++) {
        String key = spans.get(i).key();
        Integer first = firstPiece.putIfAbsent(key, p);
        if (first != null && first < p) {
          again.add(key);
        }
      }
      pieces.add(new Piece(tar, length, from == 0 ? 0 : spans.get(from).start(),
          to == n ? -1 : spans.get(to).start(), to - from, List.copyOf(again)));
    }
    return pieces;
  }

  /**
   * The bytes of a piece, as a tar file read by position (positions count from the piece's
   * {@code start}): a piece that stops before the tar's end is closed by an end-of-archive
   * record, so a reader ends there cleanly (the last piece reads the tar's own end, so a tar
   * without one is still a truncated tar). Closing it closes the tar.
   *
   * @throws IOException if the tar cannot be opened
   */
  static PositionedFile open(Piece piece, HadoopConf conf) throws IOException {
    HadoopChannel tar = HadoopChannel.open(piece.tar(), conf);
    long end = piece.end() < 0 ? tar.size() : piece.end();
    if (piece.start() > end || end > tar.size()) {
      tar.close();
      throw new IOException("piece [" + piece.start() + ", " + end + ") of " + piece.tar()
          + " is not inside the tar of " + tar.size() + " bytes: it changed after it was listed");
    }
    long length = end - piece.start();
    long closing = piece.end() < 0 ? 0 : END_OF_ARCHIVE;
    return new PositionedFile() {
      @Override
      public long size() {
        return length + closing;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        if (position < 0 || position > size() - len) {
          throw new EOFException("read of " + len + " bytes at " + position + " is past the end"
              + " of a piece of " + size() + " bytes of " + piece.tar());
        }
        int fromTar = (int) Math.max(0, Math.min(len, length - position));
        if (fromTar > 0) {
          tar.readFully(piece.start() + position, dst, off, fromTar);
        }
        Arrays.fill(dst, off + fromTar, off + len, (byte) 0);
      }

      @Override
      public void close() throws IOException {
        tar.close();
      }
    };
  }
}
