package org.ohemspark.mining;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;
import org.ohemspark.core.ClassTotals;
import org.ohemspark.core.ExactSum;
import org.ohemspark.core.KeptConfusion;
import org.ohemspark.source.DirectoryListing;
import org.ohemspark.source.ParquetFooters;
import org.ohemspark.source.WebDatasetTars;
import org.ohemspark.spark.HadoopConf;
import org.ohemspark.spark.JavaSerialized;
import org.apache.spark.sql.types.BinaryType$;

/**
 * Registers with Kryo the classes the job makes Spark's serializer write, for sessions that set
 * {@code spark.kryo.registrationRequired=true} (without that setting nothing needs registering):
 *
 * <pre>
 *   --conf spark.serializer=org.apache.spark.serializer.KryoSerializer
 *   --conf spark.kryo.registrationRequired=true
 *   --conf spark.kryo.registrator=org.ohemspark.mining.OhemKryoRegistrator
 * </pre>
 *
 * <p>It only registers: each class keeps the serializer it names itself (a
 * {@code @DefaultSerializer}, else Kryo's field serializer), so the bytes are those of a session
 * without this registrator but for each class name, written as a small number instead.
 * Registration numbers follow {@link #CLASSES}' order, the same on every JVM of the job.
 */
public final class OhemKryoRegistrator implements KryoRegistrator {

  /**
   * The classes registered, in registration order: ours that cross the serializer on their own
   * (the cached records, task results, aggregation states, shuffled and parallelized records
   * and keys (the images' rank keys and the range sample's array of them),
   * the broadcast configuration; what they hold in their Java form needs no registration), then
   * those of Java and Spark that the job makes Spark write and Spark does not register itself:
   * the lists of the bad-record split's states, the input rows a directory or tar listing
   * parallelizes, and the binary column type in the schemas Spark's own Parquet schema
   * inference returns as task results when shards are read (Spark registers the other types).
   */
  static final Class<?>[] CLASSES = {
      LossRecord.class, LossPass.PartitionResult.class, JavaSerialized.class,
      DistributedTopK.Tail.class, ExactSum.class, DatasetTotals.class, ImageScopeTotals.class,
      BadRecords.Copies.class, BadRecords.Tally.class, TieCutoff.class, HadoopConf.class,
      DirectoryListing.Slice.class, ParquetFooters.Footer.class, WebDatasetTars.TarIndex.class,
      org.apache.spark.sql.catalyst.expressions.GenericRow.class, BinaryType$.class,
      java.util.ArrayList.class,
      ClassTotals.class, KeptConfusion.class, ExactSum[].class,
      org.ohemspark.core.ImageRanking.Key.class, org.ohemspark.core.ImageRanking.Key[].class,
      org.ohemspark.core.LossBins.class, ApproxTotals.class, BatchOutcomes.Done.class,
      BatchOutcomes.Totals.class,
  };

  @Override
  public void registerClasses(Kryo kryo) {
    for (Class<?> c : CLASSES) {
      kryo.register(c);
    }
  }
}
