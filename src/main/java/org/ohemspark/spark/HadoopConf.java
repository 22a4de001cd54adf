package org.ohemspark.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Hadoop {@link Configuration} that can ride in a Spark closure or broadcast, so executors
 * read input files through the Hadoop FileSystem API ({@code file://}, {@code hdfs://},
 * {@code s3a://}...) with the driver's settings.
 */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 1L;
  private transient Configuration conf;

  public HadoopConf(Configuration conf) {
    this.conf = conf;
  }

  public Configuration get() {
    return conf;
  }

  /**
   * Opens a file for reading, with its length in bytes.
   *
   * @throws IOException if it cannot be opened, or its name is not a valid Hadoop path
   */
  public Opened open(String path) throws IOException {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      long len = fs.getFileStatus(p).getLen();
      return new Opened(fs.open(p), len);
    } catch (IllegalArgumentException e) {
      // Hadoop paths are URIs: a ':' in a file name fails deep inside (e.g. building the name
      // of the local checksum file), as an unchecked URISyntaxException
      throw new IOException("Hadoop cannot open this file name (" + e.getMessage()
          + "; a ':' in a file name is not supported by Hadoop paths)", e);
    }
  }

  /** An open file and its length in bytes. */
  public record Opened(FSDataInputStream in, long length) {}

  /**
   * Reads a whole file.
   *
   * @throws IOException if it cannot be read, is larger than 2 GiB, or its name is not a valid
   *     Hadoop path
   */
  public byte[] readAll(String path) throws IOException {
    Opened f = open(path);
    try (FSDataInputStream in = f.in()) {
      if (f.length() > Integer.MAX_VALUE - 8) {
        throw new IOException(path + " is larger than 2 GiB (" + f.length() + " bytes)");
      }
      byte[] out = new byte[(int) f.length()];
      in.readFully(0, out);
      return out;
    } catch (ChecksumException e) {
      Path p = new Path(path);
      throw new IOException("the file does not match its Hadoop checksum file "
          + new Path(p.getParent(), "." + p.getName() + ".crc") + " (" + e.getMessage()
          + "): it is corrupt, or another program changed it after Hadoop wrote it; if it was"
          + " changed on purpose, delete the .crc file", e);
    }
  }

  /**
   * Writes a whole file, replacing it if it exists.
   *
   * @throws IOException if it cannot be written
   */
  public void writeAll(String path, byte[] bytes) throws IOException {
    Path p = new Path(path);
    try (var out = withoutChecksumFiles(p.getFileSystem(conf)).create(p, true)) {
      out.write(bytes);
    }
  }

  /**
   * The file system to write user-editable files through: on Hadoop's local (checksummed) file
   * system its raw one, so no hidden {@code .crc} file lands beside them (users edit datasets
   * with numpy or by hand, and a stale checksum would fail every later read); else {@code fs}.
   */
  public static FileSystem withoutChecksumFiles(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
