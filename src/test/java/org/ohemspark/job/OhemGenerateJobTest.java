package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ohemspark.core.CrossEntropyKernel;
import org.ohemspark.core.ImageLosses;
import org.ohemspark.core.OhemParams;
import org.ohemspark.core.SyntheticImage;
import org.ohemspark.io.LabelDecoder;
import org.ohemspark.io.NpyArray;
import org.ohemspark.source.SyntheticImages;
import org.ohemspark.testing.JobOutputs;
import org.ohemspark.testing.SparkTestSession;

/** {@code ohem-generate} in-process: layout, determinism, exit codes, and mining its output. */
class OhemGenerateJobTest {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkTestSession.create("generate");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JobRun generate(String... args) {
    return JobRun.of(OhemGenerateJob::run, spark, args);
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }

  @Test
  void writesTheLayoutDeterministicallyWhateverThePartitioning() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    String[] common = {"--images", "3", "--height", "48", "--width", "40", "--classes", "5",
        "--dtype", "float16", "--downsample", "2", "--labels", "png", "--seed", "9"};
    JobRun ra = generate(concat(common, "--output", a.toString(), "--partitions", "1"));
    assertEquals(ExitCode.OK, ra.code(), ra.err());
    assertTrue(ra.out().contains("generated 3 images"), ra.out());
    JobRun rb = generate(concat(common, "--output", b.toString(), "--partitions", "3"));
    assertEquals(ExitCode.OK, rb.code(), rb.err());
    List<Path> fa = files(a);
    assertEquals(List.of(Path.of("dataset.json"), Path.of("labels/img_000000.png"),
        Path.of("labels/img_000001.png"), Path.of("labels/img_000002.png"),
        Path.of("logits/img_000000.npy"), Path.of("logits/img_000001.npy"),
        Path.of("logits/img_000002.npy")), fa.stream().filter(p -> !p.toString()
            .endsWith(".crc") && !p.getFileName().toString().startsWith(".")).toList());
    for (Path p : fa) {
      assertArrayEquals(Files.readAllBytes(a.resolve(p)), Files.readAllBytes(b.resolve(p)),
          p.toString());
    }
    JsonNode d = new ObjectMapper().readTree(a.resolve("dataset.json").toFile());
    assertEquals(5, d.get("classes").asInt());
    assertEquals(255, d.get("ignore_index").asInt());
    assertEquals("train_ids", d.get("label_convention").asText());
    // the files hold exactly the generated image
    SyntheticImage img = SyntheticImage.generate(new SyntheticImage.Spec(5, 48, 40, 2,
        SyntheticImage.Spec.DEFAULT_MARGIN, 9), 1);
    NpyArray logits = NpyArray.parse("l", Files.readAllBytes(a.resolve("logits/img_000001.npy")));
    assertEquals("<f2", logits.descr());
    assertArrayEquals(new long[] {5, 24, 20}, logits.shape());
    assertArrayEquals(img.labels(), LabelDecoder.decode("x.png", "x",
        Files.readAllBytes(a.resolve("labels/img_000001.png"))).values());
  }

  @Test
  void parquetShardsMineLikeTheNpyFilesOfTheSameFlags() throws IOException {
    String[] common = {"--images", "5", "--height", "32", "--width", "40", "--classes", "4",
        "--dtype", "float16", "--downsample", "2", "--seed", "3"};
    Path npy = tmp.resolve("npy");
    Path pq = tmp.resolve("pq");
    assertEquals(ExitCode.OK, generate(concat(common, "--output", npy.toString())).code());
    JobRun g = generate(concat(common, "--output", pq.toString(), "--format", "parquet"));
    assertEquals(ExitCode.OK, g.code(), g.err());
    assertTrue(g.out().contains("generated 5 images"), g.out());
    assertTrue(files(pq).stream().anyMatch(p -> p.toString().endsWith(".parquet")),
        files(pq).toString());
    JsonNode d = new ObjectMapper().readTree(pq.resolve("_dataset.json").toFile());
    assertEquals(4, d.get("classes").asInt());
    assertEquals("parquet", d.get("generator").get("format").asText());

    Path outNpy = tmp.resolve("out-npy");
    Path outPq = tmp.resolve("out-pq");
    JobRun m1 = JobRun.of(OhemMineJob::run, spark, "--input", npy.toString(), "--output",
        outNpy.toString());
    assertEquals(ExitCode.OK, m1.code(), m1.err());
    JobRun m2 = JobRun.of(OhemMineJob::run, spark, "--input", pq.toString(), "--output",
        outPq.toString());
    assertEquals(ExitCode.OK, m2.code(), m2.err());
    JsonNode s = JobOutputs.summary(outPq);
    assertEquals(5, s.get("n_images").asInt());
    assertEquals(5L * 32 * 40, s.get("n_valid").asLong() + ignored(npy));
    assertEquals(JobOutputs.figures(JobOutputs.summary(outNpy)), JobOutputs.figures(s));
    assertEquals(JobOutputs.hardRows(spark, outNpy), JobOutputs.hardRows(spark, outPq));
  }

  /** Ignored (255) pixels of the npy dataset's label files. */
  private static long ignored(Path npy) throws IOException {
    long n = 0;
    for (int i = 0; i < 5; i++) {
      byte[] b = Files.readAllBytes(npy.resolve("labels/" + SyntheticImages.imageId(i) + ".npy"));
      for (int v : NpyArray.parse("l", b).asLabels("l", new int[2])) {
        n += v == 255 ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void badFlagsAndAnExistingOutputExitWith2() throws IOException {
    Path o = tmp.resolve("o");
    assertEquals(ExitCode.BAD_ARGUMENTS, generate("--output", o.toString(), "--images", "1")
        .code(), "no --classes");
    JobRun tiff = generate("--output", o.toString(), "--images", "1", "--classes", "3",
        "--format", "tiff");
    assertEquals(ExitCode.BAD_ARGUMENTS, tiff.code());
    assertTrue(tiff.err().contains("--format must be npy or parquet, got tiff"), tiff.err());
    assertEquals(ExitCode.BAD_ARGUMENTS, generate("--output", o.toString(), "--images", "1",
        "--classes", "3", "--dtype", "float64").code());
    assertEquals(ExitCode.OK, generate("--output", o.toString(), "--images", "1", "--classes",
        "3", "--height", "8", "--width", "8").code());
    JobRun again = generate("--output", o.toString(), "--images", "1", "--classes", "3");
    assertEquals(ExitCode.BAD_ARGUMENTS, again.code());
    assertTrue(again.err().contains("--overwrite"), again.err());
    assertEquals(ExitCode.OK, generate("--output", o.toString(), "--images", "2", "--classes",
        "3", "--height", "8", "--width", "8", "--overwrite").code());
  }

  @Test
  void generatedDatasetIsMinedAsTheKernelComputesIt() throws IOException {
    Path data = tmp.resolve("data");
    assertEquals(ExitCode.OK, generate("--output", data.toString(), "--images", "2",
        "--height", "64", "--width", "64", "--classes", "19").code());
    long nValid = 0;
    long nHard = 0;
    CrossEntropyKernel k = new CrossEntropyKernel(OhemParams.DEFAULTS);
    for (int i = 0; i < 2; i++) {
      String id = SyntheticImages.imageId(i);
      var logits = NpyArray.parse(id, Files.readAllBytes(data.resolve("logits/" + id + ".npy")))
          .asLogits(id);
      int[] dims = new int[2];
      int[] labels = NpyArray.parse(id, Files.readAllBytes(data.resolve("labels/" + id
          + ".npy"))).asLabels(id, dims);
      ImageLosses l = k.compute(id, logits, labels, dims[0], dims[1]);
      nValid += l.nValid();
      nHard += l.nHard();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path out = tmp.resolve("out");
    int code = OhemMineJob.run(new String[] {"--input", data.toString(), "--output",
        out.toString()}, spark, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(ExitCode.OK, code, err.toString(StandardCharsets.UTF_8));
    JsonNode s = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(nValid, s.get("n_valid").asLong());
    assertEquals(nHard, s.get("n_hard").asLong());
    assertEquals(19, s.get("params").get("classes").asInt(), "dataset.json is read");
  }

  @Test
  void badLabelsMakeTheFirstImagesBadRecords() throws IOException {
    Path data = tmp.resolve("bad");
    JobRun g = generate("--output", data.toString(), "--images", "6", "--height", "8",
        "--width", "8", "--classes", "3", "--labels", "png", "--bad-labels", "2");
    assertEquals(ExitCode.OK, g.code(), g.err());
    assertEquals(2, new ObjectMapper().readTree(data.resolve("dataset.json").toFile())
        .get("generator").get("bad_labels").asInt());
    Path out = tmp.resolve("out");
    JobRun m = JobRun.of(OhemMineJob::run, spark, "--input", data.toString(), "--output",
        out.toString(), "--mode", "PERMISSIVE");
    assertEquals(ExitCode.OK, m.code(), m.err());
    JsonNode s = JobOutputs.summary(out);
    assertEquals(4, s.get("n_images").asInt());
    assertEquals(2, s.get("n_bad_records").asInt());
    List<String> ids = spark.read().parquet(out.resolve("quarantine").toString())
        .select("image_id").orderBy("image_id").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    assertEquals(List.of("img_000000", "img_000001"), ids);
    assertTrue(spark.read().parquet(out.resolve("quarantine").toString()).first().getString(2)
        .contains("label 3"), "the reason names the label");

    assertEquals(ExitCode.BAD_ARGUMENTS, generate("--output", tmp.resolve("b2").toString(),
        "--images", "2", "--classes", "3", "--bad-labels", "3").code(), "more than images");
    assertEquals(ExitCode.BAD_ARGUMENTS, generate("--output", tmp.resolve("b3").toString(),
        "--images", "2", "--classes", "255", "--bad-labels", "1").code(), "no label is bad");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
