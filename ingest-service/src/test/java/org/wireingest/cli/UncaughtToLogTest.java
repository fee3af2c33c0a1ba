package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Found in a test: an exception no thread caught was written by the JVM as raw text, past the
 * redacting encoder and breaking {@code --log-format json}'s one object per line. The process's
 * default handler sends it through the logger instead.
 */
class UncaughtToLogTest {

  @Test
  void shouldLogAnUncaughtExceptionAtErrorWithItsThread() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(WireIngest.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      Thread t =
          new Thread(
              () -> {
                throw new IllegalStateException("boom");
              },
              "poller-7");
      t.setUncaughtExceptionHandler(WireIngest.UNCAUGHT_TO_LOG);
      t.start();
      t.join();
    } finally {
      logger.detachAppender(logs);
    }

    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.ERROR);
              assertThat(e.getFormattedMessage())
                  .isEqualTo("uncaught exception in thread poller-7");
              assertThat(e.getThrowableProxy().getMessage()).isEqualTo("boom");
            });
  }
}
