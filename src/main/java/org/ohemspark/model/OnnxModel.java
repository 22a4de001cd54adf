package org.ohemspark.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An ONNX model loaded in ONNX Runtime (CPU), run on float32 tensors. A session may run
 * concurrently from many threads (ONNX Runtime allows it), so one per JVM serves every task of
 * an executor: {@link #shared}. Every {@link OnnxTensor} and {@link OrtSession.Result} made here
 * is closed before a call returns.
 */
public final class OnnxModel implements AutoCloseable {
  private static final Map<String, OnnxModel> SHARED = new ConcurrentHashMap<>();

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String name;

  /**
   * A tensor's declared type and shape.
   *
   * @param type ONNX Runtime's Java type name ({@code FLOAT}, {@code DOUBLE}, ...)
   * @param dims the shape; {@code -1} where the dimension is free (symbolic)
   */
  public record Tensor(String type, long[] dims) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(type.toLowerCase(java.util.Locale.ROOT)).append(" [");
      for (int i = 0; i < dims.length; i++) {
        sb.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "?" : Long.toString(dims[i]));
      }
      return sb.append(']').toString();
    }
  }

  /** The model's inputs and outputs by name, in the model's order. */
  public record Signature(Map<String, Tensor> inputs, Map<String, Tensor> outputs) {}

  private OnnxModel(byte[] bytes, int threads, String name) {
    this.name = name;
    try {
      env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        // idle intra-op threads do not spin: the loss kernel shares the executor's cores
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        session = env.createSession(bytes, o);
      }
    } catch (OrtException | RuntimeException e) {
      throw new ModelConfigException(name + ": not a model ONNX Runtime can load: "
          + e.getMessage(), e);
    }
  }

  /**
   * Loads a model for this caller alone (close it): the driver's check of the declaration.
   *
   * @param threads intra-op threads of the session (at least 1)
   * @param name the model's file, for messages
   * @throws ModelConfigException naming the model when ONNX Runtime cannot load it
   */
  public static OnnxModel open(byte[] bytes, int threads, String name) {
    return new OnnxModel(bytes, Math.max(1, threads), name);
  }

  /**
   * The one session of this JVM for the model whose SHA-256 is {@code hash}, with
   * {@code threads} intra-op threads, loaded from {@code bytes} on first use. Never closed: it
   * lives as long as the executor.
   *
   * @throws ModelConfigException as {@link #open}
   */
  public static OnnxModel shared(String hash, int threads, Supplier<byte[]> bytes,
      String name) {
    return SHARED.computeIfAbsent(hash + "/" + threads, k -> open(bytes.get(), threads, name));
  }

  /** SHA-256 of the model's bytes, in hex: its identity in {@link #shared}. */
  public static String hash(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }

  /** The model's file, as messages name it. */
  public String name() {
    return name;
  }

  /**
   * The declared inputs and outputs.
   *
   * @throws ModelConfigException when ONNX Runtime cannot report them
   */
  public Signature signature() {
    try {
      return new Signature(tensors(session.getInputInfo()), tensors(session.getOutputInfo()));
    } catch (OrtException e) {
      throw new ModelConfigException(name + ": cannot read its inputs and outputs: "
          + e.getMessage(), e);
    }
  }

  private static Map<String, Tensor> tensors(Map<String, NodeInfo> infos) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, NodeInfo> e : infos.entrySet()) {
      if (e.getValue().getInfo() instanceof TensorInfo t) {
        out.put(e.getKey(), new Tensor(t.type.name(), t.getShape()));
      } else {
        out.put(e.getKey(), new Tensor(e.getValue().getInfo().toString(), new long[0]));
      }
    }
    return out;
  }

  /**
   * An output as float32 values and its shape.
   *
   * @param values the tensor, row-major
   */
  public record Output(float[] values, long[] shape) {}

  /**
   * Runs the model on one float32 tensor.
   *
   * @param input the input's name
   * @param data the input tensor, row-major, of {@code shape}
   * @param output the output to fetch
   * @return the output's values (a float32 tensor)
   * @throws OrtException as ONNX Runtime reports a failed run (shape or type mismatch, ...)
   * @throws IllegalStateException if the output is missing or not a float32 tensor
   */
  public Output run(String input, float[] data, long[] shape, String output)
      throws OrtException {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
        OrtSession.Result r = session.run(Map.of(input, t), java.util.Set.of(output))) {
      Optional<OnnxValue> v = r.get(output);
      if (v.isEmpty() || !(v.get() instanceof OnnxTensor out)
          || out.getInfo().type != OnnxJavaType.FLOAT) {
        throw new IllegalStateException("output '" + output + "' is " + v.map(x -> x.getInfo()
            .toString()).orElse("missing") + "; expected a float32 tensor");
      }
      FloatBuffer b = out.getFloatBuffer();
      float[] values = new float[b.remaining()];
      b.get(values);
      return new Output(values, out.getInfo().getShape());
    }
  }

  /** Closes the session (not for {@link #shared} models). */
  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(name + ": cannot close the session: " + e.getMessage(), e);
    }
  }
}
