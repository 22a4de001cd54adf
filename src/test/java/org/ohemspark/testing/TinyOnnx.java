package org.ohemspark.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tiny ONNX models written as protobuf bytes by hand (no ONNX library): one 1x1 convolution
 * {@code y[k] = sum_c W[k][c] x[c] + b[k]} from a float32 input {@code [N, 3, H, W]} to an
 * output {@code [N, K, H, W]}, optionally followed by a softmax over the channels (opset 13,
 * IR version 8). Field numbers are those of {@code onnx.proto} (ModelProto, GraphProto,
 * NodeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto).
 */
public final class TinyOnnx {
  private TinyOnnx() {}

  /**
   * @param inputDims the input's declared shape; null entries are free (symbolic) dimensions
   * @param outputDims the output's declared shape; null entries are free
   * @param weights {@code [K][3]}
   * @param bias {@code [K]}
   * @param softmax whether a Softmax(axis=1) follows the convolution (an output of
   *     probabilities)
   */
  public static byte[] conv1x1(String input, Long[] inputDims, String output,
      Long[] outputDims, float[][] weights, float[] bias, boolean softmax) {
    int k = weights.length;
    ByteBuffer w = ByteBuffer.allocate(k * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : weights) {
      for (float v : row) {
        w.putFloat(v);
      }
    }
    ByteBuffer b = ByteBuffer.allocate(k * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : bias) {
      b.putFloat(v);
    }
    Proto graph = new Proto();
    String convOut = softmax ? "conv" : output;
    graph.message(1, new Proto().string(1, input).string(1, "W").string(1, "B")
        .string(2, convOut).string(3, "conv1x1").string(4, "Conv"));
    if (softmax) {
      graph.message(1, new Proto().string(1, convOut).string(2, output).string(3, "softmax")
          .string(4, "Softmax")
          .message(5, new Proto().string(1, "axis").varint(3, 1).varint(20, 2)));
    }
    graph.string(2, "tiny");
    graph.message(5, tensor("W", new long[] {k, 3, 1, 1}, w.array()));
    graph.message(5, tensor("B", new long[] {k}, b.array()));
    graph.message(11, valueInfo(input, inputDims));
    graph.message(12, valueInfo(output, outputDims));
    Proto model = new Proto().varint(1, 8).string(2, "ohem-spark-test")
        .message(7, graph).message(8, new Proto().string(1, "").varint(2, 13));
    return model.bytes();
  }

  /** Writes {@code bytes} to {@code file}; returns the file. */
  public static Path write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Proto tensor(String name, long[] dims, byte[] raw) {
    Proto t = new Proto();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, 1).string(8, name).bytes(9, raw);
  }

  private static Proto valueInfo(String name, Long[] dims) {
    Proto shape = new Proto();
    for (int i = 0; i < dims.length; i++) {
      shape.message(1, dims[i] == null ? new Proto().string(2, "d" + i + "_" + name)
          : new Proto().varint(1, dims[i]));
    }
    Proto tensor = new Proto().varint(1, 1).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
  }

  /** A protobuf message being written: fields in the order given. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long v) {
      tag(field, 0);
      raw(v);
      return this;
    }

    Proto string(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Proto bytes(int field, byte[] b) {
      tag(field, 2);
      raw(b.length);
      out.writeBytes(b);
      return this;
    }

    Proto message(int field, Proto m) {
      return bytes(field, m.bytes());
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void tag(int field, int wire) {
      raw(((long) field << 3) | wire);
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
