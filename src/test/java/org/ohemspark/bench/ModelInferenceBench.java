package org.ohemspark.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ohemspark.core.ImageLossComputer;
import org.ohemspark.core.ImageRecord;
import org.ohemspark.core.LabelConvention;
import org.ohemspark.core.Logits;
import org.ohemspark.core.OhemParams;
import org.ohemspark.io.ImageDecoder;
import org.ohemspark.io.LabelDecoder;
import org.ohemspark.io.NpyArray;
import org.ohemspark.model.ModelCheck;
import org.ohemspark.model.ModelRunner;
import org.ohemspark.model.ModelSpec;
import org.ohemspark.model.OnnxModel;

/**
 * Images per second per core for a model's part of {@code ohem-mine --model} against the loss
 * pass alone, on one thread (ONNX Runtime with one intra-op thread runs in the calling
 * thread), timed by that thread's CPU time so that other load on the machine does not count.
 * A benchmark, not a test: run by {@code jobs/bench-model.sh}.
 *
 * <p>Per image, the model's part is: decode the PNG ({@link ImageDecoder}), preprocess and run
 * the model ({@link ModelRunner}); the loss pass is {@link ImageLossComputer#compute} on the
 * folder's stored float16 logits (the kernel, as in every run).
 *
 * <p>Arguments: the PAN folder ({@code ../shared/data/real/pan_skin_clothes_hair}), rounds
 * (default 10; each round runs every image once; the first round is a warm-up, not counted).
 */
public final class ModelInferenceBench {
  private ModelInferenceBench() {}

  static final String PAN_JSON = "{\"input\": \"x.1\", \"input_size\": [512, 512], "
      + "\"scale\": \"1/255\", \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225],"
      + " \"output\": \"logits\", \"output_kind\": \"logits\", \"classes\": 4}";

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args.length > 0 ? args[0] : "../shared/data/real/pan_skin_clothes_hair");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<String> ids = List.of("000335", "000340");
    List<byte[]> images = new ArrayList<>();
    List<ImageRecord> stored = new ArrayList<>();
    for (String id : ids) {
      images.add(Files.readAllBytes(dir.resolve("images/" + id + ".png")));
      Path npy = dir.resolve("logits/" + id + ".npy");
      Logits l = NpyArray.parse(npy.toString(), Files.readAllBytes(npy)).asLogits(id);
      Path lab = dir.resolve("labels/" + id + ".png");
      LabelDecoder.Mask m = LabelDecoder.decode(lab.toString(), id, Files.readAllBytes(lab));
      stored.add(new ImageRecord(id, npy.toString(), l, m.height(), m.width(), m.values()));
    }
    byte[] model = Files.readAllBytes(dir.resolve("model_logits.onnx"));
    try (OnnxModel m = OnnxModel.open(model, 1, "model_logits.onnx")) {
      ModelSpec spec = ModelCheck.resolve(ModelSpec.parse("pan.json", PAN_JSON.getBytes(),
          Map.of()), m.signature(), "model_logits.onnx", 1);
      ModelRunner runner = new ModelRunner(m, spec);
      ImageLossComputer losses = new ImageLossComputer(OhemParams.DEFAULTS,
          LabelConvention.PALETTE_INDEX, 4);
      long[] decode = new long[1];
      long[] infer = new long[1];
      long[] loss = new long[1];
      int counted = 0;
      double sink = 0;
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < ids.size(); i++) {
          long t0 = mx.getCurrentThreadCpuTime();
          ImageDecoder.RgbImage img = ImageDecoder.decode(ids.get(i), ids.get(i),
              images.get(i));
          long t1 = mx.getCurrentThreadCpuTime();
          Logits l = runner.run(List.of(img)).get(0);
          long t2 = mx.getCurrentThreadCpuTime();
          sink += losses.compute(stored.get(i)).nValid();
          long t3 = mx.getCurrentThreadCpuTime();
          sink += l.channels();
          if (r > 0) {
            decode[0] += t1 - t0;
            infer[0] += t2 - t1;
            loss[0] += t3 - t2;
            counted++;
          }
        }
      }
      System.out.printf(Locale.ROOT, "PAN 512x512, %d images timed (one thread, CPU time):%n",
          counted);
      System.out.printf(Locale.ROOT, "  decode PNG             %7.1f ms/image  %6.2f images/s%n",
          decode[0] / 1e6 / counted, counted / (decode[0] / 1e9));
      System.out.printf(Locale.ROOT, "  preprocess + model     %7.1f ms/image  %6.2f images/s%n",
          infer[0] / 1e6 / counted, counted / (infer[0] / 1e9));
      System.out.printf(Locale.ROOT, "  loss pass (kernel)     %7.1f ms/image  %6.2f images/s%n",
          loss[0] / 1e6 / counted, counted / (loss[0] / 1e9));
      long all = decode[0] + infer[0] + loss[0];
      System.out.printf(Locale.ROOT, "  --model, all three     %7.1f ms/image  %6.2f images/s "
          + "per core%n", all / 1e6 / counted, counted / (all / 1e9));
      System.out.println("(checksum " + sink + ")");
    }
  }
}
