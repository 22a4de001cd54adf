package org.ohemspark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * The read-only {@code ../shared} folder beside the checkout (real datasets). Tests that need it
 * call {@link #realData()}, which skips them with a message when it is absent.
 */
public final class SharedData {
  private SharedData() {}

  /** {@code ../shared/data/real}, or the test is skipped. */
  public static Path realData() {
    String dir = System.getProperty("ohem.shared.dir", "../shared");
    Path p = Paths.get(dir, "data", "real");
    Assumptions.assumeTrue(Files.isDirectory(p),
        "skipped: real datasets not found at " + p.toAbsolutePath()
            + " (../shared beside the checkout; set -Dohem.shared.dir=DIR)");
    return p;
  }
}
