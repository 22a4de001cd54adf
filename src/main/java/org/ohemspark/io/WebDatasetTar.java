package org.ohemspark.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
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
 * directories and names without a suffix. That is a tar of logits ({@link Payload#LOGITS});
 * a tar of images for a model ({@link Payload#IMAGE}) has in place of the logits member one
 * image member {@code <key>.jpg}, {@code <key>.jpeg} or {@code <key>.png} (read whole, in
 * order, as a label member is), with the same labels and the same checks. Suffixes match case-insensitively. The key is the
 * image id. A sample without logits or label, with two of either, or a key that appears again
 * later in the tar (members must be contiguous) is a {@link BadRecordException} naming the tar,
 * the key and what is missing. Plain (uncompressed) tar, any format commons-compress reads
 * (ustar, GNU, PAX long names).
 *
 * <p>A tar is read by position ({@link PositionedFile}): its headers and label members in
 * order, through a buffered stream; a logits member is not read there at all but handed out
 * as its byte range of the tar, which the logits then read a slab of rows at a time
 * ({@link SlabLogits}), so a member may be of any size (over 2 GiB too) and a sample costs a
 * few rows of memory. Label members are read whole (small beside their logits).
 */
public final class WebDatasetTar {
  private WebDatasetTar() {}

  /** Suffix of the logits member. */
  public static final String LOGITS = "logits.npy";
  /** Suffixes of a label member, any one of them. */
  public static final List<String> LABELS = List.of("seg.png", "label.png", "labels.npy");
  /** Suffixes of an image member (a model's input), any one of them. */
  public static final List<String> IMAGES = List.of("jpg", "jpeg", "png");

  /**
   * What a sample holds besides its label: the member the job reads it for.
   *
   * <ul>
   *   <li>{@code LOGITS}: {@code <key>.logits.npy}, handed out as its byte range of the tar
   *       (read later, a slab of rows at a time);</li>
   *   <li>{@code IMAGE}: {@code <key>.jpg}, {@code .jpeg} or {@code .png} (encoded, for a
   *       model), read whole as the stream passes it (up to 2 GiB).</li>
   * </ul>
   */
  public enum Payload {
    LOGITS("logits", List.of(WebDatasetTar.LOGITS)),
    IMAGE("image", IMAGES);

    private final String noun;
    private final List<String> suffixes;

    Payload(String noun, List<String> suffixes) {
      this.noun = noun;
      this.suffixes = suffixes;
    }

    /** Whether a member of this suffix (lower case) is the payload. */
    public boolean matches(String suffix) {
      return suffixes.contains(suffix);
    }

    /** {@code "logits"} or {@code "image"}, for messages. */
    public String noun() {
      return noun;
    }

    /** The member names a sample of {@code key} may have, for messages. */
    String members(String key) {
      return this == LOGITS ? key + ".logits.npy" : key + ".jpg, " + key + ".jpeg or " + key
          + ".png";
    }
  }

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
   * @param payload what {@code data} holds
   * @param dataMember the logits or image member's name in the tar
   * @param data the logits member, as its byte range of the tar, or the image member's bytes
   *     (null in an {@link #index})
   * @param labels the label member's bytes (null in an {@link #index})
   */
  public record Sample(String tar, String key, Payload payload, String dataMember,
      PositionedFile data, String labelsMember, byte[] labels) {

    /** {@code <tar>!/<member>}, how messages name a member. */
    public String source(String member) {
      return tar + "!/" + member;
    }

    /**
     * The image member's bytes (encoded PNG or JPEG), of a sample of {@link Payload#IMAGE}
     * streamed (not indexed): a copy of what the stream read.
     *
     * @throws IllegalStateException for a sample of logits, or one from an {@link #index}
     */
    public byte[] image() {
      if (payload != Payload.IMAGE || data == null) {
        throw new IllegalStateException("no image bytes in a " + (data == null ? "indexed "
            : "") + "sample of " + payload.noun() + ": " + source(dataMember));
      }
      byte[] b = new byte[Math.toIntExact(data.size())];
      try {
        data.readFully(0, b, 0, b.length);
      } catch (IOException e) { // bytes in memory: cannot fail
        throw new java.io.UncheckedIOException(e);
      }
      return b;
    }

    /**
     * Decodes the label and the logits' header; the logits are read by position as the kernel
     * needs them, while the tar is open.
     *
     * @throws BadRecordException naming the member and key when either is malformed
     * @throws IllegalStateException for a sample of {@link Payload#IMAGE} (a model makes its
     *     logits)
     */
    public ImageRecord decode() {
      if (payload != Payload.LOGITS) {
        throw new IllegalStateException("a sample of " + payload.noun() + " holds no logits");
      }
      String src = source(dataMember);
      try {
        Logits l = NpyArray.open(src, data).asLogits(key);
        LabelDecoder.Mask m = LabelDecoder.decode(source(labelsMember), key, labels);
        // both members, as a directory record names both files: a label value out of range
        // is found later, by the kernel, and must name the label member too
        return new ImageRecord(key, src + ", " + labelsMember, l, m.height(), m.width(),
            m.values());
      } catch (BadRecordException e) {
        throw e.withContext(src, key);
      }
    }
  }

  /**
   * Streams the samples of a tar in archive order, as
   * {@link #stream(String, PositionedFile, boolean)} with repeated keys refused.
   */
  public static SampleStream stream(String tar, PositionedFile file) {
    return new SampleStream(tar, file, Payload.LOGITS, false, 0, List.of());
  }

  /**
   * Streams the samples of a tar in archive order, reading its headers and label members; a
   * logits member is handed out as its byte range of the tar, unread (see the class comment).
   * Close the returned stream (it closes {@code file}) after the last sample's logits are
   * read. What is wrong is a
   * {@link BadRecordException} naming the tar (or member), the key where known and the problem:
   *
   * <ul>
   *   <li>a malformed sample (no logits, no label, two of either) is thrown by {@code next()}
   *       in its place; the stream goes on with the next sample;</li>
   *   <li>a key that appears again after other samples: thrown by {@code next()} in place of
   *       the later run, unless {@code keepRepeatedKeys} and that run is a whole sample, which
   *       then comes out as a sample like any other (the caller's duplicate-id rule then sees
   *       both copies);</li>
   *   <li>an unreadable rest of the tar (truncated data, a corrupt member header): every
   *       sample finished before it comes out first, then {@code hasNext()} throws once naming
   *       the key being read (null when the broken header's key is unknown) and the stream
   *       ends.</li>
   * </ul>
   *
   * @param tar the tar's name, for messages
   */
  public static SampleStream stream(String tar, PositionedFile file, boolean keepRepeatedKeys) {
    return new SampleStream(tar, file, Payload.LOGITS, keepRepeatedKeys, 0, List.of());
  }

  /**
   * As {@link #stream(String, PositionedFile, boolean)} over a part of a tar: {@code file}
   * starts at byte {@code offset} of the tar, where a member's first header starts (a
   * {@link Span}'s start), and ends where the tar ends or with an end-of-archive record the
   * caller adds after the part. The keys of {@code seenBefore} count as seen earlier in the
   * tar, so a run of one of them here is a repeated key, as it is when the whole tar is
   * streamed.
   */
  public static SampleStream stream(String tar, PositionedFile file, boolean keepRepeatedKeys,
      long offset, Collection<String> seenBefore) {
    return new SampleStream(tar, file, Payload.LOGITS, keepRepeatedKeys, offset, seenBefore);
  }

  /**
   * As {@link #stream(String, PositionedFile, boolean, long, Collection)} for samples holding
   * {@code payload}: for {@link Payload#IMAGE}, a sample without its image member, or with two,
   * is malformed as one without logits is, and the image comes out as its bytes.
   */
  public static SampleStream stream(String tar, PositionedFile file, Payload payload,
      boolean keepRepeatedKeys, long offset, Collection<String> seenBefore) {
    return new SampleStream(tar, file, payload, keepRepeatedKeys, offset, seenBefore);
  }

  /**
   * The samples of a tar from its headers alone (member data is skipped by seeking, never
   * read), with the same checks as {@link #stream}; {@code logits} and {@code labels} are null.
   *
   * @throws BadRecordException if the tar is unreadable or a sample is malformed
   */
  public static List<Sample> index(String tar, SeekableByteChannel channel) {
    return layout(tar, channel, true).samples();
  }

  /** As {@link #index(String, SeekableByteChannel)} for samples holding {@code payload}. */
  public static List<Sample> index(String tar, SeekableByteChannel channel, Payload payload) {
    return layout(tar, channel, payload, true).samples();
  }

  /**
   * Where a run of members of one key lies in a tar, in bytes from the tar's start.
   *
   * @param start where the first header of its first member starts (extended headers such as
   *     PAX or GNU long names included): the end of the member before it, or 0
   * @param end where its last member's padded data ends
   */
  public record Span(String key, long start, long end) {
    /** {@code end - start}. */
    public long bytes() {
      return end - start;
    }
  }

  /**
   * What the headers of a tar say.
   *
   * @param samples the samples, checked as {@link #stream} checks them (empty when not asked
   *     to check)
   * @param spans every run of members of one key, good or not, in archive order
   * @param splittable false when the tar holds a global PAX header (typeflag {@code g}): its
   *     settings apply to every later member, so the tar is read from its start only
   */
  public record Layout(List<Sample> samples, List<Span> spans, boolean splittable) {}

  /**
   * The layout of a tar from its headers alone (member data is seeked over, never read).
   *
   * @param check check every sample as {@link #stream} does, and the tar's end record
   * @return the layout; null when not checking and the tar is unreadable (a truncated or
   *     corrupt tar: it can only be streamed whole)
   * @throws BadRecordException when checking, if the tar is unreadable or a sample is
   *     malformed (as {@link #index})
   */
  public static Layout layout(String tar, SeekableByteChannel channel, boolean check) {
    return layout(tar, channel, Payload.LOGITS, check);
  }

  /**
   * As {@link #layout(String, SeekableByteChannel, boolean)} for samples holding
   * {@code payload}.
   */
  public static Layout layout(String tar, SeekableByteChannel channel, Payload payload,
      boolean check) {
    List<Sample> samples = new ArrayList<>();
    List<Span> spans = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean splittable = true;
    Group g = null;
    long groupStart = 0;
    long groupEnd = 0;
    // TarFile closes the channel when closed: the failure path streams it again first
    TarFile tf = null;
    try {
      tf = new TarFile(channel);
      long end = 0; // where the last member's padded data ends
      String lastMember = null;
      for (TarArchiveEntry e : tf.getEntries()) {
        requireChecksum(e);
        long headers = end; // where this member's headers start
        if (e.getDataOffset() - headers > RECORD
            && holdsGlobalHeader(channel, headers, e.getDataOffset() - RECORD)) {
          splittable = false;
        }
        end = e.getDataOffset() + padded(e.getSize());
        lastMember = e.getName();
        MemberName n = e.isFile() ? MemberName.parse(e.getName()) : null;
        if (n == null) {
          continue;
        }
        if (g != null && !g.key.equals(n.key())) {
          if (check) {
            samples.add(g.finish(seen));
          }
          spans.add(new Span(g.key, groupStart, groupEnd));
          g = null;
        }
        if (g == null) {
          g = new Group(tar, n.key(), payload);
          groupStart = headers;
        }
        g.note(e.getName(), n.suffix());
        groupEnd = end;
      }
      if (channel.size() < end + RECORD) {
        throw new IOException(noEndBlock(lastMember, channel.size()));
      }
    } catch (IOException | RuntimeException e) {
      if (!check) {
        return null;
      }
      if (e instanceof BadRecordException b) {
        throw b;
      }
      throw whereUnreadable(tar, channel, payload, new BadRecordException(tar, g == null ? null : g.key,
          "cannot read tar: " + e, e));
    } finally {
      if (tf != null) {
        try {
          tf.close();
        } catch (IOException ignored) {
          // read-only: nothing is lost
        }
      }
    }
    if (g != null) {
      if (check) {
        samples.add(g.finish(seen));
      }
      spans.add(new Span(g.key, groupStart, groupEnd));
    }
    return new Layout(samples, spans, splittable);
  }

  /** Typeflag of a global PAX header. */
  private static final byte GLOBAL_PAX = 'g';

  /**
   * Whether the headers from {@code from} up to the member header at {@code to} (a chain of
   * extended headers, each a header record and its padded data) hold a global PAX header; a
   * chain that cannot be followed counts as holding one (the tar is then not split).
   */
  private static boolean holdsGlobalHeader(SeekableByteChannel channel, long from, long to)
      throws IOException {
    java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(RECORD);
    long at = from;
    while (at < to) {
      header.clear();
      channel.position(at);
      while (header.hasRemaining() && channel.read(header) > 0) {
        // a positioned read may return fewer bytes
      }
      if (header.hasRemaining()) {
        return true;
      }
      byte[] h = header.array();
      if (h[156] == GLOBAL_PAX) {
        return true;
      }
      long size;
      try {
        size = org.apache.commons.compress.archivers.tar.TarUtils.parseOctalOrBinary(h, 124, 12);
      } catch (IllegalArgumentException e) {
        return true;
      }
      if (size < 0) {
        return true;
      }
      at += RECORD + padded(size);
    }
    return at != to;
  }

  /**
   * Why a tar the index cannot read is unreadable, with the member and key where the stream
   * finds them (commons-compress's {@code TarFile} fails as a whole on a truncated tar): the
   * tar is streamed once from the start until it fails. Only on this failure path.
   */
  private static BadRecordException whereUnreadable(String tar, SeekableByteChannel channel,
      Payload payload, BadRecordException fallback) {
    try {
      try (SampleStream s = stream(tar, PositionedFile.of(channel), payload, false, 0,
          List.of())) {
        while (s.hasNext()) {
          s.next();
        }
      }
    } catch (BadRecordException b) {
      return b;
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
    return fallback;
  }

  /**
   * A member header whose checksum does not match was damaged (a wrong byte in a name would
   * otherwise give an image another id): the tar is unreadable from there.
   */
  private static void requireChecksum(TarArchiveEntry e) throws IOException {
    if (!e.isCheckSumOK()) {
      throw new IOException("corrupt tar header of member " + e.getName()
          + ": its checksum does not match its bytes");
    }
  }

  /** A tar is read in records of this many bytes; it ends with at least one zero record. */
  private static final int RECORD = 512;

  private static long padded(long size) {
    return (size + RECORD - 1) / RECORD * RECORD;
  }

  /**
   * Why a tar without its end-of-archive record is bad: it was cut short (in or before a
   * member header), so members may be missing with no other trace.
   */
  private static String noEndBlock(String lastMember, long bytes) {
    return "truncated tar: no end-of-archive record after "
        + (lastMember == null ? "the start" : "member " + lastMember) + " (the tar has "
        + bytes + " bytes; a tar ends with zero-filled 512-byte records)";
  }

  /** The samples of one tar, streamed; see {@link #stream(String, PositionedFile, boolean)}. */
  public static final class SampleStream implements Iterator<Sample>, Closeable {
    /** Bytes the stream reads at a time (headers, label members). */
    private static final int BUFFER = 256 * 1024;
    private final String tar;
    private final PositionedFile file;
    private final PositionedInputStream raw;
    private final TarArchiveInputStream in;
    private final Payload payload;
    private final boolean keepRepeatedKeys;
    private final Set<String> seen = new HashSet<>();
    /** The next key's group, whose first member was read while finishing the previous one. */
    private Group started;
    /** The next group to hand out (finished by {@link #next}). */
    private Group ready;
    /** Why the rest of the tar cannot be read; thrown by {@link #hasNext} once ready is out. */
    private BadRecordException broken;
    private boolean eof;
    /** Where the last member's padded data ends, in bytes from the start of the tar. */
    private long end;
    private String lastMember;
    /** Where {@code in} starts in the tar, bytes. */
    private final long offset;

    private SampleStream(String tar, PositionedFile file, Payload payload,
        boolean keepRepeatedKeys, long offset, Collection<String> seenBefore) {
      this.tar = tar;
      this.payload = payload;
      this.file = file;
      this.raw = new PositionedInputStream(file, BUFFER);
      this.in = new TarArchiveInputStream(raw);
      this.keepRepeatedKeys = keepRepeatedKeys;
      this.offset = offset;
      this.seen.addAll(seenBefore);
    }

    @Override
    public boolean hasNext() {
      if (ready == null && !eof) {
        ready = fetch();
      }
      if (ready == null && broken != null) {
        BadRecordException b = broken;
        broken = null;
        throw b;
      }
      return ready != null;
    }

    /**
     * The next sample.
     *
     * @throws BadRecordException in place of a malformed sample (the stream goes on)
     */
    @Override
    public Sample next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Group g = ready;
      ready = null;
      return g.finish(seen, keepRepeatedKeys);
    }

    /**
     * Reads members until the next key starts (or the end) and returns the group before it,
     * or null at the end. A failure ends the stream: it is kept in {@link #broken}, and the
     * group finished before it is still returned.
     */
    private Group fetch() {
      Group g = started;
      started = null;
      String last = g == null ? null : g.members.get(g.members.size() - 1);
      Group reading = null;
      String member = null;
      try {
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
          requireChecksum(e);
          end = in.getBytesRead() + padded(e.getSize());
          lastMember = e.getName();
          MemberName n = e.isFile() ? MemberName.parse(e.getName()) : null;
          if (n == null) {
            passOver(e);
            last = e.getName();
            continue;
          }
          member = e.getName();
          if (g != null && !g.key.equals(n.key())) {
            reading = new Group(tar, n.key(), payload);
            reading.read(member, n.suffix(), this, e);
            started = reading;
            return g;
          }
          if (g == null) {
            g = new Group(tar, n.key(), payload);
          }
          reading = g;
          g.read(member, n.suffix(), this, e);
          last = member;
          reading = null;
        }
        if (in.getBytesRead() < end + RECORD) { // a short or missing header read as the end
          throw new IOException(noEndBlock(lastMember, offset + in.getBytesRead()));
        }
      } catch (IOException | BadRecordException x) {
        eof = true;
        broken = unreadable(x, g, reading, member, last);
        return reading != null && reading != g || g != null && g.whole() && reading == null
            ? g : null;
      }
      eof = true;
      return g;
    }

    /**
     * The failure that ends the stream. Reading a member's data: that member and its key.
     * Reading a header: the tar, and the key of an unfinished sample before it, else none.
     */
    private BadRecordException unreadable(Exception x, Group g, Group reading, String member,
        String last) {
      if (x instanceof BadRecordException b) {
        return b;
      }
      String rest = "; the rest of the tar is unreadable";
      if (reading != null) {
        return new BadRecordException(tar + "!/" + member, reading.key, "cannot read tar "
            + "member " + member + ": " + x + rest, x);
      }
      String key = g != null && !g.whole() ? g.key : null;
      String where = last != null ? "after member " + last
          : offset == 0 ? "at its first member" : "at byte " + offset;
      return new BadRecordException(tar, key, "cannot read tar " + where + ": " + x + rest, x);
    }

    /**
     * Lets the stream pass over the data of member {@code e} (just read) without reading it,
     * where its data is one byte range the tar reader has not started reading (not a sparse
     * member).
     */
    private void passOver(TarArchiveEntry e) {
      if (!e.isSparse() && raw.position() == in.getBytesRead()) {
        raw.passOver(e.getSize());
      }
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
    final Payload payload;
    final List<String> members = new ArrayList<>();
    /** The payload's members (logits or images). */
    final List<String> data = new ArrayList<>();
    final List<String> labels = new ArrayList<>();
    PositionedFile payloadData;
    byte[] labelsData;

    Group(String tar, String key, Payload payload) {
      this.tar = tar;
      this.key = key;
      this.payload = payload;
    }

    /**
     * Notes member {@code e}, whose header {@code s} just read: a logits member as its byte
     * range of the tar (passed over by the stream, unread), a label or image member's data
     * read from the stream, any other member passed over. (A sparse logits member, whose data
     * is not one byte range, is read whole instead, up to 2 GiB.)
     *
     * @throws IOException if the tar ends inside the member (truncated)
     */
    void read(String name, String suffix, SampleStream s, TarArchiveEntry e)
        throws IOException {
      note(name, suffix);
      long size = e.getSize();
      boolean isData = payload.matches(suffix);
      boolean isLogits = isData && payload == Payload.LOGITS;
      if (isLogits && !e.isSparse()) {
        long at = s.in.getBytesRead(); // where the member's data starts in the tar
        if (at > s.file.size() - size) {
          throw new IOException("truncated tar: member needs " + size + " bytes, the tar has "
              + Math.max(0, s.file.size() - at) + " after its header");
        }
        s.passOver(e);
        payloadData = s.file.slice(at, size);
      } else if (isData || LABELS.contains(suffix)) {
        if (size > Integer.MAX_VALUE - 8) {
          throw new BadRecordException(tar + "!/" + name, key, (isLogits ? "sparse member"
              : isData ? "image member" : "label member") + " is larger than 2 GiB (" + size
              + " bytes)");
        }
        byte[] bytes = s.in.readNBytes((int) size);
        if (bytes.length != size) {
          throw new BadRecordException(tar + "!/" + name, key, "truncated tar: member needs "
              + size + " bytes, found " + bytes.length);
        }
        if (isData) {
          payloadData = PositionedFile.of(bytes);
        } else {
          labelsData = bytes;
        }
      } else {
        s.passOver(e);
      }
    }

    /** Notes a member by name only. */
    void note(String name, String suffix) {
      members.add(name);
      if (payload.matches(suffix)) {
        data.add(name);
      } else if (LABELS.contains(suffix)) {
        labels.add(name);
      }
    }

    /** One payload member and one label: a sample the job can read (its data aside). */
    boolean whole() {
      return data.size() == 1 && labels.size() == 1;
    }

    Sample finish(Set<String> seen) {
      return finish(seen, false);
    }

    /**
     * The sample, checked.
     *
     * @param keepRepeatedKeys a whole sample whose key was seen before is returned, not refused
     * @throws BadRecordException for a missing or doubled member, or a repeated key
     */
    Sample finish(Set<String> seen, boolean keepRepeatedKeys) {
      if (!seen.add(key) && !(keepRepeatedKeys && whole())) {
        throw new BadRecordException(tar, key, "duplicate key: it appears again after other "
            + "samples; the members of a sample must be contiguous and keys unique");
      }
      if (data.size() > 1) {
        throw new BadRecordException(tar, key, "two " + payload.noun() + " members: " + data
            + (payload == Payload.IMAGE ? "; expected one of " + payload.members(key) : ""));
      }
      if (labels.size() > 1) {
        throw new BadRecordException(tar, key, "two label members: " + labels
            + "; expected one of " + key + ".seg.png, .label.png or .labels.npy");
      }
      if (data.isEmpty()) {
        throw new BadRecordException(tar, key, "sample has no " + payload.noun() + " member "
            + payload.members(key) + " (members: " + members + ")");
      }
      if (labels.isEmpty()) {
        throw new BadRecordException(tar, key, "sample has no label member " + key
            + ".seg.png, " + key + ".label.png or " + key + ".labels.npy (members: " + members
            + ")");
      }
      return new Sample(tar, key, payload, data.get(0), payloadData, labels.get(0),
          labelsData);
    }
  }
}
