package org.ohemspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ohemspark.testing.SparkTestSession;

/**
 * The partitions of the passes over the cached records: the count rule, and a coalesced pass
 * that reads every cached record once, without computing any again.
 */
class ScanPartitionsTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("ScanPartitionsTest");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void twoTasksPerCoreAndAtMost32BlocksPerTask() {
    assertEquals(4, ScanPartitions.partitions(22, 2)); // 64 images of 20 MB on local[2]
    assertEquals(3, ScanPartitions.partitions(3, 2)); // never more than the loss pass
    assertEquals(11, ScanPartitions.partitions(334, 2)); // ceil(334 / 32)
    assertEquals(2000, ScanPartitions.partitions(40_000, 1000));
    assertEquals(1250, ScanPartitions.partitions(40_000, 2)); // executors not up yet
    assertEquals(2, ScanPartitions.partitions(5, 0));
    assertEquals(1, ScanPartitions.partitions(1, 8));
    assertEquals(0, ScanPartitions.partitions(0, 8));
  }

  @Test
  void aCoalescedPassReadsTheCachedRecordsOnce() {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator computed = sc.sc().longAccumulator("computed");
    List<Integer> data = IntStream.range(0, 220).boxed().collect(Collectors.toList());
    JavaRDD<Integer> cached = sc.parallelize(data, 22).map(x -> {
      computed.add(1);
      return x;
    }).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      assertEquals(220, cached.count());
      assertEquals(220, computed.value());
      JavaRDD<Integer> scan = ScanPartitions.of(cached);
      assertEquals(2 * sc.defaultParallelism(), scan.getNumPartitions());
      assertEquals(data, scan.collect().stream().sorted().collect(Collectors.toList()));
      assertEquals(220, computed.value(), "no record computed again");
      JavaRDD<Integer> few = sc.parallelize(data, 3);
      assertSame(few, ScanPartitions.of(few));
    } finally {
      cached.unpersist();
    }
  }
}
