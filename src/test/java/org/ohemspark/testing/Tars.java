package org.ohemspark.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds tar files in tests with commons-compress, members in insertion order. */
public final class Tars {
  private final List<Map.Entry<String, byte[]>> members = new ArrayList<>();

  public static Tars create() {
    return new Tars();
  }

  /** Adds a member (the same name twice gives two members). */
  public Tars add(String name, byte[] data) {
    members.add(Map.entry(name, data));
    return this;
  }

  /** The tar's bytes (POSIX long names). */
  public byte[] bytes() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(buf)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : members) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        entry.setModTime(0L);
        out.putArchiveEntry(entry);
        out.write(e.getValue());
        out.closeArchiveEntry();
      }
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buf.toByteArray();
  }

  /** Writes the tar to {@code file} and returns it. */
  public Path write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
