package org.ohemspark.testing;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession tests share: {@code local[2]} on loopback, no UI, two shuffle partitions.
 * One per test class: create it in {@code @BeforeAll} and {@link SparkSession#stop()} it in
 * {@code @AfterAll} (Surefire reuses one JVM, and {@code getOrCreate} would hand back a session
 * with another class's settings).
 */
public final class SparkTestSession {
  private SparkTestSession() {}

  public static SparkSession create(String name) {
    return create(name, Map.of());
  }

  /** The same session with {@code conf} added (e.g. another {@code spark.serializer}). */
  public static SparkSession create(String name, Map<String, String> conf) {
    SparkSession.Builder b = SparkSession.builder()
        .master("local[2]")
        .appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2");
    conf.forEach(b::config);
    return b.getOrCreate();
  }
}
