package org.ohemspark.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;

/**
 * A value of the pure-Java core that Spark's data serializer writes with Java serialization,
 * whatever the session's {@code spark.serializer}: for core classes that Kryo's default field
 * serializer cannot write (Java records, which the Kryo 4 bundled with Spark cannot build, or
 * state kept in transient fields behind a {@code writeObject}), so that the core needs no Kryo
 * import. The engine wraps them where they cross the serializer: an aggregation's partial
 * state ({@link org.ohemspark.core.LossHistogram}, written sparse by its own
 * {@code writeObject}) or a persisted element ({@link org.ohemspark.core.OhemOutcome}).
 *
 * <p>Under Kryo, {@link DefaultSerializer} names the serializer of this class without any
 * registration; each wrapped value costs the Java stream's header and class descriptors (a
 * few hundred bytes), so wrap values of which there are O(partitions) or O(images), not
 * O(pixels).
 *
 * @param <T> the wrapped value's class
 */
@DefaultSerializer(JavaSerializer.class)
public final class JavaSerialized<T extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;
  private final T value;

  private JavaSerialized(T value) {
    this.value = value;
  }

  /** {@code value} wrapped (not copied). */
  public static <T extends Serializable> JavaSerialized<T> of(T value) {
    return new JavaSerialized<>(value);
  }

  /** The wrapped value itself. */
  public T get() {
    return value;
  }
}
