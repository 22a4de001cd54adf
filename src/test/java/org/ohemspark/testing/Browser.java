package org.ohemspark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A headless Chromium for tests, through chromedriver: Debian's {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver} (packages {@code chromium}, {@code chromium-driver}), or the
 * paths in {@code CHROME_BIN} and {@code CHROMEDRIVER}. Its browser console is recorded
 * ({@code goog:loggingPrefs} browser ALL).
 */
public final class Browser {
  private Browser() {}

  /** The browser binary, or null where there is none. */
  public static Path chrome() {
    return existing(System.getenv("CHROME_BIN"), "/usr/bin/chromium",
        "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  }

  /** The chromedriver binary, or null where there is none. */
  public static Path driver() {
    return existing(System.getenv("CHROMEDRIVER"), "/usr/bin/chromedriver",
        "/usr/lib/chromium/chromedriver");
  }

  /** Why no browser can be had here, or null when one can. */
  public static String missing() {
    if (chrome() == null || driver() == null) {
      return "no headless browser: install Debian's chromium and chromium-driver "
          + "(apt-get install -y chromium chromium-driver; .ci/run does) or set CHROME_BIN and "
          + "CHROMEDRIVER";
    }
    return null;
  }

  /** Starts a headless Chromium of {@code width x height} CSS pixels. */
  public static ChromeDriver start(int width, int height) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chrome().toString());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--disable-gpu", "--window-size=" + width + "," + height,
        "--allow-file-access-from-files");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driver().toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, o);
  }

  private static Path existing(String... candidates) {
    for (String c : candidates) {
      if (c != null && !c.isBlank() && Files.isExecutable(Paths.get(c))) {
        return Paths.get(c);
      }
    }
    return null;
  }
}
