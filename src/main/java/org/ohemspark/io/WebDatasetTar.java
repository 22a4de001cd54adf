package org.ohemspark.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.Logits;

/**
 * A WebDataset tar shard ({@code shard-000000.tar}): each sample is a run of consecutive members
 * sharing one key, the member name up to the first dot of its file name
 * ({@code dir/0001.seg.png}: key {@code dir/0001}, suffix {@code seg.png}). The job reads:
 *
 * <ul>
 *   <li>{@code <key>.logits.npy}: logits {@code [C,h,w]} (any {@code .npy} the directory layout
 *       takes);</li>
 *   <li>exactly one label: {@code <key>.seg.png}, {@code <key>.label.png} (8/16-bit grey or
 *       palette PNG, decoded by {@link LabelDecoder}) or {@code <key>.labels.npy}.</li>
 * </ul>
 *
 * Other members ({@code <key>.jpg}, {@code <key>.json}, ...) are skipped unread, as are
 * directories and names without a suffix. Suffixes match case-insensitively. The key is the
 * image id. A sample without logits or label, with two of either, or a key that appears again
 * later in the tar (members must be contiguous) is a {@link BadRecordException} naming the tar,
 * the key and what is missing. Plain (uncompressed) tar, any format commons-compress reads
 * (ustar, GNU, PAX long names).
 */
public final class WebDatasetTar {
  private WebDatasetTar() {}

  /** Suffix of the logits member. */
  public static final String LOGITS = "logits.npy";
  /** Suffixes of a label member, any one of them. */
  public static final List<String> LABELS = List.of("seg.png", "label.png", "labels.npy");

  /**
   * A member name split WebDataset's way.
   *
   * @param key the path up to the first dot of the file name ({@code ./} prefix dropped)
   * @param suffix the rest after that dot, lower case
   */
  public record MemberName(String key, String suffix) {
    /** Splits {@code name}; null when it has no suffix (or is a directory). */
    public static MemberName parse(String name) {
      String n = name;
      while (n.startsWith("./")) {
        n = n.substring(2);
      }
      int slash = n.lastIndexOf('/');
      int dot = n.indexOf('.', slash + 1);
      if (dot <= slash + 1 || dot == n.length() - 1) {
        return null;
      }
      return new MemberName(n.substring(0, dot), n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
  }

  /**
   * One sample's members that the job reads.
   *
   * @param logits the logits member's bytes (null in an {@link #index})
   * @param labels the label member's bytes (null in an {@link #index})
   */
  public record Sample(String tar, String key, String logitsMember, byte[] logits,
      String labelsMember, byte[] labels) {

    /** {@code <tar>!/<member>}, how messages name a member. */
    public String source(String member) {
      return tar + "!/" + member;
    }

    /**
     * Decodes the logits and the label.
     *
     * @throws BadRecordException naming the member and key when either is malformed
     */
    public ImageRecord decode() {
      String src = source(logitsMember);
      try {
        Logits l = NpyArray.parse(src, logits).asLogits(key);
        LabelDecoder.Mask m = LabelDecoder.decode(source(labelsMember), key, labels);
        return new ImageRecord(key, src, l, m.height(), m.width(), m.values());
      } catch (BadRecordException e) {
        throw e.withContext(src, key);
      }
    }
  }

  /**
   * Streams the samples of a tar in archive order, reading only logits and label members.
   * Close the returned stream (it closes {@code in}).
   *
   * @param tar the tar's name, for messages
   */
  public static SampleStream stream(String tar, InputStream in) {
    return new SampleStream(tar, in);
  }

  /**
   * The samples of a tar from its headers alone (member data is skipped by seeking, never
   * read), with the same checks as {@link #stream}; {@code logits} and {@code labels} are null.
   *
   * @throws BadRecordException if the tar is unreadable or a sample is malformed
   */
  public static List<Sample> index(String tar, SeekableByteChannel channel) {
    List<Sample> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Group g = null;
    try (TarFile tf = new TarFile(channel)) {
      for (TarArchiveEntry e : tf.getEntries()) {
        MemberName n = e.isFile() ? MemberName.parse(e.getName()) : null;
        if (n == null) {
          continue;
        }
        if (g != null && !g.key.equals(n.key())) {
          out.add(g.finish(seen));
          g = null;
        }
        if (g == null) {
          g = new Group(tar, n.key());
        }
        g.note(e.getName(), n.suffix());
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadRecordException b) {
        throw b;
      }
      throw new BadRecordException(tar, g == null ? null : g.key, "cannot read tar: " + e, e);
    }
    if (g != null) {
      out.add(g.finish(seen));
    }
    return out;
  }

  /** The samples of one tar, streamed; see {@link #stream}. */
  public static final class SampleStream implements Iterator<Sample>, Closeable {
    private final String tar;
    private final TarArchiveInputStream in;
    private final Set<String> seen = new HashSet<>();
    /** The next key's group, whose first member was read while finishing the previous one. */
    private Group started;
    private Sample ready;
    private boolean eof;

    private SampleStream(String tar, InputStream in) {
      this.tar = tar;
      this.in = new TarArchiveInputStream(in);
    }

    @Override
    public boolean hasNext() {
      if (ready == null && !(eof && started == null)) {
        ready = fetch();
      }
      return ready != null;
    }

    @Override
    public Sample next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Sample s = ready;
      ready = null;
      return s;
    }

    /** Reads members until the next key starts (or the end) and returns the finished sample. */
    private Sample fetch() {
      Group g = started;
      started = null;
      try {
        TarArchiveEntry e;
        while (!eof && (e = in.getNextEntry()) != null) {
          MemberName n = e.isFile() ? MemberName.parse(e.getName()) : null;
          if (n == null) {
            continue;
          }
          if (g != null && !g.key.equals(n.key())) {
            started = new Group(tar, n.key());
            started.read(e.getName(), n.suffix(), in, e.getSize());
            return g.finish(seen);
          }
          if (g == null) {
            g = new Group(tar, n.key());
          }
          g.read(e.getName(), n.suffix(), in, e.getSize());
        }
      } catch (IOException e) {
        throw new BadRecordException(tar, g == null ? null : g.key, "cannot read tar: " + e, e);
      }
      eof = true;
      return g == null ? null : g.finish(seen);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** The members of one key, collected. */
  private static final class Group {
    final String tar;
    final String key;
    final List<String> members = new ArrayList<>();
    final List<String> logits = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    byte[] logitsData;
    byte[] labelsData;

    Group(String tar, String key) {
      this.tar = tar;
      this.key = key;
    }

    /** Notes a member, reading its data from {@code in} when the job needs it. */
    void read(String name, String suffix, InputStream in, long size) throws IOException {
      boolean isLogits = suffix.equals(LOGITS);
      boolean isLabel = LABELS.contains(suffix);
      note(name, suffix);
      if (isLogits || isLabel) {
        if (size > Integer.MAX_VALUE - 8) {
          throw new BadRecordException(tar + "!/" + name, key, "member is larger than 2 GiB ("
              + size + " bytes)");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
          throw new BadRecordException(tar + "!/" + name, key, "truncated tar: member needs "
              + size + " bytes, found " + data.length);
        }
        if (isLogits) {
          logitsData = data;
        } else {
          labelsData = data;
        }
      }
    }

    /** Notes a member by name only. */
    void note(String name, String suffix) {
      members.add(name);
      if (suffix.equals(LOGITS)) {
        logits.add(name);
      } else if (LABELS.contains(suffix)) {
        labels.add(name);
      }
    }

    Sample finish(Set<String> seen) {
      if (!seen.add(key)) {
        throw new BadRecordException(tar, key, "duplicate key: it appears again after other "
            + "samples; the members of a sample must be contiguous and keys unique");
      }
      if (logits.size() > 1) {
        throw new BadRecordException(tar, key, "two logits members: " + logits);
      }
      if (labels.size() > 1) {
        throw new BadRecordException(tar, key, "two label members: " + labels
            + "; expected one of " + key + ".seg.png, .label.png or .labels.npy");
      }
      if (logits.isEmpty()) {
        throw new BadRecordException(tar, key, "sample has no logits member " + key
            + ".logits.npy (members: " + members + ")");
      }
      if (labels.isEmpty()) {
        throw new BadRecordException(tar, key, "sample has no label member " + key
            + ".seg.png, " + key + ".label.png or " + key + ".labels.npy (members: " + members
            + ")");
      }
      return new Sample(tar, key, logits.get(0), logitsData, labels.get(0), labelsData);
    }
  }
}
