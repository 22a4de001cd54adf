package org.ohemspark.job;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ohemspark.spark.HadoopConf;

/**
 * An output directory written all at once: everything goes to a hidden staging directory beside
 * the target ({@code .<name>.staging-<uuid>}), {@code summary.json} is written last, and
 * {@link #commit()} renames the staging directory to the target (replacing an old result only
 * when overwriting). A run that fails or is killed leaves no target that looks complete; a
 * failed run's staging directory is removed by {@link #abort()}.
 *
 * <p>On file systems where rename is a copy (S3) the commit is not atomic, but the summary is
 * still the last file to appear.
 */
public final class StagedOutput {
  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;

  /**
   * Checks that {@code output} neither is, nor contains, nor lies inside {@code input}, both
   * made absolute on their file systems, and on the local file system with every symbolic link
   * resolved ({@code /data/link/ds} where {@code link -> /mnt/d1} is {@code /mnt/d1/ds}; for
   * a path that does not exist yet, its longest existing ancestor is resolved). Jobs call it before
   * staging: with {@code --overwrite}, an output that is or contains the input would be
   * replaced, input and all, and one inside it would be read as input or replace part of it.
   *
   * @throws IllegalArgumentException naming both paths when they overlap
   */
  public static void requireApart(Configuration conf, String input, String output)
      throws IOException {
    String inPath = comparable(conf, input);
    String outPath = comparable(conf, output);
    String relation = inPath.equals(outPath) ? "is the input"
        : inPath.startsWith(outPath) ? "contains the input"
        : outPath.startsWith(inPath) ? "lies inside the input" : null;
    if (relation != null) {
      throw new IllegalArgumentException("output " + output + " " + relation + " " + input
          + ": choose an output outside the input (replacing it would delete input data)");
    }
  }

  /**
   * scheme://authority/path/ of a qualified, normalized path ("file:/x" = "file:///x"), local
   * paths with their symbolic links resolved.
   */
  private static String comparable(Configuration conf, String path) throws IOException {
    Path p = new Path(path);
    URI u = p.getFileSystem(conf).makeQualified(p).toUri().normalize();
    String local = "file".equals(u.getScheme()) ? realPath(Paths.get(u.getPath())) : null;
    String abs = local != null ? local : u.getPath();
    String dir = abs.endsWith("/") ? abs : abs + "/";
    return u.getScheme() + "://" + (u.getAuthority() == null ? "" : u.getAuthority()) + dir;
  }

  /** {@code p} with the symbolic links of its longest existing ancestor resolved. */
  private static String realPath(java.nio.file.Path p) throws IOException {
    java.nio.file.Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return p.toString();
    }
    return existing.toRealPath().resolve(existing.relativize(p)).normalize().toString();
  }

  /**
   * @throws IllegalArgumentException if the target exists, is not empty and {@code overwrite}
   *     is false
   */
  public StagedOutput(Configuration conf, String output, boolean overwrite) throws IOException {
    this.target = new Path(output);
    this.fs = target.getFileSystem(conf);
    this.overwrite = overwrite;
    Path qualified = fs.makeQualified(target);
    if (fs.exists(qualified)) {
      FileStatus st = fs.getFileStatus(qualified);
      if (!st.isDirectory() || fs.listStatus(qualified).length > 0) {
        if (!overwrite) {
          throw new IllegalArgumentException("output " + qualified + " already exists; pass "
              + "--overwrite to replace it");
        }
      }
    }
    this.staging = sibling(qualified, ".staging-");
    fs.mkdirs(staging);
  }

  /**
   * The hidden {@code .<name><kind><uuid>} beside {@code qualified} ({@code :} in the name
   * written {@code _}). Built from the parent's
   * URI parts, not as a relative child: a relative child name with a ':' (an output named
   * {@code run_2026-11-30T11:30}) would be read as a URI scheme.
   */
  private static Path sibling(Path qualified, String kind) {
    URI parent = qualified.getParent().toUri();
    String dir = parent.getPath().endsWith("/") ? parent.getPath() : parent.getPath() + "/";
    // no ':' in the hidden name either: Spark's overwrite of a folder (ohem-ingest) makes
    // relative paths from its last part
    return new Path(parent.getScheme(), parent.getAuthority(), dir + "."
        + qualified.getName().replace(':', '_') + kind + UUID.randomUUID());
  }

  /** The staging directory itself, as a string for Spark writers. */
  public String root() {
    return staging.toString();
  }

  /** Path of a child of the staging directory, as a string for Spark writers. */
  public String path(String child) {
    return new Path(staging, child).toString();
  }

  /**
   * Writes a small text file into the staging directory, without a hidden {@code .crc} beside
   * it on Hadoop's local file system: users read and edit these files ({@code summary.json},
   * {@code _dataset.json}), and a stale checksum would fail later reads.
   */
  public void writeText(String child, String text) throws IOException {
    try (OutputStream out = HadoopConf.withoutChecksumFiles(fs).create(new Path(staging, child),
        true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Moves the staging directory to the target. An old target is first renamed aside
   * ({@code .<name>.replaced-<uuid>}), then deleted once the new one is in place, so that no
   * moment exists where neither is complete on disk.
   */
  public void commit() throws IOException {
    Path qualified = fs.makeQualified(target);
    Path aside = null;
    if (fs.exists(qualified)) {
      if (!overwrite && fs.listStatus(qualified).length > 0) {
        throw new IOException("output " + qualified + " appeared during the run");
      }
      aside = sibling(qualified, ".replaced-");
      if (!fs.rename(qualified, aside)) {
        throw new IOException("could not move the old output " + qualified + " aside");
      }
    }
    if (qualified.getParent() != null) {
      fs.mkdirs(qualified.getParent());
    }
    if (!fs.rename(staging, qualified)) {
      if (aside != null) {
        fs.rename(aside, qualified);
      }
      throw new IOException("could not rename " + staging + " to " + qualified);
    }
    if (aside != null) {
      fs.delete(aside, true);
    }
  }

  /** Removes the staging directory (after a failure). */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException ignored) {
      // best effort: the staging directory is hidden and never looks like a result
    }
  }

  /** The target directory, fully qualified. */
  public String target() {
    return fs.makeQualified(target).toString();
  }
}
