package org.wireingest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import java.util.Map;

/**
 * A fresh Logback context configured from the service's own {@code logback.xml} (not the tests'
 * {@code logback-test.xml}), with its console appender replaced by a list: for tests of what that
 * configuration lets through. The configuration must load without a warning.
 */
final class ShippedLogback implements AutoCloseable {

  final LoggerContext context = new LoggerContext();

  /** The lines that passed, in order. */
  final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  ShippedLogback() throws JoranException {
    this(Map.of());
  }

  /**
   * @param properties variables the configuration reads, as if set in the environment (e.g. {@code
   *     WIRE_INGEST_LOG_LEVEL})
   */
  ShippedLogback(Map<String, String> properties) throws JoranException {
    context.setMDCAdapter(new LogbackMDCAdapter());
    properties.forEach(context::putProperty);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(ShippedLogback.class.getResource("/logback.xml"));
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getLevel() >= Status.WARN);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    lines.setContext(context);
    lines.start();
    root.setLevel(Level.INFO);
    root.addAppender(lines);
  }

  /**
   * @return the logger of that name in this context
   */
  Logger logger(String name) {
    return context.getLogger(name);
  }

  @Override
  public void close() {
    context.stop();
  }
}
