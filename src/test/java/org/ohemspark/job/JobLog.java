package org.ohemspark.job;

import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * What the jobs' log configuration ({@code conf/log4j2.properties}, which
 * {@code jobs/lib/submit.sh} gives every run) lets through to stderr while a body runs in this
 * JVM: the JVM's logging is switched to that file for the body, every event that reaches the
 * root logger's appenders is recorded, then the test configuration is restored.
 */
final class JobLog {
  private JobLog() {}

  /** The events logged while {@code body} runs, as {@code LEVEL logger: message}. */
  static List<String> capture(Runnable body) {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    URI before = ctx.getConfigLocation() != null ? ctx.getConfigLocation()
        : testConfig();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    AbstractAppender recorder = new AbstractAppender("job-log-recorder", null, null, true,
        Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent e) {
        events.add(e.getLevel() + " " + e.getLoggerName() + ": "
            + e.getMessage().getFormattedMessage());
      }
    };
    recorder.start();
    ctx.setConfigLocation(Paths.get("conf", "log4j2.properties").toAbsolutePath().toUri());
    try {
      ctx.getConfiguration().addAppender(recorder);
      ctx.getConfiguration().getRootLogger().addAppender(recorder, null, null);
      ctx.updateLoggers();
      body.run();
      return new ArrayList<>(events);
    } finally {
      ctx.getConfiguration().getRootLogger().removeAppender(recorder.getName());
      ctx.setConfigLocation(before);
      recorder.stop();
    }
  }

  private static URI testConfig() {
    try {
      return JobLog.class.getResource("/log4j2-test.properties").toURI();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
