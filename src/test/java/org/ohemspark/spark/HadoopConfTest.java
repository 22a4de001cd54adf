package org.ohemspark.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-file reads and writes on Hadoop's local (checksummed) file system. */
class HadoopConfTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path tmp;

  @Test
  void writeAllLeavesNoChecksumFileSoOtherProgramsCanEditTheData() throws IOException {
    Path f = tmp.resolve("a.npy");
    HadoopConf hc = new HadoopConf(CONF);
    hc.writeAll("file:" + f, "first".getBytes(StandardCharsets.UTF_8));
    assertFalse(Files.exists(tmp.resolve(".a.npy.crc")));
    Files.writeString(f, "edited by numpy");
    assertArrayEquals("edited by numpy".getBytes(StandardCharsets.UTF_8),
        hc.readAll("file:" + f));
  }

  /** Counts the permissions Hadoop's local file system sets (a forked chmod each). */
  public static final class CountingRawLocal extends org.apache.hadoop.fs.RawLocalFileSystem {
    static final java.util.concurrent.atomic.AtomicInteger CHMODS =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void setPermission(org.apache.hadoop.fs.Path p,
        org.apache.hadoop.fs.permission.FsPermission permission) throws IOException {
      CHMODS.incrementAndGet();
      super.setPermission(p, permission);
    }
  }

  /**
   * Local files are written with java.nio: Hadoop 3.5's local file system sets each created
   * file's permission, forking {@code chmod} without its native library (the generator wrote
   * 70 files a second). Folders are made and an existing file replaced, as before.
   */
  @Test
  void writeAllSetsNoPermissionOnLocalFiles() throws IOException {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", CountingRawLocal.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    CountingRawLocal.CHMODS.set(0);
    HadoopConf hc = new HadoopConf(conf);
    Path f = tmp.resolve("new/sub/c.npy");
    hc.writeAll("file:" + f, "longer first".getBytes(StandardCharsets.UTF_8));
    hc.writeAll("file:" + f, "second".getBytes(StandardCharsets.UTF_8));
    assertEquals("second", Files.readString(f));
    assertEquals(0, CountingRawLocal.CHMODS.get(), "permissions set by Hadoop");
  }

  @Test
  void aStaleChecksumFileIsNamedWithWhatToDo() throws IOException {
    Path f = tmp.resolve("b.npy");
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path("file:" + f);
    try (var out = FileSystem.getLocal(CONF).create(p, true)) { // checksummed: writes .b.npy.crc
      out.write(new byte[4096]);
    }
    assertTrue(Files.exists(tmp.resolve(".b.npy.crc")));
    byte[] changed = new byte[4096];
    changed[100] = 1;
    Files.write(f, changed);
    IOException e = assertThrows(IOException.class, () -> new HadoopConf(CONF).readAll(
        "file:" + f));
    assertTrue(e.getMessage().contains(".b.npy.crc") && e.getMessage().contains(
        "delete the .crc file"), e.getMessage());
  }

  @Test
  void positionedReadsAndChannelsNameAStaleChecksumFileToo() throws IOException {
    Path f = tmp.resolve("c.tar");
    try (var out = FileSystem.getLocal(CONF).create(new org.apache.hadoop.fs.Path("file:" + f),
        true)) {
      out.write(new byte[4096]);
    }
    byte[] changed = new byte[4096];
    changed[3000] = 1;
    Files.write(f, changed);
    HadoopConf hc = new HadoopConf(CONF);
    String path = "file:" + f;
    IOException positioned = assertThrows(IOException.class, () -> {
      try (HadoopChannel ch = HadoopChannel.open(path, hc)) {
        ch.readFully(2560, new byte[1024], 0, 1024); // as logits slabs and tar members read
      }
    });
    IOException channel = assertThrows(IOException.class, () -> {
      try (HadoopChannel ch = HadoopChannel.open(path, hc)) {
        ch.position(2560).read(java.nio.ByteBuffer.allocate(1024));
      }
    });
    for (IOException e : List.of(positioned, channel)) {
      assertTrue(e instanceof org.apache.hadoop.fs.ChecksumException, e.toString());
      assertTrue(e.toString().startsWith("the file does not match its Hadoop checksum file ")
          && e.getMessage().contains(".c.tar.crc") && e.getMessage().contains("at 2560")
          && e.getMessage().contains("delete the .crc file"), e.toString());
    }
    try (HadoopChannel ch = HadoopChannel.open(path, hc)) { // the chunks before it still read
      assertEquals(2048, ch.read(java.nio.ByteBuffer.allocate(2048)));
    }
  }
}
