package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.testing.SparkTestSession;

/**
 * Where {@link ConfFile} finds the job's configuration file: a plain path on the driver's disk,
 * else the copy shipped with the job ({@code --files}, here {@code SparkContext.addFile}, what
 * {@code spark.files} does on a cluster-mode driver), or a URI through its Hadoop FileSystem.
 */
class ConfFileTest {
  @TempDir
  static Path tmp;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("conf-file");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Properties read(String file) throws IOException {
    return ConfFile.read(spark.sparkContext().hadoopConfiguration(), file);
  }

  @Test
  void aShippedFileIsFoundByItsNameWhereThePathIsNotOnTheDriversDisk() throws IOException {
    Path shipped = Files.writeString(tmp.resolve("shipped-job.properties"), "factor=3\n");
    String relative = "conf-elsewhere/shipped-job.properties";
    assertTrue(!Files.exists(Path.of(relative)), "the path given is not on this disk");
    IllegalArgumentException before = assertThrows(IllegalArgumentException.class,
        () -> read(relative));
    assertTrue(before.getMessage().startsWith("configuration file " + relative + " does not "
        + "exist (on the driver's disk, in "), before.getMessage());
    assertTrue(before.getMessage().contains("ship it with --files"), before.getMessage());

    spark.sparkContext().addFile(shipped.toString());
    assertEquals("3", read(relative).getProperty("factor"));
    assertEquals("3", read("shipped-job.properties").getProperty("factor"));
  }

  @Test
  void aPlainPathOnTheDriversDiskAndAFileUriAreReadAsUtf8() throws IOException {
    Path f = Files.writeString(tmp.resolve("local-job.properties"), "input=/data/caf\u00e9\n");
    assertEquals("/data/caf\u00e9", read(f.toString()).getProperty("input"));
    assertEquals("/data/caf\u00e9", read(f.toUri().toString()).getProperty("input"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(tmp.resolve("none.properties").toUri().toString()));
    assertEquals("configuration file " + tmp.resolve("none.properties").toUri()
        + " does not exist", e.getMessage());
  }
}
