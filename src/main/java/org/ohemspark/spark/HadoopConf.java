package org.ohemspark.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
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
   * Reads a whole file.
   *
   * @throws IOException if it cannot be read, is larger than 2 GiB, or its name is not a valid
   *     Hadoop path
   */
  public byte[] readAll(String path) throws IOException {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      long len = fs.getFileStatus(p).getLen();
      if (len > Integer.MAX_VALUE - 8) {
        throw new IOException(path + " is larger than 2 GiB (" + len + " bytes)");
      }
      byte[] out = new byte[(int) len];
      try (FSDataInputStream in = fs.open(p)) {
        in.readFully(0, out);
      }
      return out;
    } catch (IllegalArgumentException e) {
      // Hadoop paths are URIs: a ':' in a file name fails deep inside (e.g. building the name
      // of the local checksum file), as an unchecked URISyntaxException
      throw new IOException("Hadoop cannot open this file name (" + e.getMessage()
          + "; a ':' in a file name is not supported by Hadoop paths)", e);
    }
  }

  /**
   * Writes a whole file, replacing it if it exists.
   *
   * @throws IOException if it cannot be written
   */
  public void writeAll(String path, byte[] bytes) throws IOException {
    Path p = new Path(path);
    try (var out = p.getFileSystem(conf).create(p, true)) {
      out.write(bytes);
    }
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
