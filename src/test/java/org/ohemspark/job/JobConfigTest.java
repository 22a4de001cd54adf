package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.ohemspark.io.DatasetDescriptor;

/** What {@link JobConfig#resolve} says about a bad value: the key, its real range, the value. */
class JobConfigTest {

  private static JobConfig resolve(Properties file, DatasetDescriptor dataset,
      String... flags) {
    Map<String, String> m = new HashMap<>();
    m.put("input", "in");
    for (int i = 0; i < flags.length; i += 2) {
      m.put(flags[i], flags[i + 1]);
    }
    return JobConfig.resolve(file, dataset, m);
  }

  private static String rejected(String key, String value) {
    Properties file = new Properties();
    file.setProperty(key, value);
    return assertThrows(IllegalArgumentException.class,
        () -> resolve(file, DatasetDescriptor.EMPTY)).getMessage();
  }

  @Test
  void integerKeysStateTheirRealRange() {
    assertEquals("factor must be an integer >= 0, got '3.5'", rejected("factor", "3.5"));
    assertEquals("factor must be an integer >= 0, got '-1'", rejected("factor", "-1"));
    assertEquals("factor must be an integer from 0 to 2147483647, got '99999999999'",
        rejected("factor", "99999999999"));
    assertEquals("partitions must be an integer >= 0, got '-1'", rejected("partitions", "-1"));
    assertEquals("partitions must be an integer >= 0, got 'four'",
        rejected("partitions", "four"));
    assertEquals("partition_bytes must be a size of at least 1 byte (bytes, or with a unit: "
        + "512k, 128m, 1g), got '0'", rejected("partition_bytes", "0"));
    assertEquals("partition_bytes must be a size of at least 1 byte (bytes, or with a unit: "
        + "512k, 128m, 1g), got '64 apples'", rejected("partition_bytes", "64 apples"));
    assertEquals(64L << 20, resolve(new Properties(), DatasetDescriptor.EMPTY)
        .partitionBytes(), "the default");
    assertEquals(3L << 30, resolve(new Properties(), DatasetDescriptor.EMPTY,
        "partition_bytes", "3g").partitionBytes());
    assertEquals(1000, resolve(new Properties(), DatasetDescriptor.EMPTY,
        "partition_bytes", "1000").partitionBytes(), "plain bytes");
    assertEquals("classes must be an integer >= 1, got '0'", rejected("classes", "0"));
    assertEquals("classes must be an integer >= 1, got '19.0'", rejected("classes", "19.0"));
    // any 32-bit label value may be the ignore index (PyTorch's default is -100)
    assertEquals("ignore_index must be an integer from -2147483648 to 2147483647, got '2.5'",
        rejected("ignore_index", "2.5"));
    assertEquals(-100, resolve(new Properties(), DatasetDescriptor.EMPTY, "ignore_index",
        "-100").params().ignoreIndex());
  }

  /** min_kept, factor 0, label_smoothing and align_corners: their ranges and their defaults. */
  @Test
  void theOptionsOfTheFieldStateTheirRealRange() {
    assertEquals("bad parameter: factor 0 drops the fraction of n_min and needs min_kept >= 1 "
        + "(n_min = min(n_valid, min_kept)); got factor 0 and min_kept 0",
        rejected("factor", "0"));
    assertEquals("min_kept must be an integer >= 0, got '-5'", rejected("min_kept", "-5"));
    assertEquals("bad parameter: label_smoothing must be in [0, 1], got 1.5",
        rejected("label_smoothing", "1.5"));
    assertEquals("label_smoothing must be a number, got 'lots'",
        rejected("label_smoothing", "lots"));
    assertEquals("align_corners must be true or false, got yes",
        rejected("align_corners", "yes"));
    JobConfig d = resolve(new Properties(), DatasetDescriptor.EMPTY);
    assertEquals(0, d.params().minKept());
    assertEquals(0.0, d.params().labelSmoothing());
    assertEquals(false, d.params().alignCorners());
    JobConfig c = resolve(new Properties(), DatasetDescriptor.EMPTY, "factor", "0",
        "min_kept", "100000", "label_smoothing", "0.1", "align_corners", "TRUE");
    assertEquals(0, c.params().factor());
    assertEquals(100000, c.params().minKept());
    assertEquals(0.1, c.params().labelSmoothing());
    assertEquals(true, c.params().alignCorners());
    // n_min with factor 0: min(n_valid, min_kept); with a factor: the larger, capped
    assertEquals(500, c.params().nMin(500));
    assertEquals(100000, c.params().nMin(2_000_000));
    assertEquals(125_000, c.params().withFactor(16).nMin(2_000_000));
    assertEquals(100000, c.params().withFactor(16).nMin(1_000_000));
  }

  @Test
  void datasetJsonIntegersStateTheirRealRange() {
    for (String[] c : new String[][] {
        {"{\"classes\": 3.5}", "classes must be an integer >= 1, got 3.5"},
        {"{\"classes\": 0}", "classes must be an integer >= 1, got 0"},
        {"{\"ignore_index\": 1e10}",
            "ignore_index must be an integer from -2147483648 to 2147483647, got 1.0E10"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DatasetDescriptor.parse("d/dataset.json", c[0].getBytes(
              StandardCharsets.UTF_8)));
      assertEquals("d/dataset.json: " + c[1], e.getMessage());
    }
  }

  /**
   * With the class count declared, class weights of another count are a bad parameter (exit 2)
   * naming where each value came from, before any image is read.
   */
  @Test
  void classWeightsOfAnotherCountThanTheDeclaredClassesAreABadParameter() {
    DatasetDescriptor five = DatasetDescriptor.parse("d/dataset.json",
        "{\"classes\": 5}".getBytes(StandardCharsets.UTF_8));
    assertEquals("bad parameter: class_weights has 3 entries (--class-weights) but classes = 5 "
        + "(dataset.json): give one weight per class, in class order",
        assertThrows(IllegalArgumentException.class, () -> resolve(new Properties(), five,
            "class_weights", "1,2,3")).getMessage());
    Properties file = new Properties();
    file.setProperty("class_weights", "1,2");
    assertEquals("bad parameter: class_weights has 2 entries (the configuration file) but "
        + "classes = 4 (--classes): give one weight per class, in class order",
        assertThrows(IllegalArgumentException.class, () -> resolve(file,
            DatasetDescriptor.EMPTY, "classes", "4")).getMessage());
    assertEquals(5, resolve(new Properties(), five, "class_weights", "1,2,3,4,5").classes());
  }

  @Test
  void outputFileSizeTakesBytesOrSparksUnits() {
    assertEquals(128L << 20, resolve(new Properties(), DatasetDescriptor.EMPTY)
        .outputFileBytes(), "default 128m");
    assertEquals(1600, resolve(new Properties(), DatasetDescriptor.EMPTY, "output_file_size",
        "1600").outputFileBytes());
    assertEquals(64L << 10, resolve(new Properties(), DatasetDescriptor.EMPTY,
        "output_file_size", " 64k ").outputFileBytes());
    assertEquals(1L << 30, resolve(new Properties(), DatasetDescriptor.EMPTY,
        "output_file_size", "1g").outputFileBytes());
    for (String bad : new String[] {"0", "-5", "1.5g", "big", ""}) {
      assertEquals("output_file_size must be a size of at least 1 byte (bytes, or with a unit: "
          + "512k, 128m, 1g), got '" + bad + "'", rejected("output_file_size", bad));
    }
  }
}
