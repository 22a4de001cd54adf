package org.ohemspark.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The application jar a test submits to a real cluster, built from {@code target/classes} (what
 * {@code mvn test} has compiled), so no {@code mvn package} is needed. Like
 * {@code target/ohem-spark.jar} it holds only this project's classes; Spark, and picocli for
 * the driver, come from the class path of the JVMs.
 */
public final class AppJar {
  private AppJar() {}

  /**
   * Writes the jar.
   *
   * @throws IOException if {@code target/classes} cannot be read or the jar cannot be written
   */
  public static Path build(Path jar) throws IOException {
    Path classes = StandaloneCluster.projectRoot().resolve("target/classes");
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    List<Path> files;
    try (Stream<Path> s = Files.walk(classes)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, mf)) {
      for (Path f : files) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, j);
        j.closeEntry();
      }
    }
    return jar;
  }
}
