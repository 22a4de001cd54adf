package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.ohemspark.io.DatasetDescriptor;

/** The note the job prints when dataset.json overrides a configuration file's key. */
class JobConfigNotesTest {
  private static final DatasetDescriptor DATASET = DatasetDescriptor.parse("dataset.json",
      "{\"classes\": 5, \"ignore_index\": 255, \"label_convention\": \"palette_index\"}"
          .getBytes(StandardCharsets.UTF_8));

  private static Properties file(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void aChangedKeyThatTheDatasetOverridesIsNamed() {
    assertEquals(List.of("dataset.json sets ignore_index=255; the configuration file's "
        + "ignore_index=0 is not used (a flag would override both)"),
        JobConfig.overriddenByDataset(file("ignore_index", "0"), DATASET, Map.of()));
    assertEquals(2, JobConfig.overriddenByDataset(file("classes", "19", "label_convention",
        "void=11"), DATASET, Map.of()).size());
  }

  @Test
  void shippedDefaultsEqualValuesAndFlagsGiveNoNote() {
    // the shipped conf file repeats the built-in defaults: no note on every run
    assertEquals(List.of(), JobConfig.overriddenByDataset(file("ignore_index", "255",
        "label_convention", "train_ids", "classes", ""), DATASET, Map.of()));
    assertEquals(List.of(), JobConfig.overriddenByDataset(file("classes", "5"), DATASET,
        Map.of()));
    assertEquals(List.of(), JobConfig.overriddenByDataset(file("ignore_index", "0"), DATASET,
        Map.of("ignore_index", "7")));
  }

  /** Beside Parquet shards the descriptor is _dataset.json: the note names that file. */
  @Test
  void theNoteNamesTheDescriptorFileItCameFrom() {
    DatasetDescriptor shards = DatasetDescriptor.parse("file:/data/shards/_dataset.json",
        "{\"ignore_index\": 255}".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("_dataset.json sets ignore_index=255; the configuration file's "
        + "ignore_index=0 is not used (a flag would override both)"),
        JobConfig.overriddenByDataset(file("ignore_index", "0"), shards, Map.of()));
  }
}
