package org.ohemspark.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered sequential stream over a {@link PositionedFile}, for a reader that walks a file in
 * order (commons-compress's {@code TarArchiveInputStream}) while the bytes of some of its parts
 * are read elsewhere by position. {@link #passOver} marks the next bytes as not to be read: the
 * stream hands them out as zeros without touching the file (a tar reader discards a member's
 * data it is not asked for, and reads it through the stream to do so), so a logits member is
 * read once, by position, and never through this stream. {@link #skip} moves the position
 * without reading.
 */
final class PositionedInputStream extends InputStream {
  private final PositionedFile file;
  private final byte[] buffer;
  /** File position of {@code buffer[0]}. */
  private long bufferStart;
  private int bufferLength;
  private long position;
  /** Bytes {@code [position, passOverEnd)} are handed out as zeros, unread. */
  private long passOverEnd;

  /**
   * @param bufferBytes bytes read at a time where the stream does read
   */
  PositionedInputStream(PositionedFile file, int bufferBytes) {
    this.file = file;
    this.buffer = new byte[bufferBytes];
  }

  /** Bytes consumed so far: the position in the file of the next byte. */
  long position() {
    return position;
  }

  /** The next {@code n} bytes (or fewer, at the end of the file) are not read: see the class. */
  void passOver(long n) {
    passOverEnd = Math.min(file.size(), position + n);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position >= file.size()) {
      return -1;
    }
    if (position < passOverEnd) {
      int n = (int) Math.min(len, passOverEnd - position);
      Arrays.fill(b, off, off + n, (byte) 0);
      position += n;
      return n;
    }
    if (position < bufferStart || position >= bufferStart + bufferLength) {
      bufferStart = position;
      bufferLength = (int) Math.min(buffer.length, file.size() - position);
      file.readFully(position, buffer, 0, bufferLength);
    }
    int at = (int) (position - bufferStart);
    int n = Math.min(len, bufferLength - at);
    System.arraycopy(buffer, at, b, off, n);
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long s = Math.max(0, Math.min(n, file.size() - position));
    position += s;
    return s;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, file.size() - position));
  }

  /** Closes the file. */
  @Override
  public void close() throws IOException {
    file.close();
  }
}
