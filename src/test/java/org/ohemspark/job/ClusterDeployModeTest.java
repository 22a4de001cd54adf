package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * In cluster deploy mode a relative local path would name a place in the driver's own working
 * directory on the cluster: refused, with the reason; everything else passes.
 */
class ClusterDeployModeTest {
  private static final Configuration LOCAL = new Configuration();

  @Test
  void aRelativeLocalPathIsRefusedInClusterModeOnly() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterDeployMode.requireReachable("cluster", LOCAL, "--output", "out/run1"));
    assertEquals("--output out/run1 is a relative local path, and in cluster deploy mode the "
        + "driver runs in a directory of its own on the cluster ("
        + Paths.get("").toAbsolutePath() + "): give an absolute path that every node sees, or a "
        + "URI (hdfs://, s3a://...)", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> ClusterDeployMode.requireReachable("cluster", LOCAL, "--input", "./ohem-output"));
    ClusterDeployMode.requireReachable("client", LOCAL, "--output", "out/run1");
  }

  @Test
  void absolutePathsUrisAndRelativePathsOnAnotherDefaultFileSystemPass() {
    ClusterDeployMode.requireReachable("cluster", LOCAL, "--input", "/data/val");
    ClusterDeployMode.requireReachable("cluster", LOCAL, "--input", "file:/data/val");
    ClusterDeployMode.requireReachable("cluster", LOCAL, "--input", "hdfs://nn:8020/data/val");
    Configuration hdfs = new Configuration();
    hdfs.set("fs.defaultFS", "hdfs://nn:8020");
    ClusterDeployMode.requireReachable("cluster", hdfs, "--output", "out/run1");
  }
}
