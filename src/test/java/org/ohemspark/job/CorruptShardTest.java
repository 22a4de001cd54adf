package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.testing.SparkTestSession;

/** A truncated Parquet shard is bad input (exit 3) naming the file, not a crash (exit 1). */
class CorruptShardTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("corrupt-shard");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void truncatedShardIsBadInput() throws IOException {
    Path shards = tmp.resolve("shards");
    JobRun ingest = JobRun.of(OhemIngestJob::run, spark, "--input", "samples/tiny", "--output",
        shards.toString());
    assertEquals(ExitCode.OK, ingest.code(), ingest.err());
    Path victim;
    try (Stream<Path> s = Files.list(shards)) {
      victim = s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    }
    byte[] b = Files.readAllBytes(victim);
    Files.write(victim, Arrays.copyOf(b, b.length / 2));
    Path out = tmp.resolve("out");
    JobRun r = JobRun.of(OhemMineJob::run, spark, "--input", shards.toString(), "--output",
        out.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains(victim.getFileName().toString()), r.err());
    assertFalse(Files.exists(out));
  }
}
