package org.ohemspark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A dataset directory ({@code logits/}, {@code labels/}, optional {@code images/} and
 * {@code dataset.json}) re-laid out as WebDataset tars, as a user would pack it.
 */
public final class Layouts {
  private Layouts() {}

  /**
   * Writes {@code tars} tars {@code shard-00000N.tar} under {@code out} holding the images of
   * {@code dir} in id order, split in contiguous runs: per image {@code <id>.<image ext>} (from
   * {@code images/}, a member to skip), {@code <id>.logits.npy}, the label as
   * {@code <id>.labels.npy} (npy), or {@code <id>.seg.png} / {@code <id>.label.png} (PNG,
   * alternating), and {@code <id>.json} (with the image's {@code batch} from the directory's
   * {@code batches.csv} where there is one: a JSON integer for even images, a string holding
   * it for odd ones, as both are read). Copies {@code dataset.json}.
   *
   * @return {@code out}
   */
  public static Path toTars(Path dir, Path out, int tars) {
    try {
      List<String> ids = ids(dir);
      java.util.Map<String, String> batches = new java.util.HashMap<>();
      if (Files.exists(dir.resolve("batches.csv"))) {
        for (String line : Files.readAllLines(dir.resolve("batches.csv"))
            .subList(1, Files.readAllLines(dir.resolve("batches.csv")).size())) {
          String[] f = line.split(",");
          batches.put(f[0].trim(), f[1].trim());
        }
      }
      Files.createDirectories(out);
      int per = (ids.size() + tars - 1) / tars;
      for (int t = 0; t < tars; t++) {
        Tars tar = Tars.create();
        for (int i = t * per; i < Math.min(ids.size(), (t + 1) * per); i++) {
          String id = ids.get(i);
          Path image = find(dir.resolve("images"), id);
          if (image != null) {
            tar.add(id + ext(image), Files.readAllBytes(image));
          }
          tar.add(id + ".logits.npy", Files.readAllBytes(dir.resolve("logits/" + id + ".npy")));
          Path label = find(dir.resolve("labels"), id);
          String member = ext(label).equals(".npy") ? ".labels.npy"
              : i % 2 == 0 ? ".seg.png" : ".label.png";
          tar.add(id + member, Files.readAllBytes(label));
          String b = batches.get(id);
          String batch = b == null ? "" : i % 2 == 0 ? ", \"batch\": " + b
              : ", \"batch\": \"" + b + "\"";
          tar.add(id + ".json", ("{\"id\": \"" + id + "\"" + batch + "}").getBytes());
        }
        tar.write(out.resolve(String.format("shard-%06d.tar", t)));
      }
      if (Files.exists(dir.resolve("dataset.json"))) {
        Files.copy(dir.resolve("dataset.json"), out.resolve("dataset.json"));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Image ids of {@code dir/logits}, sorted. */
  public static List<String> ids(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("logits"))) {
      return s.map(p -> p.getFileName().toString())
          .map(n -> n.substring(0, n.lastIndexOf('.'))).sorted().toList();
    }
  }

  private static Path find(Path folder, String id) throws IOException {
    if (!Files.isDirectory(folder)) {
      return null;
    }
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> s = Files.list(folder)) {
      s.filter(p -> {
        String n = p.getFileName().toString();
        return n.lastIndexOf('.') > 0 && n.substring(0, n.lastIndexOf('.')).equals(id);
      }).forEach(hits::add);
    }
    return hits.isEmpty() ? null : hits.get(0);
  }

  private static String ext(Path p) {
    String n = p.getFileName().toString();
    return n.substring(n.lastIndexOf('.'));
  }
}
