package org.ohemspark.mining;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;
import java.util.stream.IntStream;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.ohemspark.core.BadRecordException;
import org.ohemspark.source.BadRecordMode;
import org.ohemspark.spark.Rethrow;
import scala.Option;
import scala.runtime.BoxedUnit;

/**
 * The action that runs the loss pass ({@link LossFrames}) over its persisted records, started
 * asynchronously so the driver can plan while the executors decode; every other job that reads
 * the records waits for it ({@link #await}), so that each partition is computed once, by this
 * job, and every later task reads the cached block, local or remote. (Were another job to
 * start at the same time, its task for a partition still being decoded on one executor would
 * decode it again on another: a block being computed is only waited for within one executor.)
 *
 * <p>Each task returns its partition's record count and its first bad record, if any. In
 * {@link BadRecordMode#FAILFAST} the loss pass stops a partition at its first bad record rather
 * than throwing (a thrown exception would be retried {@code spark.task.maxFailures} times,
 * decoding the partition each time, for a failure that is certain to repeat); on the first such
 * result the driver cancels the job and {@link #await} throws the bad record. Results arrive
 * one per task on the driver (O(partitions)).
 */
final class LossPass {
  /**
   * One partition's result: its records and its first bad record (null if none). A task result
   * goes through the session's serializer: under Kryo, which cannot build records, in its Java
   * form.
   */
  @DefaultSerializer(JavaSerializer.class)
  record PartitionResult(long records, LossRecord firstBad) implements Serializable {}

  /** Set once submitted; a result can arrive before (then the constructor cancels). */
  private SimpleFutureAction<BoxedUnit> job;
  private final BadRecordMode mode;
  private long records;
  /** Partition index of {@link #firstBad}: the lowest among the results received. */
  private int badPartition = Integer.MAX_VALUE;
  private LossRecord firstBad;

  private LossPass(JavaRDD<LossRecord> persisted, BadRecordMode mode) {
    this.mode = mode;
    SparkContext sc = persisted.context();
    int n = persisted.getNumPartitions();
    @SuppressWarnings("unchecked")
    scala.collection.immutable.Seq<Object> all = (scala.collection.immutable.Seq<Object>)
        (scala.collection.immutable.Seq<?>) scala.jdk.javaapi.CollectionConverters.asScala(
            IntStream.range(0, n).boxed().toList()).toSeq();
    SimpleFutureAction<BoxedUnit> submitted = sc.submitJob(persisted.rdd(), (scala.Function1<scala.collection.Iterator<LossRecord>,
        PartitionResult> & Serializable) LossPass::summarize, all,
        (index, result) -> {
          received((Integer) index, result);
          return BoxedUnit.UNIT;
        }, () -> BoxedUnit.UNIT);
    synchronized (this) {
      job = submitted;
      if (firstBad != null) {
        cancelForBadRecord();
      }
    }
  }

  /** Starts the loss pass over {@code persisted} (a persisted {@link LossFrames} result). */
  static LossPass start(JavaRDD<LossRecord> persisted, BadRecordMode mode) {
    return new LossPass(persisted, mode);
  }

  private static PartitionResult summarize(scala.collection.Iterator<LossRecord> it) {
    long n = 0;
    LossRecord bad = null;
    while (it.hasNext()) {
      LossRecord r = it.next();
      n++;
      if (bad == null && !r.isGood()) {
        bad = r;
      }
    }
    return new PartitionResult(n, bad);
  }

  /** On the driver, as each task ends (Spark's scheduler thread: quick, no Spark call waits). */
  private synchronized void received(int partition, PartitionResult r) {
    records += r.records();
    if (r.firstBad() != null && mode == BadRecordMode.FAILFAST) {
      boolean first = firstBad == null;
      if (partition < badPartition) {
        badPartition = partition;
        firstBad = r.firstBad();
      }
      if (first && job != null) {
        cancelForBadRecord();
      }
    }
  }

  private void cancelForBadRecord() {
    job.cancel(Option.apply("a bad record (FAILFAST): image_id='" + firstBad.imageId() + "'"));
  }

  /**
   * Waits for the loss pass to end.
   *
   * @return how many records (good and bad) it gave
   * @throws BadRecordException in FAILFAST, the first bad record (of the lowest partition among
   *     the tasks that ended before the job was cancelled)
   * @throws RuntimeException any other failure of the job, as Spark reports it
   */
  long await() {
    try {
      job.get();
    } catch (Exception e) { // SparkException (checked), or a cancellation we made
      synchronized (this) {
        if (firstBad != null) {
          throw failure(firstBad);
        }
      }
      throw Rethrow.unchecked(jobFailure(e));
    }
    synchronized (this) {
      if (firstBad != null) { // every task had ended before the cancellation
        throw failure(firstBad);
      }
      return records;
    }
  }

  /** Stops the job (when the driver fails for another reason while it runs). */
  void cancel() {
    job.cancel();
  }

  /**
   * The job's own failure (Spark's {@code Job aborted due to stage failure: ...}, with the
   * task's error as its cause), which {@code FutureAction.get} wraps in an {@code Exception
   * thrown in awaitResult}; {@code e} itself if the job has not completed.
   */
  private Throwable jobFailure(Exception e) {
    Option<scala.util.Try<BoxedUnit>> done = job.value();
    return done.isDefined() && done.get().isFailure() ? done.get().failed().get() : e;
  }

  private static BadRecordException failure(LossRecord bad) {
    return new BadRecordException(bad.source(), bad.imageId(), bad.error());
  }
}
