package org.ohemspark.testing;

import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.ohemspark.mining.OhemKryoRegistrator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** Spark's data serializers the round-trip tests put objects through, without a session. */
public final class Serializers {
  private Serializers() {}

  /** Java; Kryo with nothing registered; Kryo requiring registration, with our registrator. */
  public static Stream<Serializer> all() {
    SparkConf required = new SparkConf().set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", OhemKryoRegistrator.class.getName());
    return Stream.of(new JavaSerializer(new SparkConf()), new KryoSerializer(new SparkConf()),
        new KryoSerializer(required));
  }

  /** {@code value} serialized and read back by {@code s}. */
  @SuppressWarnings("unchecked")
  public static <T> T roundTrip(Serializer s, T value) {
    ClassTag<Object> tag = ClassTag$.MODULE$.Any();
    return (T) s.newInstance().deserialize(s.newInstance().serialize(value, tag), tag);
  }
}
