package org.ohemspark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads what an {@code ohem-mine} run wrote, for comparing two runs. */
public final class JobOutputs {
  private JobOutputs() {}

  /** {@code <out>/summary.json}. */
  public static JsonNode summary(Path out) throws IOException {
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  /** The figures of a summary that depend on the data (not the mode, input or counts of bad). */
  public static Map<String, String> figures(JsonNode s) {
    Map<String, String> m = new HashMap<>();
    for (String k : List.of("status", "mean", "n_images", "n_valid", "n_min", "n_hard",
        "n_kept", "used_topk", "kth_loss")) {
      m.put(k, s.get(k).asText());
    }
    return m;
  }

  /** {@code <out>/images/} rows (each image's figures) as strings, in image_id order. */
  public static List<String> imageRows(SparkSession spark, Path out) {
    return spark.read().parquet(out.resolve("images").toString()).orderBy("image_id")
        .collectAsList().stream().map(Row::toString).toList();
  }

  /** {@code <out>/hard_pixels/} rows as strings, in (image_id, pixel_index) order. */
  public static List<String> hardRows(SparkSession spark, Path out) {
    return spark.read().parquet(out.resolve("hard_pixels").toString())
        .orderBy("image_id", "pixel_index").collectAsList().stream().map(Row::toString)
        .toList();
  }
}
