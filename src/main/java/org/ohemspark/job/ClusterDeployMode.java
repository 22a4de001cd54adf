package org.ohemspark.job;

import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a driver started in cluster deploy mode ({@code spark.submit.deployMode=cluster}) must
 * not take for granted: it runs on a machine of the cluster, in a working directory of its own
 * (a worker's {@code work/driver-<id>/}, a YARN container's directory), so a relative path on
 * the local file system names a place there, not on the machine the job was submitted from.
 * The configuration file has its own answer ({@link ConfFile}); the paths the job reads or
 * writes through the Hadoop FileSystem (input, output, the model's files) are checked here.
 */
final class ClusterDeployMode {
  private ClusterDeployMode() {}

  /**
   * Refuses a relative path on the local file system when the driver runs in cluster deploy
   * mode. A path with a scheme, an absolute path, and a relative path on another default file
   * system ({@code fs.defaultFS=hdfs://...}: relative to the user's home there) pass, as does
   * anything in client mode.
   *
   * @param deployMode the value of {@code spark.submit.deployMode} ({@code client} or
   *     {@code cluster})
   * @param option the option, for the message ({@code --input})
   * @throws IllegalArgumentException naming the option, the path and the driver's directory
   */
  static void requireReachable(String deployMode, Configuration hadoop, String option,
      String path) {
    if (!"cluster".equals(deployMode) || path == null) {
      return;
    }
    Path p = new Path(path);
    if (p.toUri().getScheme() == null && !p.isAbsolute()
        && "file".equals(FileSystem.getDefaultUri(hadoop).getScheme())) {
      throw new IllegalArgumentException(option + " " + path + " is a relative local path, and "
          + "in cluster deploy mode the driver runs in a directory of its own on the cluster ("
          + Paths.get("").toAbsolutePath() + "): give an absolute path that every node sees, "
          + "or a URI (hdfs://, s3a://...)");
    }
  }
}
