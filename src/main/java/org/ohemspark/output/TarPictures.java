package org.ohemspark.output;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ohemspark.io.WebDatasetTar;
import org.ohemspark.spark.HadoopConf;
import scala.Tuple2;

/**
 * The picture members ({@code <key>.jpg}, {@code .jpeg} or {@code .png}, as
 * {@link WebDatasetTar#IMAGES}) of some keys of one WebDataset tar, for the report: the tar's
 * headers are read in order and every other member is skipped unread, so
 * a task reads the headers and the wanted pictures only. A tar that cannot be read gives what
 * was found before the problem (pictures are optional; the loss pass reports bad tars).
 */
final class TarPictures {
  private TarPictures() {}

  /** (key, encoded bytes) of the wanted keys' first picture member in {@code tar}. */
  static List<Tuple2<String, byte[]>> read(String tar, Set<String> keys, HadoopConf conf) {
    List<Tuple2<String, byte[]>> out = new ArrayList<>();
    Path p = new Path(tar);
    try {
      FileSystem fs = p.getFileSystem(conf.get());
      try (InputStream raw = fs.open(p);
          TarArchiveInputStream in = new TarArchiveInputStream(new BufferedInputStream(raw,
              1 << 16))) {
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null && out.size() < keys.size()) {
          WebDatasetTar.MemberName n = e.isFile() ? WebDatasetTar.MemberName.parse(e.getName())
              : null;
          if (n != null && keys.contains(n.key()) && WebDatasetTar.IMAGES.contains(n.suffix())
              && e.getSize() < Integer.MAX_VALUE - 8
              && out.stream().noneMatch(t -> t._1().equals(n.key()))) {
            out.add(new Tuple2<>(n.key(), in.readNBytes((int) e.getSize())));
          }
        }
      }
    } catch (Exception e) { // a tar the loss pass read may still end badly: keep what we have
      return out;
    }
    return out;
  }
}
