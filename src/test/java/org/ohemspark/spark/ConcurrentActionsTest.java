package org.ohemspark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ohemspark.testing.SparkTestSession;

/**
 * The job's output writes run at once: every action ends before {@code awaitAll} returns, and
 * the first failure cancels the others' Spark jobs and is the one thrown.
 */
class ConcurrentActionsTest {
  private static SparkSession spark;
  private static JavaSparkContext jsc;
  /** Elements the slow job has processed (its tasks run in this JVM). */
  private static final AtomicInteger PROCESSED = new AtomicInteger();

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("ConcurrentActionsTest");
    jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void actionsRunAtOnceAndGiveTheirResults() throws Exception {
    // each action waits for the other to start: run one after the other, both would time out
    CountDownLatch started = new CountDownLatch(2);
    Future<Long> a;
    Future<Long> b;
    try (ConcurrentActions actions = ConcurrentActions.on(spark.sparkContext(), "test")) {
      a = actions.submit("test", () -> {
        started.countDown();
        assertTrue(started.await(60, TimeUnit.SECONDS), "the other action never started");
        return jsc.parallelize(List.of(1, 2, 3), 2).count();
      });
      b = actions.submit("test", () -> {
        started.countDown();
        assertTrue(started.await(60, TimeUnit.SECONDS), "the other action never started");
        return jsc.parallelize(IntStream.range(0, 10).boxed().toList(), 2)
            .filter(x -> x % 2 == 0).count();
      });
      actions.awaitAll();
    }
    assertEquals(3L, a.get());
    assertEquals(5L, b.get());
  }

  @Test
  void theFirstFailureCancelsTheOtherJobsAndIsThrownAfterAllEnded() throws Exception {
    PROCESSED.set(0);
    int elements = 4000; // 10 ms each on two cores: 20 s if never cancelled
    IllegalStateException boom = new IllegalStateException("boom: the images/ write failed");
    Future<Long> slow;
    try (ConcurrentActions actions = ConcurrentActions.on(spark.sparkContext(), "test")) {
      slow = actions.submit("test", () -> jsc.parallelize(
          IntStream.range(0, elements).boxed().toList(), 2).map(x -> {
            Thread.sleep(10);
            PROCESSED.incrementAndGet(); // local[2]: the tasks run in this JVM
            return x;
          }).count());
      actions.run("test", () -> {
        // fail once the slow job's tasks are running
        while (PROCESSED.get() == 0) {
          Thread.sleep(10);
        }
        throw boom;
      });
      Exception thrown = assertThrows(Exception.class, actions::awaitAll);
      assertSame(boom, thrown);
      // the slow action ended (cancelled) before awaitAll returned, and its failure is attached
      assertTrue(slow.isDone());
      assertEquals(1, boom.getSuppressed().length);
      assertTrue(boom.getSuppressed()[0].getMessage().contains("cancelled"),
          boom.getSuppressed()[0].getMessage());
    }
    assertTrue(PROCESSED.get() < elements, "processed " + PROCESSED.get());
  }
}
