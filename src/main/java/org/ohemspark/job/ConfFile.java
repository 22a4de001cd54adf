package org.ohemspark.job;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * The job's configuration file ({@code --conf FILE}, a Java properties file, UTF-8), read where
 * the driver can see it. In cluster deploy mode the driver runs on a machine of the cluster, in
 * a working directory of its own, so a path on the submitting machine means nothing there:
 *
 * <ul>
 *   <li>a URI with a scheme ({@code hdfs://nn/conf/job.properties}, {@code s3a://...},
 *       {@code file:/shared/job.properties}) is read through its Hadoop FileSystem, as the
 *       input is;
 *   <li>a plain path is read from the driver's disk (relative to the driver's working
 *       directory, where YARN puts the files shipped with {@code --files});
 *   <li>a plain path not found there is looked up by its file name among the files shipped with
 *       the job ({@code --files} / {@code spark.files}: {@link SparkFiles#get}), which is how
 *       {@code jobs/lib/submit.sh} hands the file to a driver in cluster deploy mode.
 * </ul>
 */
final class ConfFile {
  private ConfFile() {}

  /**
   * Reads the file's keys (an empty set for a null path).
   *
   * @throws IllegalArgumentException naming the file and the places looked in, when it is in
   *     none of them
   * @throws IOException when it exists but cannot be read
   */
  static Properties read(Configuration hadoop, String file) throws IOException {
    Properties p = new Properties();
    if (file == null) {
      return p;
    }
    Path uri = new Path(file);
    if (uri.toUri().getScheme() != null) {
      FileSystem fs = uri.getFileSystem(hadoop);
      try (InputStream in = fs.open(uri)) {
        load(p, in);
      } catch (FileNotFoundException e) {
        throw new IllegalArgumentException("configuration file " + file + " does not exist");
      }
      return p;
    }
    java.nio.file.Path local = Paths.get(file);
    if (!Files.isRegularFile(local)) {
      local = shipped(local.getFileName().toString());
    }
    if (local == null) {
      throw new IllegalArgumentException("configuration file " + file + " does not exist (on "
          + "the driver's disk, in " + Paths.get("").toAbsolutePath() + ", nor among the files "
          + "shipped with --files); in cluster deploy mode ship it with --files (as "
          + "jobs/ohem-mine.sh does) or give a URI every node can read (hdfs://, s3a://...)");
    }
    try (InputStream in = Files.newInputStream(local)) {
      load(p, in);
    }
    return p;
  }

  /** The shipped copy of a file named {@code name}, or null where there is none. */
  private static java.nio.file.Path shipped(String name) {
    if (SparkEnv.get() == null) {
      return null;
    }
    java.nio.file.Path p = Paths.get(SparkFiles.get(name));
    return Files.isRegularFile(p) ? p : null;
  }

  private static void load(Properties p, InputStream in) throws IOException {
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      p.load(r);
    }
  }
}
