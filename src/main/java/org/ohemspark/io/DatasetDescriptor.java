package org.ohemspark.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;

/**
 * The optional {@code dataset.json} beside {@code logits/} and {@code labels/}:
 * {@code classes} (an int, or the list of class names, whose length is taken),
 * {@code ignore_index} (int), {@code label_convention}
 * ({@code train_ids | palette_index | reduce_zero_label | void=K}), {@code class_weights}
 * (array of numbers) and {@code class_names} (array of strings, a {@code null} entry for a class
 * without a name; where absent, a {@code classes} list of strings gives the names). Every field
 * is optional; other fields are ignored.
 *
 * @param classes {@code null} when absent
 * @param ignoreIndex {@code null} when absent
 * @param labelConvention {@code null} when absent
 * @param classWeights {@code null} when absent
 * @param classNames by class id, {@code null} when absent (entries may be null)
 * @param source the file it was read from ({@code dataset.json} or {@code _dataset.json}, as
 *     given to {@link #parse}), for messages; {@code null} for {@link #EMPTY}
 */
public record DatasetDescriptor(Integer classes, Integer ignoreIndex, String labelConvention,
    double[] classWeights, java.util.List<String> classNames, String source)
    implements Serializable {

  public static final DatasetDescriptor EMPTY = new DatasetDescriptor(null, null, null, null,
      null, null);

  /** The name of the file it was read from ({@code dataset.json} when unknown). */
  public String fileName() {
    if (source == null) {
      return "dataset.json";
    }
    int slash = source.lastIndexOf('/');
    return slash >= 0 ? source.substring(slash + 1) : source;
  }

  /**
   * Parses the JSON text.
   *
   * @throws IllegalArgumentException naming the file and field when the JSON or a field is
   *     malformed
   */
  public static DatasetDescriptor parse(String source, byte[] json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(),
          e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a JSON object");
    }
    JsonNode cn = root.get("classes");
    Integer classes = cn != null && cn.isArray() ? Integer.valueOf(cn.size())
        : intField(source, root, "classes", 1);
    if (classes != null && classes < 1) { // an empty list of class names
      throw new IllegalArgumentException(source + ": classes must be >= 1, got " + classes);
    }
    Integer ignore = intField(source, root, "ignore_index", Integer.MIN_VALUE);
    String conv = null;
    JsonNode c = root.get("label_convention");
    if (c != null && !c.isNull()) {
      if (!c.isTextual()) {
        throw new IllegalArgumentException(source + ": label_convention must be a string");
      }
      conv = c.asText();
    }
    double[] weights = null;
    JsonNode w = root.get("class_weights");
    if (w != null && !w.isNull()) {
      if (!w.isArray()) {
        throw new IllegalArgumentException(source + ": class_weights must be an array");
      }
      weights = new double[w.size()];
      for (int i = 0; i < weights.length; i++) {
        if (!w.get(i).isNumber()) {
          throw new IllegalArgumentException(source + ": class_weights[" + i + "] = " + w.get(i)
              + " is not a number");
        }
        weights[i] = w.get(i).asDouble();
      }
    }
    java.util.List<String> names = null;
    JsonNode n = root.get("class_names");
    if (n != null && !n.isNull()) {
      names = stringList(source, n, "class_names");
    } else if (cn != null && cn.isArray()) {
      names = stringList(source, cn, "classes");
    }
    return new DatasetDescriptor(classes, ignore, conv, weights, names, source);
  }

  /** An array of strings (null entries kept), as an unmodifiable-size list. */
  private static java.util.List<String> stringList(String source, JsonNode a, String name) {
    if (!a.isArray()) {
      throw new IllegalArgumentException(source + ": " + name + " must be an array of strings");
    }
    java.util.List<String> out = new java.util.ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      JsonNode e = a.get(i);
      if (!e.isNull() && !e.isTextual()) {
        throw new IllegalArgumentException(source + ": " + name + "[" + i + "] = " + e
            + " is not a string");
      }
      out.add(e.isNull() ? null : e.asText());
    }
    return java.util.Collections.unmodifiableList(out);
  }

  /**
   * An integer field from {@code min} to {@link Integer#MAX_VALUE}, or null when absent; the
   * message of a bad value states that range ({@code classes must be an integer >= 1}).
   */
  private static Integer intField(String source, JsonNode root, String name, int min) {
    JsonNode n = root.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min) {
      String range = min == Integer.MIN_VALUE || n.isIntegralNumber()
          && !n.canConvertToInt() ? "an integer from " + min + " to " + Integer.MAX_VALUE
          : "an integer >= " + min;
      throw new IllegalArgumentException(source + ": " + name + " must be " + range + ", got "
          + n);
    }
    return n.asInt();
  }
}
