package org.wireingest.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one class logs while a test runs, at INFO and above: opened with {@link #of}, closed (the
 * logger's own level and appenders restored) by try-with-resources. The events stay readable after
 * closing.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level before;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    before = logger.getLevel();
    appender.start();
    logger.addAppender(appender);
    logger.setLevel(Level.INFO);
  }

  /**
   * @param source the class whose logger is captured
   * @return a capture, started
   */
  public static LogCapture of(Class<?> source) {
    return new LogCapture(source);
  }

  /**
   * @return the formatted messages logged so far, oldest first
   */
  public List<String> messages() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /**
   * @param fragment a piece of text
   * @return the formatted messages logged so far that contain it, oldest first
   */
  public List<String> containing(String fragment) {
    return messages().stream().filter(m -> m.contains(fragment)).toList();
  }

  @Override
  public void close() {
    logger.setLevel(before);
    logger.detachAppender(appender);
  }
}
