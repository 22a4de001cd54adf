package org.ohemspark.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.ohemspark.core.BadRecordException;

/**
 * The {@code <key>.json} members of a WebDataset tar (a sample's metadata, which
 * {@link WebDatasetTar} passes over): each one read whole, every other member passed over by
 * position without reading its data, so a tar of logits costs its headers and its JSON members.
 * Keys are split as {@link WebDatasetTar.MemberName} splits them; the suffix must be exactly
 * {@code json} (any case), so {@code <key>.meta.json} is not one.
 */
public final class TarJsonMembers {
  private TarJsonMembers() {}

  /** Largest JSON member read, bytes: metadata, not data. */
  public static final int MAX_BYTES = 16 << 20;

  /** Bytes read through the stream at a time (headers and JSON members). */
  private static final int BUFFER = 64 * 1024;

  /**
   * One JSON member.
   *
   * @param key the sample's key (its image id)
   * @param member the member's name in the tar
   * @param bytes its content (UTF-8 JSON, unparsed)
   */
  public record Member(String key, String member, byte[] bytes) {}

  /**
   * The tar's JSON members, in archive order.
   *
   * @param tar the tar's path, for messages
   * @throws BadRecordException naming the tar (and member and key where one is being read) when
   *     the tar cannot be read or ends inside a member, or a JSON member is larger than
   *     {@link #MAX_BYTES}
   */
  public static List<Member> read(String tar, PositionedFile file) {
    List<Member> out = new ArrayList<>();
    PositionedInputStream raw = new PositionedInputStream(file, BUFFER);
    String last = null;
    try (TarArchiveInputStream in = new TarArchiveInputStream(raw)) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        last = e.getName();
        WebDatasetTar.MemberName n = e.isFile() ? WebDatasetTar.MemberName.parse(last) : null;
        if (n == null || !n.suffix().equals("json")) {
          if (!e.isSparse() && raw.position() == in.getBytesRead()) {
            raw.passOver(e.getSize());
          }
          continue;
        }
        if (e.getSize() > MAX_BYTES) {
          throw new BadRecordException(tar + "!/" + last, n.key(), "JSON member of "
              + e.getSize() + " bytes; metadata members are read up to " + MAX_BYTES);
        }
        byte[] b = in.readNBytes((int) e.getSize());
        if (b.length != e.getSize()) {
          throw new BadRecordException(tar + "!/" + last, n.key(), "truncated tar: member "
              + "needs " + e.getSize() + " bytes, found " + b.length);
        }
        out.add(new Member(n.key(), last, b));
      }
    } catch (IOException x) {
      throw new BadRecordException(tar, null, "cannot read tar " + (last == null
          ? "at its first member" : "after member " + last) + ": " + x, x);
    }
    return out;
  }
}
