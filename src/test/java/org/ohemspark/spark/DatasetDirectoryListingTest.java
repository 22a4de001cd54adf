package org.ohemspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's listing of a dataset directory: what is paired, and what is not read. */
class DatasetDirectoryListingTest {
  @TempDir
  Path tmp;

  @Test
  void entriesThatAreNotReadAreReportedHiddenOnesAreNot() throws IOException {
    Files.createDirectories(tmp.resolve("logits/sub"));
    Files.createDirectories(tmp.resolve("labels"));
    Files.write(tmp.resolve("logits/a.npy"), new byte[1]);
    Files.write(tmp.resolve("logits/sub/b.npy"), new byte[1]);
    Files.write(tmp.resolve("logits/notes.txt"), new byte[1]);
    Files.write(tmp.resolve("logits/.a.npy.crc"), new byte[1]);
    Files.write(tmp.resolve("logits/_SUCCESS"), new byte[0]);
    Files.write(tmp.resolve("labels/a.png"), new byte[1]);
    Files.write(tmp.resolve("labels/a.jpg"), new byte[1]);

    DatasetDirectory.Listing l = DatasetDirectory.listing(new Configuration(), tmp.toString());
    List<String> names = l.notRead().stream()
        .map(s -> s.substring(s.indexOf(tmp.getFileName().toString()) + tmp.getFileName()
            .toString().length() + 1))
        .sorted().toList();
    assertEquals(List.of("labels/a.jpg", "logits/notes.txt", "logits/sub/"), names);
    assertEquals(1, l.pairs().size());
    Row a = l.pairs().get(0);
    assertEquals("a", a.getString(0));
    assertEquals(1L, a.getLong(3));
  }
}
