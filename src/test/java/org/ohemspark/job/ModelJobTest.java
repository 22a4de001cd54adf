package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.Float16;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.ModelDatasets;
import org.ohemspark.testing.SparkTestSession;
import org.ohemspark.testing.TinyOnnx;

/**
 * {@code ohem-mine --model}: a hand-built ONNX model on an image directory gives exactly the
 * figures, images and hard pixels of the same dataset with its logits stored (computed by
 * independent arithmetic), in batches or not; {@code --save-logits} writes those logits; bad
 * images are bad records naming the file; a model that does not fit its declaration is a
 * configuration error (exit 2).
 */
class ModelJobTest {
  private static SparkSession spark;

  @TempDir
  static Path tmp;

  private static Path images;
  private static Path stored;
  private static Path model;
  private static Path storedOut;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkTestSession.create("model-job");
    images = tmp.resolve("images-dir");
    stored = tmp.resolve("stored-dir");
    ModelDatasets.write(images, stored);
    model = TinyOnnx.write(tmp.resolve("tiny.onnx"), ModelDatasets.model());
    Files.writeString(tmp.resolve("tiny.json"), ModelDatasets.MODEL_JSON);
    storedOut = tmp.resolve("out-stored");
    JobRun r = run("--input", stored.toString(), "--output", storedOut.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JobRun run(String... args) {
    return JobRun.of(OhemMineJob::run, spark, args);
  }

  private static void assertSameOutputs(Path expected, Path actual) throws IOException {
    assertEquals(JobOutputs.figures(JobOutputs.summary(expected)),
        JobOutputs.figures(JobOutputs.summary(actual)));
    assertEquals(JobOutputs.imageRows(spark, expected), JobOutputs.imageRows(spark, actual));
    assertEquals(JobOutputs.hardRows(spark, expected), JobOutputs.hardRows(spark, actual));
  }

  @Test
  void theModelsLogitsMineExactlyAsStoredOnes() throws IOException {
    for (String batch : new String[] {"1", "2", "3"}) {
      Path out = tmp.resolve("out-model-" + batch);
      JobRun r = run("--input", images.toString(), "--output", out.toString(), "--model",
          model.toString(), "--model-batch", batch, "--partitions", "1");
      assertEquals(ExitCode.OK, r.code(), r.err());
      assertSameOutputs(storedOut, out);
      assertEquals(4, JobOutputs.summary(out).get("params").get("classes").asInt());
    }
  }

  @Test
  void theSummaryNamesTheModel() throws Exception {
    Path out = tmp.resolve("out-model-named");
    JobRun r = run("--input", images.toString(), "--output", out.toString(), "--model",
        model.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest
        .getInstance("SHA-256").digest(Files.readAllBytes(model)));
    assertEquals(64, sha.length());
    JsonNode m = JobOutputs.summary(out).get("model");
    assertEquals("{\"path\":\"" + model + "\",\"sha256\":\"" + sha + "\",\"input\":\"image\","
        + "\"output\":\"scores\",\"classes\":4}", m.toString());
    // fields in order: after input, before outputs
    List<String> fields = new java.util.ArrayList<>();
    JobOutputs.summary(out).fieldNames().forEachRemaining(fields::add);
    assertEquals(fields.indexOf("input") + 1, fields.indexOf("model"), fields.toString());
    assertTrue(fields.indexOf("model") < fields.indexOf("outputs"), fields.toString());
    // no model, no field
    assertTrue(JobOutputs.summary(storedOut).get("model") == null,
        JobOutputs.summary(storedOut).toString());
  }

  @Test
  void modelParamsDeclareTheModelWithoutAFile() throws IOException {
    Path bare = TinyOnnx.write(Files.createDirectories(tmp.resolve("bare")).resolve("m.onnx"),
        ModelDatasets.model());
    Path out = tmp.resolve("out-params");
    JobRun r = run("--input", images.toString(), "--output", out.toString(), "--model",
        bare.toString(), "--model-param", "scale=1/255", "--model-param",
        "mean=[0.485,0.456,0.406]", "--model-param", "std=[0.229,0.224,0.225]",
        "--model-param", "output_kind=logits", "--model-param", "input_size=none",
        "--model-param", "resize=none");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertSameOutputs(storedOut, out);
  }

  @Test
  void imageShardsMineAsTheDirectoryDoes() throws IOException {
    Path shards = ModelDatasets.toShards(spark, images, tmp.resolve("image-shards"));
    Path out = tmp.resolve("out-shards");
    JobRun r = run("--input", shards.toString(), "--output", out.toString(), "--model",
        model.toString(), "--model-batch", "2");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertSameOutputs(storedOut, out);
    // report.html: the shards' image column gives the same pictures as the directory's
    // images/ (the stored-logits folder has none: its label masks stand in)
    Path dirOut = tmp.resolve("out-dir-report");
    r = run("--input", images.toString(), "--output", dirOut.toString(), "--model",
        model.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    String fromShards = Files.readString(out.resolve("report.html"));
    String fromDir = Files.readString(dirOut.resolve("report.html"));
    assertEquals(3, count(fromShards, "<figcaption>picture, kept pixels</figcaption>"));
    assertEquals(pictures(fromDir), pictures(fromShards));
    assertEquals(3, count(Files.readString(storedOut.resolve("report.html")),
        "<figcaption>labels (no picture), kept pixels</figcaption>"));
  }

  private static int count(String s, String part) {
    return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  /** The data: URIs of a report's pictures, in order. */
  private static List<String> pictures(String html) {
    List<String> out = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("src=\"(data:image/png;base64,"
        + "[^\"]+)\"").matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    assertEquals(9, out.size());
    return out;
  }

  @Test
  void savedLogitsAreTheInferredOnesAndRerunTheSame() throws IOException {
    Path saved = tmp.resolve("saved32");
    Path out = tmp.resolve("out-save32");
    JobRun r = run("--input", images.toString(), "--output", out.toString(), "--model",
        model.toString(), "--save-logits", saved.toString());
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertSameOutputs(storedOut, out);
    Path rerun = tmp.resolve("out-rerun32");
    assertEquals(ExitCode.OK, run("--input", saved.toString(), "--output", rerun.toString())
        .code());
    assertSameOutputs(storedOut, rerun);
    assertEquals("train_ids", JobOutputs.summary(rerun).get("params").get("label_convention")
        .asText());

    Path saved16 = tmp.resolve("saved16");
    r = run("--input", images.toString(), "--output", tmp.resolve("out-save16").toString(),
        "--model", model.toString(), "--save-logits", saved16.toString(),
        "--save-logits-dtype", "float16");
    assertEquals(ExitCode.OK, r.code(), r.err());
    Row a = spark.read().parquet(saved16.toString()).filter("image_id = 'a'").first();
    assertEquals("float16", a.getAs("logits_dtype"));
    byte[] bytes = a.getAs("logits");
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder
        .LITTLE_ENDIAN);
    // pixel 0 of image a: r = 0, g = 100, b = 255; channel 1 is 2 x0 + 0.5
    float[] l = ModelDatasets.logits(0, 100, 255);
    assertEquals(Float16.fromFloat(l[0]), b.getShort(0));
    assertEquals(Float16.fromFloat(l[1]), b.getShort(2 * 48));
  }

  @Test
  void aBadImageIsABadRecordNamingTheFile() throws IOException {
    Path dir = tmp.resolve("with-bad");
    ModelDatasets.write(dir, tmp.resolve("with-bad-stored"));
    Files.writeString(dir.resolve("images/b.png"), "not a png");
    JobRun failFast = run("--input", dir.toString(), "--output", tmp.resolve("o1").toString(),
        "--model", model.toString());
    assertEquals(ExitCode.BAD_INPUT, failFast.code(), failFast.err());
    assertTrue(failFast.err().contains("image_id='b' source=file:" + dir.resolve("images/b.png")
        + ": not a readable image (expected PNG or JPEG, 9 bytes)"), failFast.err());
    Path out = tmp.resolve("o2");
    JobRun permissive = run("--input", dir.toString(), "--output", out.toString(), "--model",
        model.toString(), "--mode", "PERMISSIVE", "--model-batch", "2");
    assertEquals(ExitCode.OK, permissive.code(), permissive.err());
    List<Row> q = spark.read().parquet(out.resolve("quarantine").toString()).collectAsList();
    assertEquals(1, q.size());
    assertEquals("b", q.get(0).getString(0));
    assertEquals("file:" + dir.resolve("images/b.png"), q.get(0).getString(1));
    JsonNode s = JobOutputs.summary(out);
    assertEquals(2, s.get("n_images").asInt());
    assertEquals(1, s.get("n_bad_records").asInt());
  }

  @Test
  void aModelThatDoesNotFitItsDeclarationIsAConfigurationError() throws IOException {
    JobRun classes = run("--input", images.toString(), "--output", tmp.resolve("e1").toString(),
        "--model", model.toString(), "--model-param", "classes=5");
    assertEquals(ExitCode.BAD_ARGUMENTS, classes.code());
    assertEquals("ohem-mine: " + model + ": output 'scores' is float [?, 4, ?, ?]: 4 classes, "
        + "but classes is 5 (declared in file:" + tmp.resolve("tiny.json") + " and "
        + "--model-param)\n", classes.err());
    JobRun input = run("--input", images.toString(), "--output", tmp.resolve("e2").toString(),
        "--model", model.toString(), "--model-param", "input=x.1");
    assertEquals(ExitCode.BAD_ARGUMENTS, input.code());
    assertTrue(input.err().contains("no input named 'x.1'; the model's inputs: {image=float "
        + "[?, 3, ?, ?]}"), input.err());
    Path fixed = TinyOnnx.write(tmp.resolve("fixed.onnx"), TinyOnnx.conv1x1("image",
        new Long[] {1L, 3L, 6L, 8L}, "scores", new Long[] {1L, 4L, 6L, 8L},
        ModelDatasets.WEIGHTS, ModelDatasets.BIAS, false));
    JobRun batch = run("--input", images.toString(), "--output", tmp.resolve("e3").toString(),
        "--model", fixed.toString(), "--model-json", tmp.resolve("tiny.json").toString(),
        "--model-batch", "2");
    assertEquals(ExitCode.BAD_ARGUMENTS, batch.code());
    assertTrue(batch.err().contains("its batch dimension is fixed at 1, so --model-batch must "
        + "be 1 (got 2)"), batch.err());
    JobRun none = run("--input", images.toString(), "--output", tmp.resolve("e4").toString(),
        "--model", model.toString(), "--model-json", tmp.resolve("missing.json").toString());
    assertEquals(ExitCode.BAD_ARGUMENTS, none.code());
    assertTrue(none.err().contains("cannot read the model's declaration"), none.err());
    JobRun noModel = run("--input", images.toString(), "--output", tmp.resolve("e5")
        .toString(), "--model-batch", "2");
    assertEquals(ExitCode.BAD_ARGUMENTS, noModel.code());
    assertTrue(noModel.err().contains("model_batch is set but no model is given"),
        noModel.err());
    JobRun logitsDir = run("--input", stored.toString(), "--output",
        tmp.resolve("e6").toString(), "--model", model.toString());
    assertEquals(ExitCode.BAD_ARGUMENTS, logitsDir.code());
    assertTrue(logitsDir.err().contains("--model reads an image directory (images/<id>.png|jpg"
        + " and labels/<id>.png|npy), Parquet image shards (an image column) or WebDataset "
        + "tars of images (<key>.jpg|png and a label member); " + stored + " is none of these"),
        logitsDir.err());
    JobRun logitShards = run("--input", storedOut.resolve("images").toString(), "--output",
        tmp.resolve("e7").toString(), "--model", model.toString());
    assertEquals(ExitCode.BAD_INPUT, logitShards.code());
    assertTrue(logitShards.err().contains("not an image shard: no column 'image'"),
        logitShards.err());
  }

  @Test
  void anImageOfAnotherSizeWithoutResizeIsABadRecord() throws IOException {
    Path sized = tmp.resolve("sized.json");
    Files.writeString(sized, ModelDatasets.MODEL_JSON.replace("\"input_size\": \"none\"",
        "\"input_size\": [6, 8]"));
    Path out = tmp.resolve("o-sized");
    JobRun r = run("--input", images.toString(), "--output", out.toString(), "--model",
        model.toString(), "--model-json", sized.toString(), "--mode", "DROPMALFORMED");
    assertEquals(ExitCode.OK, r.code(), r.err());
    assertTrue(r.err().contains("image_id='c' source=file:" + images.resolve("images/c.png")
        + ": image is 5x7 but the model input is 6x8 and resize is none"), r.err());
  }
}
