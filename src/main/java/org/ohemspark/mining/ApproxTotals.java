package org.ohemspark.mining;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.core.LossSketch;
import org.ohemspark.spark.TreeDepth;

/**
 * The one pass of {@code --topk approx}: the dataset's first-pass figures
 * ({@link DatasetTotals}) and a {@link LossSketch} of every valid loss, aggregated straight from
 * the loss pass's records (nothing cached: each image's losses are dropped once added). The
 * driver receives this object only: O(C^2) counts and the sketch's 2 MB at most.
 *
 * <p>In FAILFAST (the only mode it runs in) a task's records end at its first bad one
 * ({@link LossFrames}); the bad record of the smallest image id is kept and {@link #of} throws
 * it, naming its source, image id and reason.
 */
@DefaultSerializer(JavaSerializer.class) // the sketch's histogram writes itself (writeObject)
final class ApproxTotals implements Serializable {
  private static final long serialVersionUID = 1L;
  private final DatasetTotals totals;
  private final LossSketch sketch = new LossSketch();
  private final int ignoreIndex;
  private LossRecord firstBad;

  private ApproxTotals(int ignoreIndex) {
    this.ignoreIndex = ignoreIndex;
    this.totals = DatasetTotals.empty(ignoreIndex);
  }

  /**
   * Aggregates the records of one pass.
   *
   * @throws BadRecordException the first bad record (by image id) if there is one
   */
  static ApproxTotals of(JavaRDD<LossRecord> records, int ignoreIndex) {
    ApproxTotals t = records.treeAggregate(new ApproxTotals(ignoreIndex), ApproxTotals::add,
        ApproxTotals::merge, TreeDepth.of(records));
    if (t.firstBad != null) {
      throw new BadRecordException(t.firstBad.source(), t.firstBad.imageId(),
          t.firstBad.error());
    }
    return t;
  }

  private ApproxTotals add(LossRecord r) {
    if (!r.isGood()) {
      keepBad(r);
      return this;
    }
    totals.add(r);
    sketch.addValid(r.losses(), ignoreIndex);
    return this;
  }

  private ApproxTotals merge(ApproxTotals o) {
    totals.merge(o.totals);
    sketch.merge(o.sketch);
    if (o.firstBad != null) {
      keepBad(o.firstBad);
    }
    return this;
  }

  private void keepBad(LossRecord r) {
    if (firstBad == null || String.valueOf(r.imageId()).compareTo(
        String.valueOf(firstBad.imageId())) < 0) {
      firstBad = r;
    }
  }

  DatasetTotals totals() {
    return totals;
  }

  LossSketch sketch() {
    return sketch;
  }
}
