package org.ohemspark.job;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of the mining report ({@code report.html}), resolved like the other keys
 * ({@link JobConfig}): built-in defaults, the configuration file, flags.
 *
 * <p>Keys (properties file / flag): {@code report} ({@code true}, the default, or
 * {@code false}) / {@code --no-report}; {@code report_images} / {@code --report-images} (the
 * worst images shown, an integer &ge; 0, default {@value #DEFAULT_IMAGES}).
 *
 * @param enabled whether the job writes {@code report.html}
 * @param images the worst images the report shows
 */
public record ReportOptions(boolean enabled, int images) {

  /** The keys a configuration file may hold for the report. */
  public static final java.util.List<String> KEYS = java.util.List.of("report",
      "report_images");

  /** Worst images shown by default. */
  public static final int DEFAULT_IMAGES = 24;

  /**
   * @param file the configuration file's keys
   * @param flags keys given on the command line (absent or null: not given)
   * @throws IllegalArgumentException naming the key and value when one is malformed
   */
  public static ReportOptions resolve(Properties file, Map<String, String> flags) {
    Properties p = new Properties();
    p.setProperty("report", "true");
    p.setProperty("report_images", Integer.toString(DEFAULT_IMAGES));
    for (String k : KEYS) {
      if (file.getProperty(k) != null && !file.getProperty(k).isBlank()) {
        p.setProperty(k, file.getProperty(k));
      }
      if (flags.get(k) != null) {
        p.setProperty(k, flags.get(k));
      }
    }
    String on = p.getProperty("report").trim().toLowerCase(Locale.ROOT);
    if (!on.equals("true") && !on.equals("false")) {
      throw new IllegalArgumentException("report must be true or false, got '" + on + "'");
    }
    String n = p.getProperty("report_images").trim();
    int images;
    try {
      images = Integer.parseInt(n);
    } catch (NumberFormatException e) {
      images = -1;
    }
    if (images < 0) {
      throw new IllegalArgumentException("report_images must be an integer >= 0, got '" + n
          + "'");
    }
    return new ReportOptions(on.equals("true"), images);
  }
}
