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
   * @throws IOException if it cannot be read or is larger than 2 GiB
   */
  public byte[] readAll(String path) throws IOException {
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
