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

  @Test
  void textFilesHaveNoChecksumFileSoUsersCanEditThem() throws java.io.IOException {
    Path out = tmp.resolve("out");
    StagedOutput staged = new StagedOutput(CONF, out.toString(), false);
    staged.writeText("_dataset.json", "{}");
    staged.commit();
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
}
