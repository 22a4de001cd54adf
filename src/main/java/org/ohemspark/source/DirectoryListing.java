package org.ohemspark.source;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.spark.HadoopConf;

/**
 * The driver's listing of a dataset directory's {@code logits/} and {@code labels/} folders
 * ({@link DatasetDirectory}), kept compact: the image ids, sorted, as one UTF-8 byte array with
 * their end offsets, one byte of flags (which files the id has) and the files' bytes per id;
 * about 15 bytes plus the id's length per image, where a {@code FileStatus} or a {@code Row} per
 * file costs hundreds. Paths are not kept: an image's files are {@code logits/<id>.npy} and
 * {@code labels/<id>.<ext>}, rebuilt from the id where the rows are made, on the executors
 * ({@link Slice#rows}).
 *
 * <p>The folders are listed through the Hadoop FileSystem API
 * ({@code listStatusIterator}: HDFS and S3A hand the entries over in pages), and a local folder
 * as a stream of names (Hadoop's local listing is one {@code FileStatus} per file, all at once);
 * each entry is reduced to its id, flag and length as it comes.
 */
public final class DirectoryListing {
  /** Flag: {@code logits/<id>.npy}. */
  static final int LOGITS = 1;
  /**
   * Flags of the label files, in the order their paths sort ({@code .PNG < .npy < .png}), so
   * the lowest flag set is the first label path by name and the highest the last.
   */
  static final int LABEL_PNG_UPPER = 2;
  static final int LABEL_NPY = 4;
  static final int LABEL_PNG = 8;
  private static final int[] LABEL_FLAGS = {LABEL_PNG_UPPER, LABEL_NPY, LABEL_PNG};
  private static final String[] LABEL_EXTENSIONS = {".PNG", ".npy", ".png"};
  /** Entries not read that are named in the warning; the rest are only counted. */
  static final int NOT_READ_NAMED = 10;

  private final String logitsDir;
  private final String labelsDir;
  private final byte[] ids;
  private final int[] ends;
  private final byte[] flags;
  private final long[] bytes;
  private final List<String> notRead;
  private final long notReadCount;

  private DirectoryListing(String logitsDir, String labelsDir, byte[] ids, int[] ends,
      byte[] flags, long[] bytes, List<String> notRead, long notReadCount) {
    this.logitsDir = logitsDir;
    this.labelsDir = labelsDir;
    this.ids = ids;
    this.ends = ends;
    this.flags = flags;
    this.bytes = bytes;
    this.notRead = notRead;
    this.notReadCount = notReadCount;
  }

  /** One file found: its image id, its flag and its length in bytes. */
  private record Entry(String id, int flag, long length) {}

  /**
   * Lists {@code logits/} and {@code labels/} under {@code input}. Hidden entries ({@code .x},
   * {@code _x}) are skipped; other entries that are not {@code <id>.npy} files in
   * {@code logits/} or {@code <id>.png|PNG|npy} files in {@code labels/} are not read (counted,
   * the first {@link #NOT_READ_NAMED} named).
   *
   * @throws BadRecordException if either folder is missing or cannot be listed
   */
  static DirectoryListing of(Configuration conf, String input) {
    List<Entry> entries = new ArrayList<>();
    List<String> notRead = new ArrayList<>();
    long[] notReadCount = {0};
    String logitsDir = list(conf, input + "/logits", entries, notRead, notReadCount);
    String labelsDir = list(conf, input + "/labels", entries, notRead, notReadCount);
    entries.sort((a, b) -> a.id().compareTo(b.id()));
    int images = 0;
    for (int i = 0; i < entries.size(); i++) {
      if (i == 0 || !entries.get(i).id().equals(entries.get(i - 1).id())) {
        images++;
      }
    }
    java.io.ByteArrayOutputStream idBytes = new java.io.ByteArrayOutputStream();
    int[] ends = new int[images];
    byte[] flags = new byte[images];
    long[] bytes = new long[images];
    int k = -1;
    String previous = null;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (!e.id().equals(previous)) {
        previous = e.id();
        k++;
        idBytes.writeBytes(e.id().getBytes(StandardCharsets.UTF_8));
        ends[k] = idBytes.size();
      }
      entries.set(i, null); // let the entry go as soon as it is encoded
      flags[k] |= (byte) e.flag();
      bytes[k] += e.length();
    }
    return new DirectoryListing(logitsDir, labelsDir, idBytes.toByteArray(), ends, flags, bytes,
        List.copyOf(notRead), notReadCount[0]);
  }

  /**
   * Lists one folder into {@code entries}; returns the folder's qualified path. On the local
   * file system the folder is read as a stream of names ({@code java.nio}'s directory stream):
   * Hadoop's local {@code listStatusIterator} is no iterator there but one {@code FileStatus}
   * per entry, the whole folder at once (about 500 bytes each: a {@code Path}, its {@code URI}
   * and their strings; 100 MB for a folder of 200,000 files), where HDFS and S3A hand them over
   * in pages.
   */
  private static String list(Configuration conf, String dir, List<Entry> entries,
      List<String> notRead, long[] notReadCount) {
    boolean logits = dir.endsWith("/logits");
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new BadRecordException(dir, null, "folder does not exist: a dataset directory "
            + "holds logits/<id>.npy and labels/<id>.png|npy");
      }
      Path qualified = fs.makeQualified(p);
      EntrySink sink = (name, isFile, isDirectory, length) -> {
        if (name.startsWith(".") || name.startsWith("_")) {
          return;
        }
        int flag = isFile ? flagOf(name, logits) : 0;
        if (flag != 0) {
          entries.add(new Entry(stripExtension(name), flag, length));
        } else {
          if (notRead.size() < NOT_READ_NAMED) {
            notRead.add(child(qualified, name) + (isDirectory ? "/" : ""));
          }
          notReadCount[0]++;
        }
      };
      if (HadoopConf.withoutChecksumFiles(fs) instanceof RawLocalFileSystem local) {
        listLocal(local.pathToFile(p).toPath(), sink);
      } else {
        RemoteIterator<FileStatus> it = fs.listStatusIterator(p);
        while (it.hasNext()) {
          FileStatus st = it.next();
          sink.accept(st.getPath().getName(), st.isFile(), st.isDirectory(), st.getLen());
        }
      }
      return qualified.toString();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new BadRecordException(dir, null, "cannot list: " + e.getMessage(), e);
    }
  }

  /** What the listing keeps of a folder's entry. */
  @FunctionalInterface
  private interface EntrySink {
    void accept(String name, boolean isFile, boolean isDirectory, long length);
  }

  /**
   * A local folder's entries, one at a time, with their attributes as Hadoop's local file
   * system gives them (links followed; an entry that vanishes meanwhile is skipped, as a
   * listing taken a moment later would).
   */
  private static void listLocal(java.nio.file.Path dir, EntrySink sink) throws IOException {
    try (DirectoryStream<java.nio.file.Path> stream = Files.newDirectoryStream(dir)) {
      for (java.nio.file.Path f : stream) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue;
        }
        sink.accept(f.getFileName().toString(), a.isRegularFile(), a.isDirectory(), a.size());
      }
    }
  }

  /** The flag of a file name of {@code logits/} or {@code labels/}, or 0 if it is not read. */
  private static int flagOf(String name, boolean logits) {
    if (logits) {
      return name.endsWith(".npy") ? LOGITS : 0;
    }
    for (int i = 0; i < LABEL_FLAGS.length; i++) {
      if (name.endsWith(LABEL_EXTENSIONS[i])) {
        return LABEL_FLAGS[i];
      }
    }
    return 0;
  }

  static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Image ids found (in either folder). */
  int size() {
    return ends.length;
  }

  /** The {@code i}-th image id, in sorted order. */
  String id(int i) {
    int from = i == 0 ? 0 : ends[i - 1];
    return new String(ids, from, ends[i] - from, StandardCharsets.UTF_8);
  }

  /** The flags ({@link #LOGITS}, label flags) of the {@code i}-th image id. */
  int flags(int i) {
    return flags[i];
  }

  /** Each image's bytes on storage (its logits and label files), in id order. */
  long[] bytes() {
    return bytes.clone();
  }

  /**
   * The first {@link #NOT_READ_NAMED} entries of {@code logits/} and {@code labels/} that are
   * not read, in listing order (sub-folders end in {@code /}).
   */
  List<String> notRead() {
    return notRead;
  }

  /** How many entries are not read. */
  long notReadCount() {
    return notReadCount;
  }

  /** The images {@code [from, to)} as a {@link Slice} (its own copy of their ids and flags). */
  Slice slice(int from, int to) {
    int idFrom = from == 0 ? 0 : ends[from - 1];
    int[] sliceEnds = new int[to - from];
    for (int i = from; i < to; i++) {
      sliceEnds[i - from] = ends[i] - idFrom;
    }
    int idTo = to == 0 ? 0 : ends[to - 1];
    return new Slice(logitsDir, labelsDir, Arrays.copyOfRange(ids, idFrom, idTo), sliceEnds,
        Arrays.copyOfRange(flags, from, to));
  }

  /**
   * {@code dir/name} as Hadoop's listing spells it: the name is a path, never a URI (a ':' in
   * it is no scheme; as {@code RawLocalFileSystem.listStatus} builds its paths).
   */
  static String child(Path dir, String name) {
    return new Path(dir, new Path(null, null, name)).toString();
  }

  /**
   * A run of images of the listing, as one partition's input: shipped to an executor, which
   * makes its {@link DatasetDirectory#PAIRS} rows.
   */
  public static final class Slice implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String logitsDir;
    private final String labelsDir;
    private final byte[] ids;
    private final int[] ends;
    private final byte[] flags;

    private Slice(String logitsDir, String labelsDir, byte[] ids, int[] ends, byte[] flags) {
      this.logitsDir = logitsDir;
      this.labelsDir = labelsDir;
      this.ids = ids;
      this.ends = ends;
      this.flags = flags;
    }

    /** Images in this slice. */
    int size() {
      return ends.length;
    }

    /**
     * One {@link DatasetDirectory#PAIRS} row per image, in id order: the logits path (null
     * when there is none), the first and last label paths by name (null when there is none)
     * and how many label files the id has (null when none).
     */
    Iterator<Row> rows() {
      Path logits = new Path(logitsDir);
      Path labels = new Path(labelsDir);
      return new Iterator<>() {
        private int i;

        @Override
        public boolean hasNext() {
          return i < ends.length;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int from = i == 0 ? 0 : ends[i - 1];
          String id = new String(ids, from, ends[i] - from, StandardCharsets.UTF_8);
          int f = flags[i++];
          String logitsPath = (f & LOGITS) != 0 ? child(logits, id + ".npy")
              : null;
          int labelFlags = f & ~LOGITS;
          if (labelFlags == 0) {
            return RowFactory.create(id, logitsPath, null, null, null);
          }
          String first = null;
          String last = null;
          for (int j = 0; j < LABEL_FLAGS.length; j++) {
            if ((labelFlags & LABEL_FLAGS[j]) != 0) {
              last = child(labels, id + LABEL_EXTENSIONS[j]);
              first = first == null ? last : first;
            }
          }
          return RowFactory.create(id, logitsPath, first, (long) Integer.bitCount(labelFlags),
              last);
        }
      };
    }
  }
}
