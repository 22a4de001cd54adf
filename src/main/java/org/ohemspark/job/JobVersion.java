package org.ohemspark.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What {@code --version} prints: this project's version (from the {@code pom.properties} Maven
 * puts in the jar; "unknown" when run from classes, e.g. in tests), and the Spark and Java
 * versions the job runs on.
 */
public final class JobVersion implements CommandLine.IVersionProvider {
  private static final String POM = "/META-INF/maven/org.ohemspark/ohem-spark/pom.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"ohem-spark " + projectVersion(),
        "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        "Java " + System.getProperty("java.version")};
  }

  /** This project's version, or "unknown" when the jar's {@code pom.properties} is absent. */
  static String projectVersion() {
    try (InputStream in = JobVersion.class.getResourceAsStream(POM)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
