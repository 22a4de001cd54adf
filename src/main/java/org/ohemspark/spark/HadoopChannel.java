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
 * of rows at a time, tar members by their byte range). Each read seeks the one open stream to
 * its position and reads there, so only the bytes asked for are read. One thread at a time (a
 * task's reader). A stale or mismatched Hadoop checksum file is explained
 * ({@link HadoopConf#checksumMismatch}).
 */
public final class HadoopChannel implements SeekableByteChannel, PositionedFile {
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
  public static HadoopChannel open(String path, HadoopConf conf) throws IOException {
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
    seekTo(position);
    if (dst.hasArray()) {
      n = in.read(dst.array(), dst.arrayOffset() + dst.position(), want);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
    } else {
      byte[] tmp = new byte[want];
      n = in.read(tmp, 0, want);
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
      seekTo(at);
      in.readFully(dst, off, len);
    } catch (IOException e) {
      throw HadoopConf.explained(path, e);
    }
  }

  /**
   * Moves the stream to {@code at} (nothing when it is there). Reads are a seek and a
   * sequential read, not Hadoop's positioned read: the local (checksummed) file system opens
   * the file and its checksum file anew for every positioned read, which cost 10 to 20 ms of
   * CPU per 20 MB logits file read in 95 slab pieces, against 3 ms for seek and read (a slab
   * read moves forward through the file, channel after channel).
   */
  private void seekTo(long at) throws IOException {
    if (in.getPos() != at) {
      in.seek(at);
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
