package org.ohemspark.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.status.api.v1.ExecutorSummary;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The executors' peak JVM heap in use, from Spark's own executor metrics ({@code JVMHeapMemory},
 * polled every {@code spark.executor.metrics.pollingInterval}, else at each heartbeat) as the
 * status store holds them. In local mode the one executor is the driver's JVM; elsewhere the
 * driver's own entry is left out.
 *
 * @param executors executors that reported a peak
 * @param maxBytes the largest peak of one executor, bytes
 * @param sumBytes the sum of the executors' peaks, bytes
 * @param local whether the executor is the driver's JVM ({@code local[*]})
 */
public record ExecutorHeapPeaks(int executors, long maxBytes, long sumBytes, boolean local) {

  /** Reads the peaks of every executor, active or removed, seen so far. */
  public static ExecutorHeapPeaks of(SparkContext sc) {
    int n = 0;
    long max = 0;
    long sum = 0;
    boolean local = sc.isLocal();
    for (ExecutorSummary e : CollectionConverters.asJava(sc.statusStore().executorList(false))) {
      if ((!local && "driver".equals(e.id())) || e.peakMemoryMetrics().isEmpty()) {
        continue;
      }
      ExecutorMetrics m = e.peakMemoryMetrics().get();
      long heap = m.getMetricValue("JVMHeapMemory");
      if (heap <= 0) {
        continue;
      }
      n++;
      max = Math.max(max, heap);
      sum += heap;
    }
    return new ExecutorHeapPeaks(n, max, sum, local);
  }
}
