package org.ohemspark.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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

    DirectoryListing l = DirectoryListing.of(new Configuration(), tmp.toString());
    List<String> names = l.notRead().stream()
        .map(s -> s.substring(s.indexOf(tmp.getFileName().toString()) + tmp.getFileName()
            .toString().length() + 1))
        .sorted().toList();
    assertEquals(List.of("labels/a.jpg", "logits/notes.txt", "logits/sub/"), names);
    assertEquals(3, l.notReadCount());
    assertEquals(1, l.size());
    Row a = l.slice(0, 1).rows().next();
    assertEquals("a", a.getString(0));
    assertEquals(1L, a.getLong(3));
  }

  /**
   * The rows made from the compact listing: paths as Hadoop's listing spells them (a ':' in a
   * name is no URI scheme), label files first and last by name, ids in order, sizes per id.
   */
  @Test
  void rowsAndSizesFromTheCompactListing() throws IOException {
    Files.createDirectories(tmp.resolve("logits"));
    Files.createDirectories(tmp.resolve("labels"));
    Files.write(tmp.resolve("logits/b.npy"), new byte[10]);
    Files.write(tmp.resolve("labels/b.png"), new byte[3]);
    Files.write(tmp.resolve("labels/b.npy"), new byte[4]);
    Files.write(tmp.resolve("labels/b.PNG"), new byte[5]);
    Files.write(tmp.resolve("logits/a:1.npy"), new byte[7]);
    Files.write(tmp.resolve("labels/c.png"), new byte[2]);

    DirectoryListing l = DirectoryListing.of(new Configuration(), tmp.toString());
    assertEquals(3, l.size());
    assertEquals(List.of("a:1", "b", "c"), List.of(l.id(0), l.id(1), l.id(2)));
    assertArrayEquals(new long[] {7, 22, 2}, l.bytes());
    String root = "file:" + tmp;
    List<Row> rows = new java.util.ArrayList<>();
    l.slice(1, 3).rows().forEachRemaining(rows::add);
    l.slice(0, 1).rows().forEachRemaining(rows::add);
    assertEquals(RowFactory.create("b", root + "/logits/b.npy", root + "/labels/b.PNG", 3L,
        root + "/labels/b.png"), rows.get(0));
    assertEquals(RowFactory.create("c", null, root + "/labels/c.png", 1L, root
        + "/labels/c.png"), rows.get(1));
    assertEquals(RowFactory.create("a:1", root + "/logits/a:1.npy", null, null, null),
        rows.get(2));
    assertEquals(0, l.slice(3, 3).size());
  }

  /** Counts what a listing asks of Hadoop's local file system. */
  public static final class CountingLocalFileSystem extends org.apache.hadoop.fs.LocalFileSystem {
    static final java.util.concurrent.atomic.AtomicLong STATUSES =
        new java.util.concurrent.atomic.AtomicLong();

    @Override
    public org.apache.hadoop.fs.FileStatus[] listStatus(org.apache.hadoop.fs.Path f)
        throws IOException {
      org.apache.hadoop.fs.FileStatus[] all = super.listStatus(f);
      STATUSES.addAndGet(all.length);
      return all;
    }
  }

  /**
   * A local folder is read as a stream of names: Hadoop's local {@code listStatusIterator} is
   * {@code listStatus}, one {@code FileStatus} (about 500 bytes) per file of the folder held at
   * once, which put 100 MB on a 512 MB driver for 200,000 images (BENCHMARKS.md, "Driver
   * memory").
   */
  @Test
  void aLocalFolderIsStreamedNotMadeIntoOneFileStatusPerFile() throws IOException {
    Files.createDirectories(tmp.resolve("logits"));
    Files.createDirectories(tmp.resolve("labels"));
    for (int i = 0; i < 50; i++) {
      Files.write(tmp.resolve("logits/i" + (100 + i) + ".npy"), new byte[10 + i]);
      Files.write(tmp.resolve("labels/i" + (100 + i) + ".png"), new byte[3]);
    }
    Files.createDirectories(tmp.resolve("labels/sub"));
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", CountingLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    CountingLocalFileSystem.STATUSES.set(0);

    DirectoryListing l = DirectoryListing.of(conf, tmp.toString());
    assertEquals(0, CountingLocalFileSystem.STATUSES.get(), "FileStatus objects listed");
    assertEquals(50, l.size());
    assertEquals("i100", l.id(0));
    assertEquals(10 + 49 + 3, l.bytes()[49]);
    assertEquals(1, l.notReadCount());
    assertEquals("file:" + tmp + "/labels/sub/", l.notRead().get(0));
  }
}
