package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output may not be, contain or lie inside the input (Hadoop's local file system). */
class StagedOutputTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path tmp;

  private void refused(String input, String output, String relation) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StagedOutput.requireApart(CONF, input, output), input + " / " + output);
    assertTrue(e.getMessage().contains(relation) && e.getMessage().contains(output),
        e.getMessage());
  }

  @Test
  void overlappingPathsAreRefusedWhateverTheirSpelling() {
    String data = tmp.resolve("data").toString();
    refused(data, data, "is the input");
    refused(data, data + "/", "is the input");
    refused(data, "file:" + data, "is the input");
    refused(data, tmp.resolve("data/../data").toString(), "is the input");
    refused(data, tmp.toString(), "contains the input");
    refused(data + "/logits/a.npy", data, "contains the input");
    refused(data, data + "/out", "lies inside the input");
    refused(data, data + "/logits", "lies inside the input");
  }

  /** Stages {@code out} holding one text file and commits it. */
  private static void writeOne(Path out, boolean overwrite, String name, String text)
      throws java.io.IOException {
    StagedOutput staged = new StagedOutput(CONF, out.toString(), overwrite);
    staged.writeText(name, text);
    staged.commit();
  }

  @Test
  void textFilesHaveNoChecksumFileSoUsersCanEditThem() throws java.io.IOException {
    Path out = tmp.resolve("out");
    writeOne(out, false, "_dataset.json", "{}");
    assertTrue(java.nio.file.Files.exists(out.resolve("_dataset.json")));
    assertTrue(!java.nio.file.Files.exists(out.resolve("._dataset.json.crc")));
  }

  @Test
  void siblingsAndPrefixesOfNamesAreApart() {
    String data = tmp.resolve("data").toString();
    assertDoesNotThrow(() -> StagedOutput.requireApart(CONF, data, data + "2"));
    assertDoesNotThrow(() -> StagedOutput.requireApart(CONF, data, tmp.resolve("out")
        .toString()));
    assertDoesNotThrow(() -> StagedOutput.requireApart(CONF, data + "-shards", data));
  }

  /** A symbolic link on either side is resolved: /work/link/ds is /work/victim/ds. */
  @Test
  void pathsThroughSymbolicLinksAreCompared() throws java.io.IOException {
    Path victim = java.nio.file.Files.createDirectories(tmp.resolve("victim/ds/logits"))
        .getParent().getParent();
    Path link = java.nio.file.Files.createSymbolicLink(tmp.resolve("link"), victim);
    refused(link.resolve("ds").toString(), victim.toString(), "contains the input");
    refused(victim.resolve("ds").toString(), link.toString(), "contains the input");
    refused(victim.resolve("ds").toString(), link.resolve("ds/new/out").toString(),
        "lies inside the input");
    refused(link.resolve("ds").toString(), "file:" + victim.resolve("ds"), "is the input");
    assertDoesNotThrow(() -> StagedOutput.requireApart(CONF, link.resolve("ds").toString(),
        victim.resolve("out").toString()));
  }

  /** A ':' in the output's name (a timestamp) is a plain character, not a URI scheme. */
  @Test
  void anOutputNamedWithAColonIsStagedAndCommitted() throws java.io.IOException {
    Path out = tmp.resolve("run_2026-11-30T11:30");
    writeOne(out, false, "summary.json", "{}");
    assertTrue(java.nio.file.Files.exists(out.resolve("summary.json")));
    writeOne(out, true, "summary.json", "{\"v\":2}");
    assertTrue(java.nio.file.Files.readString(out.resolve("summary.json")).contains("2"));
    try (var left = java.nio.file.Files.list(tmp)) {
      assertTrue(left.allMatch(f -> f.equals(out)), "no staging or replaced folder left");
    }
  }
}
