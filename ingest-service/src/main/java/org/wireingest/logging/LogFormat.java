package org.wireingest.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * How log lines are written: {@link #TEXT} (one human-readable line per event, the default of
 * {@code logback.xml}) or {@link #JSON} (one JSON object per line, Logback's {@link JsonEncoder}:
 * {@code timestamp} (epoch ms), {@code level}, {@code threadName}, {@code loggerName}, {@code
 * formattedMessage}, {@code mdc}, {@code kvpList}, {@code throwable}). Both are wrapped in a {@link
 * RedactingEncoder}.
 */
public enum LogFormat {
  /** {@code 2026-11-30T08:00:00.000Z INFO [thread] logger - message}. */
  TEXT,
  /** One JSON object per line, for log shippers. */
  JSON;

  /** The pattern of {@link #TEXT}, as in {@code logback.xml}. */
  public static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%thread] %logger{36} - %msg%n";

  /**
   * @param context the Logback context
   * @return a started encoder of this format, redacting
   */
  public Encoder<ILoggingEvent> encoder(LoggerContext context) {
    Encoder<ILoggingEvent> delegate;
    if (this == JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithFormattedMessage(true);
      delegate = json;
    } else {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setContext(context);
      pattern.setPattern(TEXT_PATTERN);
      delegate = pattern;
    }
    RedactingEncoder encoder = new RedactingEncoder();
    encoder.setContext(context);
    encoder.setDelegate(delegate);
    encoder.start();
    return encoder;
  }

  /**
   * Switches every stream appender of the root logger (the console) to this format. Does nothing
   * when SLF4J is not bound to Logback.
   */
  public void apply() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        appender.stop();
        appender.setEncoder(encoder(context));
        appender.start();
      }
    }
  }
}
