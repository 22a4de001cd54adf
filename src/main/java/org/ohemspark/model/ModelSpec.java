package org.ohemspark.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a segmentation model takes and gives, as {@code model.json} declares it (or
 * {@code --model-param key=value}):
 *
 * <pre>
 *   input          string    the input's name (default: the model's only input)
 *   input_size     [H, W]    what every image is resized to; "none": the image's own size
 *                            (default: the input's H and W where the model fixes them, else none)
 *   resize         string    bilinear (align_corners=False, as torch.nn.functional.interpolate)
 *                            | none (an image of another size than input_size is a bad record);
 *                            default bilinear
 *   channel_order  string    RGB | BGR (default RGB): which colour goes to input channel 0
 *   scale          number    multiplies the 8-bit sample value, e.g. 0.00392156862745098 or
 *                            "1/255" (required)
 *   mean, std      [3 numbers]  per input channel, in channel_order: (v * scale - mean) / std
 *                            (required; std non-zero)
 *   layout         string    NCHW (the only one)
 *   output         string    the output's name (default: the model's only output)
 *   output_kind    string    logits | probabilities (their natural log is taken) (required)
 *   classes        int       the output's channel count C (default: the model's, if fixed)
 * </pre>
 *
 * Every field must be spelled as above: an unknown key is an error naming the known ones.
 *
 * @param inputSize {@code [H, W]}, or null for the image's own size
 * @param mean per input channel (3), in channel order
 * @param std per input channel (3), in channel order
 * @param source where it was declared, for messages
 */
public record ModelSpec(String input, int[] inputSize, boolean bilinear, boolean bgr,
    double scale, double[] mean, double[] std, String output, boolean probabilities,
    Integer classes, String source) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The keys {@code model.json} may hold. */
  public static final List<String> KEYS = List.of("input", "input_size", "resize",
      "channel_order", "scale", "mean", "std", "layout", "output", "output_kind", "classes");

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Parses {@code model.json} (null or empty: no file) and applies {@code params} over it
   * ({@code --model-param key=value}: a value is read as JSON where it is valid JSON, else as
   * a string, so {@code mean=[0.5,0.5,0.5]}, {@code scale=1/255} and {@code input=x.1} all
   * work).
   *
   * @param source the file's name (or "flags"), for messages
   * @throws ModelConfigException naming the file and the key for malformed JSON, an unknown
   *     key, a missing required key or a value out of range
   */
  public static ModelSpec parse(String source, byte[] json, Map<String, String> params) {
    ObjectNode root;
    if (json == null || json.length == 0) {
      root = JSON.createObjectNode();
    } else {
      try {
        JsonNode n = JSON.readTree(json);
        if (n == null || !n.isObject()) {
          throw new ModelConfigException(source + ": expected a JSON object");
        }
        root = (ObjectNode) n;
      } catch (IOException e) {
        throw new ModelConfigException(source + ": not valid JSON: " + e.getMessage(), e);
      }
    }
    String where = source;
    if (params != null && !params.isEmpty()) {
      where = json == null || json.length == 0 ? "--model-param"
          : source + " and --model-param";
      for (Map.Entry<String, String> e : params.entrySet()) {
        root.set(e.getKey(), value(e.getValue()));
      }
    }
    List<String> unknown = new ArrayList<>();
    root.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) {
        unknown.add(k);
      }
    });
    if (!unknown.isEmpty()) {
      throw new ModelConfigException(where + ": unknown key(s) " + unknown + "; known keys: "
          + KEYS);
    }
    List<String> missing = new ArrayList<>();
    for (String k : List.of("scale", "mean", "std", "output_kind")) {
      if (!root.hasNonNull(k)) {
        missing.add(k);
      }
    }
    if (!missing.isEmpty()) {
      throw new ModelConfigException(where + ": " + missing + " must be declared (the "
          + "preprocessing and what the output holds are never guessed), e.g. \"scale\": "
          + "\"1/255\", \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225], "
          + "\"output_kind\": \"logits\"");
    }
    String layout = text(root, where, "layout", "NCHW");
    if (!layout.equalsIgnoreCase("NCHW")) {
      throw new ModelConfigException(where + ": layout must be NCHW (the only layout "
          + "supported), got '" + layout + "'");
    }
    int[] size = inputSize(root, where);
    String resize = text(root, where, "resize", "bilinear").toLowerCase(Locale.ROOT);
    if (!resize.equals("bilinear") && !resize.equals("none")) {
      throw new ModelConfigException(where + ": resize must be bilinear or none, got '"
          + resize + "'");
    }
    String order = text(root, where, "channel_order", "RGB").toUpperCase(Locale.ROOT);
    if (!order.equals("RGB") && !order.equals("BGR")) {
      throw new ModelConfigException(where + ": channel_order must be RGB or BGR, got '"
          + order + "'");
    }
    double scale = number(root.get("scale"), where, "scale");
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new ModelConfigException(where + ": scale must be a positive number, got "
          + root.get("scale"));
    }
    double[] mean = triple(root, where, "mean");
    double[] std = triple(root, where, "std");
    for (int i = 0; i < 3; i++) {
      if (std[i] == 0) {
        throw new ModelConfigException(where + ": std[" + i + "] is 0");
      }
    }
    String kind = text(root, where, "output_kind", null).toLowerCase(Locale.ROOT);
    if (!kind.equals("logits") && !kind.equals("probabilities")) {
      throw new ModelConfigException(where + ": output_kind must be logits or probabilities, "
          + "got '" + kind + "'");
    }
    Integer classes = null;
    JsonNode c = root.get("classes");
    if (c != null && !c.isNull()) {
      if (!c.isIntegralNumber() || !c.canConvertToInt() || c.asInt() < 1) {
        throw new ModelConfigException(where + ": classes must be an integer >= 1, got " + c);
      }
      classes = c.asInt();
    }
    return new ModelSpec(text(root, where, "input", null), size, resize.equals("bilinear"),
        order.equals("BGR"), scale, mean, std, text(root, where, "output", null),
        kind.equals("probabilities"), classes, where);
  }

  /** This spec with the names, size and class count the model itself fixes filled in. */
  public ModelSpec with(String in, int[] size, String out, Integer c) {
    return new ModelSpec(in, size, bilinear, bgr, scale, mean, std, out, probabilities, c,
        source);
  }

  /** A JSON-like description for {@code summary.json} and messages. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("input", input);
    m.put("input_size", inputSize == null ? "none" : inputSize);
    m.put("resize", bilinear ? "bilinear" : "none");
    m.put("channel_order", bgr ? "BGR" : "RGB");
    m.put("scale", scale);
    m.put("mean", mean);
    m.put("std", std);
    m.put("layout", "NCHW");
    m.put("output", output);
    m.put("output_kind", probabilities ? "probabilities" : "logits");
    m.put("classes", classes);
    return m;
  }

  @Override
  public String toString() {
    return "ModelSpec" + describe().entrySet().stream().map(e -> e.getKey() + "="
        + (e.getValue() instanceof double[] d ? Arrays.toString(d)
        : e.getValue() instanceof int[] i ? Arrays.toString(i) : e.getValue()))
        .toList();
  }

  private static JsonNode value(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n == null ? TextNode.valueOf(text) : n;
    } catch (JsonProcessingException e) { // not JSON: a bare string such as x.1 or 1/255
      return TextNode.valueOf(text);
    }
  }

  private static String text(JsonNode root, String where, String key, String dflt) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw new ModelConfigException(where + ": " + key + " must be a string, got " + n);
    }
    return n.asText();
  }

  /** A number, or a string {@code "a/b"} of two numbers (1/255). */
  private static double number(JsonNode n, String where, String key) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isTextual()) {
      String t = n.asText().trim();
      try {
        int slash = t.indexOf('/');
        return slash < 0 ? Double.parseDouble(t) : Double.parseDouble(t.substring(0, slash))
            / Double.parseDouble(t.substring(slash + 1));
      } catch (NumberFormatException e) { // reported below
      }
    }
    throw new ModelConfigException(where + ": " + key + " must be a number (or \"a/b\"), got "
        + n);
  }

  private static double[] triple(JsonNode root, String where, String key) {
    JsonNode n = root.get(key);
    if (!n.isArray() || n.size() != 3) {
      throw new ModelConfigException(where + ": " + key + " must be an array of 3 numbers (one "
          + "per input channel, in channel_order), got " + n);
    }
    double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      out[i] = number(n.get(i), where, key + "[" + i + "]");
    }
    return out;
  }

  private static int[] inputSize(JsonNode root, String where) {
    JsonNode n = root.get("input_size");
    if (n == null || n.isNull() || n.isTextual() && n.asText().equalsIgnoreCase("none")) {
      return null;
    }
    if (n.isArray() && n.size() == 2 && n.get(0).canConvertToInt() && n.get(1)
        .canConvertToInt() && n.get(0).isIntegralNumber() && n.get(1).isIntegralNumber()
        && n.get(0).asInt() > 0 && n.get(1).asInt() > 0) {
      return new int[] {n.get(0).asInt(), n.get(1).asInt()};
    }
    throw new ModelConfigException(where + ": input_size must be [H, W] (positive integers) "
        + "or \"none\", got " + n);
  }
}
