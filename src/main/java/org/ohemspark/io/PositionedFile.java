package org.ohemspark.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;

/**
 * A file, or a byte range of one, read by position: each read says where it starts, so a reader
 * takes only the bytes it needs (a slab of logits rows, a tar member's header) and never holds
 * the whole file. Implementations: a file of any Hadoop FileSystem
 * ({@code org.ohemspark.spark.HadoopChannel}, positioned reads of its
 * {@code FSDataInputStream}), bytes already in memory ({@link #of}), and a range of either
 * ({@link #slice}: a tar member).
 */
public interface PositionedFile extends Closeable {

  /** Length in bytes. */
  long size();

  /**
   * Reads {@code dst[off .. off+len)} from bytes {@code [position, position+len)}.
   *
   * @throws EOFException if the file ends before {@code position + len}
   * @throws IOException if the bytes cannot be read
   */
  void readFully(long position, byte[] dst, int off, int len) throws IOException;

  /**
   * Bytes {@code [offset, offset+length)} of this file as a file of their own (positions count
   * from {@code offset}). Closing the slice does not close this file.
   *
   * @throws IllegalArgumentException if the range is not inside the file
   */
  default PositionedFile slice(long offset, long length) {
    PositionedFile whole = this;
    if (offset < 0 || length < 0 || offset > size() - length) {
      throw new IllegalArgumentException("range [" + offset + ", " + offset + " + " + length
          + ") is not inside a file of " + size() + " bytes");
    }
    return new PositionedFile() {
      @Override
      public long size() {
        return length;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        if (position < 0 || position > length - len) {
          throw new EOFException("read of " + len + " bytes at " + position + " is past the end"
              + " of a range of " + length + " bytes");
        }
        whole.readFully(offset + position, dst, off, len);
      }

      @Override
      public void close() {
        // the whole file belongs to whoever opened it
      }
    };
  }

  /**
   * A seekable channel as a file: each read sets the channel's position, then reads. Closing
   * the file closes the channel.
   */
  static PositionedFile of(java.nio.channels.SeekableByteChannel channel) {
    return new PositionedFile() {
      @Override
      public long size() {
        try {
          return channel.size();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(dst, off, len);
        channel.position(position);
        while (b.hasRemaining()) {
          if (channel.read(b) < 0) {
            throw new EOFException("read of " + len + " bytes at " + position + " is past the "
                + "end of " + channel.size() + " bytes");
          }
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  /** Bytes in memory as a file (not copied). */
  static PositionedFile of(byte[] bytes) {
    return new PositionedFile() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws EOFException {
        if (position < 0 || position > bytes.length - (long) len) {
          throw new EOFException("read of " + len + " bytes at " + position + " is past the end"
              + " of " + bytes.length + " bytes");
        }
        System.arraycopy(bytes, (int) position, dst, off, len);
      }

      @Override
      public void close() {
        // nothing to release
      }
    };
  }
}
