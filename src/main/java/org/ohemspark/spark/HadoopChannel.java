package org.ohemspark.spark;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;
import org.ohemspark.io.PositionedFile;

/**
 * A read-only file of any Hadoop FileSystem, read by position: as a {@link SeekableByteChannel}
 * for libraries that seek (commons-compress's {@code TarFile} reads tar headers and seeks over
 * member data), and as a {@link PositionedFile} for the job's own readers (logits read a slab
 * of rows at a time, tar members by their byte range). Reads are positioned reads
 * ({@code PositionedReadable}), so only the bytes asked for are read. A stale or mismatched
 * Hadoop checksum file is explained ({@link HadoopConf#checksumMismatch}).
 */
final class HadoopChannel implements SeekableByteChannel, PositionedFile {
  private final String path;
  private final FSDataInputStream in;
  private final long size;
  private long position;
  private boolean open = true;

  private HadoopChannel(String path, FSDataInputStream in, long size) {
    this.path = path;
    this.in = in;
    this.size = size;
  }

  /** Opens {@code path} through its FileSystem ({@link HadoopConf#open}). */
  static HadoopChannel open(String path, HadoopConf conf) throws IOException {
    HadoopConf.Opened f = conf.open(path);
    return new HadoopChannel(path, f.in(), f.length());
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    try {
      return readAt(dst);
    } catch (IOException e) {
      throw HadoopConf.explained(path, e);
    }
  }

  private int readAt(ByteBuffer dst) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (position >= size) {
      return -1;
    }
    int want = (int) Math.min(dst.remaining(), size - position);
    int n;
    if (dst.hasArray()) {
      n = in.read(position, dst.array(), dst.arrayOffset() + dst.position(), want);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
    } else {
      byte[] tmp = new byte[want];
      n = in.read(position, tmp, 0, want);
      if (n > 0) {
        dst.put(tmp, 0, n);
      }
    }
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public void readFully(long at, byte[] dst, int off, int len) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    if (at < 0 || at > size - len) {
      throw new EOFException(path + ": read of " + len + " bytes at " + at + " is past its end ("
          + size + " bytes)");
    }
    try {
      in.readFully(at, dst, off, len);
    } catch (IOException e) {
      throw HadoopConf.explained(path, e);
    }
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long s) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    if (open) {
      open = false;
      in.close();
    }
  }
}
