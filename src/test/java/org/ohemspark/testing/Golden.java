package org.ohemspark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ohemspark.core.OhemParams;

/**
 * The PyTorch golden cases copied from {@code shared/golden} into
 * {@code src/test/resources/golden/<case>/}: per-image {@code logits/NNNN.npy} and
 * {@code labels/NNNN.npy}, {@code losses_f32.npy} ({@code [N, H, W]} float32) and
 * {@code expected.json}. See {@code shared/golden/README.md} for the fields.
 *
 * <p>Reading {@code losses_f32.npy} uses a small reader of its own (little-endian float32,
 * C order), independent of {@code org.ohemspark.io.NpyArray}, which is under test.
 */
public final class Golden {
  private Golden() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reference rule's cases, copied from {@code shared/golden}. */
  public static final String REFERENCE = "golden";
  /**
   * The options' cases ({@code min_kept}, factor 0, label smoothing, align_corners), made by
   * {@code src/test/resources/golden_options/make_golden_options.py} with PyTorch.
   */
  public static final String OPTIONS = "golden_options";

  /** {@code <basedir>/src/test/resources/golden}. */
  public static Path root() {
    return root(REFERENCE);
  }

  /** {@code <basedir>/src/test/resources/<set>}. */
  public static Path root(String set) {
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    Path p = Paths.get(base).resolve("src/test/resources").resolve(set);
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("golden cases not found at " + p.toAbsolutePath());
    }
    return p;
  }

  /** Names of all cases, sorted. */
  public static List<String> cases() {
    return cases(REFERENCE);
  }

  /** Names of all cases of a set, sorted. */
  public static List<String> cases(String set) {
    try (Stream<Path> s = Files.list(root(set))) {
      return s.filter(p -> Files.isRegularFile(p.resolve("expected.json")))
          .map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The reference cases by name and the options' cases as {@code golden_options/<name>}, for
   * tests of the rule, the kernel and the Spark path that take every parameter.
   */
  public static List<String> casesWithOptions() {
    List<String> out = new ArrayList<>(cases(REFERENCE));
    for (String c : cases(OPTIONS)) {
      out.add(OPTIONS + "/" + c);
    }
    return out;
  }

  /** Loads one case: a reference case by name, or {@code <set>/<name>}. */
  public static Case load(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? load(REFERENCE, name)
        : load(name.substring(0, slash), name.substring(slash + 1));
  }

  /** Loads one case of a set. */
  public static Case load(String set, String name) {
    Path dir = root(set).resolve(name);
    try {
      JsonNode root = JSON.readTree(dir.resolve("expected.json").toFile());
      return new Case(name, dir, Params.of(root.get("params")), Expected.of(root.get("float64")),
          Expected.of(root.get("float32")), perImage(root.get("per_image_float64")),
          ints(root.get("shape").get("logits")), ints(root.get("shape").get("labels")), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All cases, loaded. */
  public static List<Case> all() {
    return cases().stream().map(Golden::load).toList();
  }

  /**
   * {@code params} of expected.json; {@code min_kept}, {@code label_smoothing} and
   * {@code align_corners} (the options' cases) are 0, 0 and false where absent.
   */
  public record Params(double thresh, int factor, int ignoreIndex, double[] classWeights,
      long minKept, double labelSmoothing, boolean alignCorners) {
    static Params of(JsonNode p) {
      JsonNode w = p.get("class_weight");
      double[] weights = null;
      if (w != null && !w.isNull()) {
        weights = new double[w.size()];
        for (int i = 0; i < weights.length; i++) {
          weights[i] = w.get(i).asDouble();
        }
      }
      return new Params(p.get("thresh").asDouble(), p.get("factor").asInt(),
          p.get("ignore_index").asInt(), weights, p.path("min_kept").asLong(0),
          p.path("label_smoothing").asDouble(0.0), p.path("align_corners").asBoolean(false));
    }

    public OhemParams toOhemParams() {
      return new OhemParams(thresh, factor, ignoreIndex, classWeights, minKept, labelSmoothing,
          alignCorners);
    }
  }

  /** The {@code float64} (or {@code float32}) block of expected.json. */
  public record Expected(Double mean, long nValid, long nMin, long nHard, boolean usedTopk,
      Double kthLoss, long[] keptIndices, long nKept, boolean tieAtKth, double lossThreshold) {
    static Expected of(JsonNode e) {
      if (e == null) {
        return null;
      }
      JsonNode k = e.get("kept_indices");
      long[] kept = null;
      if (k != null && !k.isNull()) {
        kept = new long[k.size()];
        for (int i = 0; i < kept.length; i++) {
          kept[i] = k.get(i).asLong();
        }
      }
      return new Expected(nullableDouble(e.get("mean")), e.get("n_valid").asLong(),
          e.get("n_min").asLong(), e.get("n_hard").asLong(), e.get("used_topk").asBoolean(),
          nullableDouble(e.get("kth_loss")), kept,
          e.has("n_kept") ? e.get("n_kept").asLong() : -1,
          e.has("tie_at_kth") && e.get("tie_at_kth").asBoolean(),
          e.has("loss_threshold") ? e.get("loss_threshold").asDouble() : Double.NaN);
    }
  }

  /** One entry of {@code per_image_float64}. */
  public record PerImage(int image, Double mean, long nValid, long nMin, long nHard,
      boolean usedTopk) {}

  /** One golden case. */
  public record Case(String name, Path dir, Params params, Expected float64, Expected float32,
      List<PerImage> perImage, int[] logitsShape, int[] labelsShape, JsonNode json) {

    /** Number of images {@code N}. */
    public int images() {
      return labelsShape[0];
    }

    public int height() {
      return labelsShape[1];
    }

    public int width() {
      return labelsShape[2];
    }

    /** Image id {@code NNNN} of image {@code n}. */
    public static String imageId(int n) {
      return String.format("%04d", n);
    }

    public Path logitsFile(int n) {
      return dir.resolve("logits").resolve(imageId(n) + ".npy");
    }

    public Path labelsFile(int n) {
      return dir.resolve("labels").resolve(imageId(n) + ".npy");
    }

    public byte[] logitsBytes(int n) {
      return read(logitsFile(n));
    }

    public byte[] labelsBytes(int n) {
      return read(labelsFile(n));
    }

    /** {@code losses_f32.npy} as {@code [N*H*W]} floats, C order. */
    public float[] lossesF32() {
      return readFloat32(dir.resolve("losses_f32.npy"), new int[] {images(), height(),
          width()});
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static List<PerImage> perImage(JsonNode arr) {
    if (arr == null || arr.isNull()) {
      return null;
    }
    List<PerImage> out = new ArrayList<>();
    for (JsonNode p : arr) {
      out.add(new PerImage(p.get("image").asInt(), nullableDouble(p.get("mean")),
          p.get("n_valid").asLong(), p.get("n_min").asLong(), p.get("n_hard").asLong(),
          p.get("used_topk").asBoolean()));
    }
    return out;
  }

  private static Double nullableDouble(JsonNode n) {
    return n == null || n.isNull() ? null : n.asDouble();
  }

  private static int[] ints(JsonNode arr) {
    int[] out = new int[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asInt();
    }
    return out;
  }

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /**
   * Minimal reader of a version 1.0 {@code <f4} C-order npy file, checking the shape.
   */
  public static float[] readFloat32(Path file, int[] expectedShape) {
    byte[] b = read(file);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    if ((b[0] & 0xff) != 0x93 || b[1] != 'N' || b[6] != 1) {
      throw new IllegalStateException(file + ": expected npy version 1.0");
    }
    int headerLen = bb.getShort(8) & 0xffff;
    String header = new String(b, 10, headerLen, StandardCharsets.ISO_8859_1);
    if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False")) {
      throw new IllegalStateException(file + ": expected <f4 C order, header " + header);
    }
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw new IllegalStateException(file + ": no shape in " + header);
    }
    String[] dims = m.group(1).replace(" ", "").split(",");
    int n = 1;
    for (int i = 0; i < expectedShape.length; i++) {
      if (Integer.parseInt(dims[i]) != expectedShape[i]) {
        throw new IllegalStateException(file + ": shape (" + m.group(1) + ") differs");
      }
      n *= expectedShape[i];
    }
    float[] out = new float[n];
    int off = 10 + headerLen;
    for (int i = 0; i < n; i++) {
      out[i] = bb.getFloat(off + 4 * i);
    }
    return out;
  }
}
