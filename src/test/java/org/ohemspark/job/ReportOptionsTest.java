package org.ohemspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The report's keys: defaults, the configuration file, flags over it, bad values named. */
class ReportOptionsTest {

  @Test
  void defaultsFileAndFlagsResolveInThatOrder() {
    Properties file = new Properties();
    Map<String, String> flags = new HashMap<>();
    assertEquals(new ReportOptions(true, 24), ReportOptions.resolve(file, flags));
    file.setProperty("report", "false");
    file.setProperty("report_images", "5");
    assertEquals(new ReportOptions(false, 5), ReportOptions.resolve(file, flags));
    flags.put("report_images", "0");
    assertEquals(new ReportOptions(false, 0), ReportOptions.resolve(file, flags));
    file.setProperty("report", "true");
    flags.put("report", "false"); // --no-report
    assertEquals(new ReportOptions(false, 0), ReportOptions.resolve(file, flags));
  }

  @Test
  void badValuesAreNamed() {
    Properties file = new Properties();
    file.setProperty("report", "yes");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ReportOptions.resolve(file,
        Map.of())).getMessage().contains("report must be true or false, got 'yes'"));
    Map<String, String> flags = Map.of("report_images", "-1");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ReportOptions.resolve(
        new Properties(), flags)).getMessage().contains("report_images must be an integer >= 0,"
        + " got '-1'"));
  }

  @Test
  void theKeysAreKnownToTheConfigurationFile() {
    assertTrue(JobConfig.KEYS.containsAll(ReportOptions.KEYS));
  }
}
