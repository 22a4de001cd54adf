package org.ohemspark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detecting the input layout from one listing, and the format names. */
class InputFormatTest {
  @TempDir
  Path tmp;

  private InputFormat detect(Path p) throws IOException {
    return InputFormat.AUTO.detect(new Configuration(), p.toUri().toString());
  }

  @Test
  void detectsEachLayout() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("d/logits")).getParent();
    Files.createDirectories(dir.resolve("labels"));
    assertEquals(InputFormat.DIR, detect(dir));
    Path parquet = Files.createDirectories(tmp.resolve("p"));
    Files.write(parquet.resolve("part-00000.snappy.parquet"), new byte[1]);
    Files.writeString(parquet.resolve("dataset.json"), "{}");
    assertEquals(InputFormat.PARQUET, detect(parquet));
    Path success = Files.createDirectories(tmp.resolve("s"));
    Files.write(success.resolve("_SUCCESS"), new byte[0]);
    assertEquals(InputFormat.PARQUET, detect(success));
    Path tars = Files.createDirectories(tmp.resolve("t"));
    Files.write(tars.resolve("shard-000000.tar"), new byte[1]);
    assertEquals(InputFormat.WEBDATASET, detect(tars));
    assertEquals(InputFormat.WEBDATASET, detect(tars.resolve("shard-000000.tar")));
    assertEquals(InputFormat.PARQUET, detect(parquet.resolve("part-00000.snappy.parquet")));
    assertEquals(InputFormat.DIR, InputFormat.DIR.detect(new Configuration(), tars.toString()),
        "a given format is not second-guessed");
  }

  @Test
  void undetectableInputSaysGiveFormat() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("e"));
    Files.writeString(empty.resolve("notes.txt"), "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> detect(empty));
    assertTrue(e.getMessage().contains("--format"), e.getMessage());
  }

  @Test
  void namesAndSources() {
    assertEquals(InputFormat.DIR, InputFormat.parse("npy"));
    assertEquals(InputFormat.DIR, InputFormat.parse(" Dir "));
    assertEquals(InputFormat.WEBDATASET, InputFormat.parse("tar"));
    assertEquals(InputFormat.AUTO, InputFormat.parse("auto"));
    assertThrows(IllegalArgumentException.class, () -> InputFormat.parse("zip"));
    assertInstanceOf(ParquetShards.class, InputFormat.PARQUET.source("x"));
    assertInstanceOf(WebDatasetTars.class, InputFormat.WEBDATASET.source("x"));
    assertInstanceOf(DatasetDirectory.class, InputFormat.DIR.source("x"));
  }
}
