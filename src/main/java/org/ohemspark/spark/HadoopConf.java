package org.ohemspark.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
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
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop {@link Configuration} that can ride in a Spark closure or broadcast, so executors
 * read input files through the Hadoop FileSystem API ({@code file://}, {@code hdfs://},
 * {@code s3a://}...) with the driver's settings. A broadcast goes through the session's
 * serializer: under Kryo it is written in its Java form too ({@link DefaultSerializer}), as
 * Kryo's field serializer would skip the transient configuration.
 */
@DefaultSerializer(JavaSerializer.class)
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
   * Reads a whole file: for small files only (label masks, {@code dataset.json}). Logits are
   * never read whole: they are read by position, a slab of rows at a time
   * ({@link HadoopChannel}, {@code org.ohemspark.io.SlabLogits}).
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
      throw explained(path, e);
    }
  }

  /**
   * What a {@link ChecksumException} of Hadoop's local (checksummed) file system means for a
   * user: the file no longer matches the hidden {@code .<name>.crc} file Hadoop wrote beside it
   * (it is corrupt, or another program changed it), naming that file and saying to delete it
   * if the change was intended. The one wording of this for every reader (whole files, tars,
   * Parquet footers and pages).
   *
   * @param path the file read (any Hadoop path or URI)
   */
  public static String checksumMismatch(String path, ChecksumException e) {
    Path p = new Path(path);
    return "the file does not match its Hadoop checksum file "
        + new Path(p.getParent(), "." + p.getName() + ".crc") + " (" + e.getMessage()
        + "): it is corrupt, or another program changed it after Hadoop wrote it; if it was"
        + " changed on purpose, delete the .crc file";
  }

  /**
   * {@link #checksumMismatch} for the first {@link ChecksumException} in {@code e}'s cause
   * chain (readers such as Parquet's and Spark's wrap it), or null when there is none.
   */
  public static String checksumMismatchIn(String path, Throwable e) {
    if (!local(path)) {
      return null;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ChecksumException c) {
        return c instanceof Explained ? c.getMessage() : checksumMismatch(path, c);
      }
    }
    return null;
  }

  /**
   * What went wrong reading {@code file}, for a bad record's reason: a checksum failure
   * explained ({@link #checksumMismatchIn}), else {@code e} and, when it differs, its deepest
   * cause ({@code e (root)}: readers wrap the error that names the damage).
   */
  public static String readFailure(String file, Throwable e) {
    String checksum = checksumMismatchIn(file, e);
    if (checksum != null) {
      return checksum;
    }
    Throwable root = deepestCause(e);
    return e + (root == e ? "" : " (" + root + ")");
  }

  /** The last exception of {@code e}'s cause chain ({@code e} itself when it has no cause). */
  public static Throwable deepestCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root;
  }

  /**
   * An {@code IOException} from reading {@code path}, with a checksum failure explained
   * ({@link #checksumMismatch}); any other exception is returned as it is.
   */
  static IOException explained(String path, IOException e) {
    if (e instanceof ChecksumException c && !(e instanceof Explained) && local(path)) {
      return new Explained(checksumMismatch(path, c), c);
    }
    return e;
  }

  /**
   * Whether {@code path} names a local file (no scheme, or {@code file:}): only Hadoop's local
   * file system keeps {@code .crc} files beside the data (HDFS checks its blocks itself, and a
   * checksum error there means every replica is damaged).
   */
  private static boolean local(String path) {
    try {
      String scheme = new Path(path).toUri().getScheme();
      return scheme == null || scheme.equals("file");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A checksum failure whose message is already {@link #checksumMismatch}'s. */
  private static final class Explained extends ChecksumException {
    private static final long serialVersionUID = 1L;

    Explained(String message, ChecksumException cause) {
      super(message, cause.getPos());
      initCause(cause);
    }

    /** The explanation alone: messages that quote an exception ({@code ": " + e}) read well. */
    @Override
    public String toString() {
      return getMessage();
    }
  }

  /**
   * Writes a whole file, replacing it if it exists (and making its folders). On the local file
   * system it is written with {@code java.nio} under the process's umask, as any program writes
   * a file: Hadoop's local file system sets every file's permission it creates, and without its
   * native library forks {@code chmod} to do so (the generator wrote 70 files a second on 2
   * cores, most of it in those forks).
   *
   * @throws IOException if it cannot be written
   */
  public void writeAll(String path, byte[] bytes) throws IOException {
    Path p = new Path(path);
    FileSystem fs = withoutChecksumFiles(p.getFileSystem(conf));
    if (fs instanceof RawLocalFileSystem local) {
      java.nio.file.Path file = local.pathToFile(p).toPath();
      java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
      java.nio.file.Files.write(file, bytes);
      return;
    }
    try (var out = fs.create(p, true)) {
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
