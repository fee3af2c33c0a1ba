package org.wireingest.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * A Logback turbo filter that drops one known, harmless line of a third-party logger: a line a
 * reader would take for a fault, which the library logs in a normal course of events and then
 * recovers from by itself. Made for the embedded Kafka broker's start on an existing data dir,
 * where the node sometimes registers with its own controller a moment before that controller is
 * active ({@code kafka.server.ControllerApis} logs an ERROR with the stack trace of a {@code
 * NotControllerException}, "The active controller appears to be node 1") and registers again, and
 * for the WARN "Attempting to close NetworkClient that has already been closed" of its stop.
 *
 * <p>A line is dropped ({@link FilterReply#DENY}) when all of these hold: its logger is {@link
 * #setLogger logger} or a descendant; its level is {@link #setLevel level}; its message pattern (as
 * logged, before {@code {}} arguments are filled in) contains {@link #setContains contains}; and,
 * when {@link #setCause cause} is set, the line's throwable or one of its causes is of that class
 * (by its fully qualified name, so the filter needs no Kafka class to load), and, when {@link
 * #setCauseContains causeContains} is set too, that exception's message contains it. Every other
 * line, and a filter missing {@code logger}, {@code level} or {@code contains} (Logback reports it
 * as not started), gets {@link FilterReply#NEUTRAL}. Never drops a line of {@code org.wireingest}.
 *
 * <p>One filter per line, configured in {@code logback.xml}:
 *
 * <pre>{@code
 * <turboFilter class="org.wireingest.logging.HarmlessLineFilter">
 *   <logger>kafka.server.ControllerApis</logger>
 *   <level>ERROR</level>
 *   <contains>apiKey=CONTROLLER_REGISTRATION</contains>
 *   <cause>org.apache.kafka.common.errors.NotControllerException</cause>
 * </turboFilter>
 * }</pre>
 *
 * <p>Thread-safe once started: its settings are not changed afterwards.
 */
public final class HarmlessLineFilter extends TurboFilter {

  private volatile String logger;
  private volatile Level level;
  private volatile String contains;
  private volatile String cause;
  private volatile String causeContains;

  /**
   * @param logger the logger's name, e.g. {@code kafka.server.ControllerApis}; its descendants
   *     match too
   */
  public void setLogger(String logger) {
    this.logger = logger == null || logger.isBlank() ? null : logger.strip();
  }

  /**
   * @param level the line's level: a Logback level name, e.g. {@code ERROR}; an unknown name leaves
   *     the filter unstarted
   */
  public void setLevel(String level) {
    this.level = level == null || level.isBlank() ? null : Level.toLevel(level.strip(), null);
  }

  /**
   * @param contains text the line's message pattern contains, verbatim (case-sensitive)
   */
  public void setContains(String contains) {
    this.contains = contains == null || contains.isEmpty() ? null : contains;
  }

  /**
   * @param cause fully qualified class name of an exception the line's throwable is or was caused
   *     by; null or blank for any line, with or without one
   */
  public void setCause(String cause) {
    this.cause = cause == null || cause.isBlank() ? null : cause.strip();
  }

  /**
   * @param causeContains text the message of the {@link #setCause cause} exception contains,
   *     verbatim (case-sensitive): the line is dropped only when a throwable of that class in its
   *     cause chain says it; null or empty for any message. Needs {@code cause}.
   */
  public void setCauseContains(String causeContains) {
    this.causeContains = causeContains == null || causeContains.isEmpty() ? null : causeContains;
  }

  @Override
  public void start() {
    if (logger == null || level == null || contains == null) {
      addError(
          "HarmlessLineFilter needs <logger>, <level> (a Logback level name) and <contains>; it drops nothing");
      return;
    }
    if (causeContains != null && cause == null) {
      addError("HarmlessLineFilter's <causeContains> needs <cause>; it drops nothing");
      return;
    }
    if (LoggerNames.within(logger, LoggerNames.OWN)) {
      addError(
          "HarmlessLineFilter does not drop lines of "
              + LoggerNames.OWN
              + " (got <logger>"
              + logger
              + "</logger>); it drops nothing");
      return;
    }
    super.start();
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger log, Level eventLevel, String format, Object[] params, Throwable t) {
    // Level checks (isErrorEnabled and the like) come with no message and stay NEUTRAL.
    if (!isStarted()
        || format == null
        || log == null
        || eventLevel == null
        || !eventLevel.equals(level)
        || !LoggerNames.within(log.getName(), logger)) {
      return FilterReply.NEUTRAL;
    }
    if (!format.contains(contains)) {
      return FilterReply.NEUTRAL;
    }
    return cause == null || causedBy(t) ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  /**
   * Whether {@code t} or one of its causes is of class {@link #cause} (and, with {@link
   * #causeContains}, its message contains that); a cause cycle ends the walk.
   */
  private boolean causedBy(Throwable t) {
    for (int depth = 0; t != null && depth < 32; depth++) {
      if (t.getClass().getName().equals(cause)
          && (causeContains == null
              || (t.getMessage() != null && t.getMessage().contains(causeContains)))) {
        return true;
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return false;
  }
}
