package org.ohemspark.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;

/**
 * Independent Spark actions (the job's output writes, the report's jobs) run from several driver
 * threads at once, so that one action's driver-side work (planning, scheduling, the commit of its
 * files) overlaps another's tasks instead of leaving the executors idle between them. The
 * executors still run at most their cores' worth of tasks: concurrency adds no executor memory,
 * only the driver threads (one per action). Spark's scheduler takes jobs from several threads
 * (its default FIFO mode runs the earlier-submitted job's tasks first).
 *
 * <p>All the actions run in one Spark job group; the first action to fail cancels the group's
 * other jobs, {@link #awaitAll} waits for every action to end (so that no write is still running
 * when the caller removes its staged output), then throws that first failure as the action threw
 * it (later failures, usually the cancellations, are attached as suppressed).
 *
 * <p>Use from one driver thread: {@link #submit} the actions, then {@link #awaitAll}; close
 * (try-with-resources) to release the threads.
 */
public final class ConcurrentActions implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final SparkContext sc;
  private final String group;
  private final String description;
  private final ExecutorService threads;
  private final CompletionService<Object> done;
  private final List<Future<?>> submitted = new ArrayList<>();
  private boolean awaited;

  private ConcurrentActions(SparkContext sc, String description) {
    this.sc = sc;
    this.description = description;
    this.group = "ohem-" + UUID.randomUUID();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "ohem-action-" + THREADS.incrementAndGet());
      t.setDaemon(true); // never keeps a failed driver alive
      return t;
    });
    this.done = new ExecutorCompletionService<>(threads);
  }

  /**
   * @param description the job group's description in Spark's UI (e.g. "ohem-mine")
   */
  public static ConcurrentActions on(SparkContext sc, String description) {
    return new ConcurrentActions(sc, description);
  }

  /**
   * Starts {@code action} (one or more Spark actions) on its own driver thread.
   *
   * @param what the action's jobs' description in Spark's UI, after the group's (e.g.
   *     "write images/")
   */
  @SuppressWarnings("unchecked")
  public <T> Future<T> submit(String what, Callable<T> action) {
    Future<T> f = (Future<T>) done.submit(() -> {
      sc.setJobGroup(group, description + ": " + what, false);
      try {
        return action.call();
      } finally {
        sc.clearJobGroup();
      }
    });
    submitted.add(f);
    return f;
  }

  /** {@link #submit} for an action with no result. */
  public Future<?> run(String what, ThrowingRunnable action) {
    return submit(what, () -> {
      action.run();
      return null;
    });
  }

  /** An action with no result that may throw. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * Waits for every submitted action to end.
   *
   * @throws Exception the first action's failure (in the order they failed), unwrapped, after
   *     the group's other jobs were cancelled and every action has ended
   */
  public void awaitAll() throws Exception {
    awaited = true;
    Throwable first = null;
    List<Throwable> later = new ArrayList<>();
    for (int i = 0; i < submitted.size(); i++) {
      Future<Object> f;
      try {
        f = done.take();
      } catch (InterruptedException e) {
        sc.cancelJobGroup(group);
        Thread.currentThread().interrupt();
        throw e;
      }
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause();
          sc.cancelJobGroup(group);
        } else {
          later.add(e.getCause());
        }
      }
    }
    if (first != null) {
      for (Throwable t : later) {
        first.addSuppressed(t);
      }
      throw Rethrow.unchecked(first);
    }
  }

  /**
   * Releases the threads. If {@link #awaitAll} was not called (the caller failed between two
   * submits), cancels the group's jobs and waits for the actions to end first.
   */
  @Override
  public void close() {
    if (!awaited) {
      sc.cancelJobGroup(group);
      for (Future<?> f : submitted) {
        try {
          f.get();
        } catch (ExecutionException e) {
          // cancelled, or failed: the caller's own failure is the one that matters
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    threads.shutdown();
  }
}
