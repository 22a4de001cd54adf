package org.ohemspark.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The class names of a run, for the {@code classes/} and {@code confusion/} tables: the file of
 * {@code --class-names FILE} (configuration key {@code class_names}; any Hadoop URI, read on the
 * driver) when given, else {@code dataset.json}'s {@code class_names}, else none.
 *
 * <p>The file holds one name per line, in class order (line 1 is class 0), UTF-8; a line is
 * trimmed, an empty line is a class without a name (null), and empty lines at the end of the
 * file are dropped. Where the class count is declared ({@code classes}), the names must be that
 * many.
 */
public final class ClassNames {
  private ClassNames() {}

  /**
   * The names {@code config} asks for, or null.
   *
   * @throws IllegalArgumentException (a bad parameter, exit 2) if the file cannot be read, or
   *     the names are not as many as the declared classes
   */
  public static List<String> resolve(Configuration hadoop, JobConfig config) {
    List<String> names;
    String origin;
    if (config.classNamesFile() != null) {
      names = read(hadoop, config.classNamesFile());
      origin = "--class-names " + config.classNamesFile();
    } else {
      names = config.datasetClassNames();
      origin = "dataset.json class_names";
    }
    if (names != null && config.classes() != null && names.size() != config.classes()) {
      throw new IllegalArgumentException("bad parameter: " + names.size() + " class names ("
          + origin + ") but classes = " + config.classes() + ": give one name per class, in "
          + "class order");
    }
    return names;
  }

  /** Parses the text of a names file (see the class comment). */
  public static List<String> parse(String text) {
    String[] lines = text.split("\r?\n", -1);
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String t = line.strip();
      out.add(t.isEmpty() ? null : t);
    }
    while (!out.isEmpty() && out.get(out.size() - 1) == null) {
      out.remove(out.size() - 1);
    }
    return Collections.unmodifiableList(out);
  }

  private static List<String> read(Configuration hadoop, String file) {
    Path p = new Path(file);
    try (InputStream in = p.getFileSystem(hadoop).open(p)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --class-names " + file + ": " + e, e);
    }
  }
}
