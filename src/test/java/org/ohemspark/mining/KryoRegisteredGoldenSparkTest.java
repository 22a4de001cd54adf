package org.ohemspark.mining;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.SparkSession;
import org.ohemspark.testing.SparkTestSession;

/**
 * {@link KryoGoldenSparkTest}'s runs in a session that requires every class Kryo writes to be
 * registered ({@code spark.kryo.registrationRequired=true}), with {@link OhemKryoRegistrator}.
 */
class KryoRegisteredGoldenSparkTest extends KryoGoldenSparkTest {

  @Override
  SparkSession newSession() {
    SparkSession s = SparkTestSession.create("golden-kryo-registered", Map.of(
        "spark.serializer", KryoSerializer.class.getName(),
        "spark.kryo.registrationRequired", "true",
        "spark.kryo.registrator", OhemKryoRegistrator.class.getName(),
        OhemMiner.CACHE_LEVEL_KEY, "DISK_ONLY"));
    assertInstanceOf(KryoSerializer.class, SparkEnv.get().serializer(),
        "a new SparkContext, not one left running with another serializer");
    return s;
  }
}
