package org.ohemspark.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.ohemspark.core.Logits;
import org.ohemspark.io.NpyArray;
import org.ohemspark.source.ShardSchema;

/** A golden case's images as rows of the shard schema ({@link ShardSchema#SCHEMA}), by image. */
public final class GoldenShards {
  private GoldenShards() {}

  /** One shard row per image of {@code c}, in image order. */
  public static List<Row> rows(Golden.Case c) {
    List<Row> rows = new ArrayList<>();
    for (int n = 0; n < c.images(); n++) {
      String id = Golden.Case.imageId(n);
      Logits logits = NpyArray.parse(c.logitsFile(n).toString(), c.logitsBytes(n))
          .asLogits(id);
      int[] dims = new int[2];
      int[] labels = NpyArray.parse(c.labelsFile(n).toString(), c.labelsBytes(n))
          .asLabels(id, dims);
      rows.add(ShardSchema.toRow(id, logits, dims[0], dims[1], labels));
    }
    return rows;
  }
}
