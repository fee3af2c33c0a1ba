package org.wireingest.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.Marker;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * A Logback turbo filter that thins out repeated WARN lines of chosen third-party loggers, made for
 * the Kafka clients' connection warnings during a broker outage ({@code Connection to node -1
 * (localhost/127.0.0.1:9092) could not be established. Node may not be available.}: every producer,
 * consumer, admin and Streams client logs one per reconnect attempt).
 *
 * <p>Per <em>kind</em> of warning — the logger name and the formatted message without its leading
 * client prefix such as {@code [Producer clientId=p-1] } (so the node id and address stay part of
 * it, and the same warning from several clients is one kind), and with its request's correlation id
 * left out (metadata warnings carry a new one on every request), as the producer's count of
 * attempts left in its retry warnings ({@code Got error produce response with correlation id 183 on
 * topic-partition wire.feed-state.v1-1, retrying (2147483646 attempts left). Error:
 * NOT_LEADER_OR_FOLLOWER}, logged at every retry while a restarted broker becomes the partition's
 * leader again) — the first warning passes unchanged and starts a window of {@link #setInterval
 * interval} (default 60 s); repeats within the window are dropped and counted. The first repeat
 * after the window passes and starts the next window; when warnings were dropped, it is logged with
 * the suffix {@code " (N more like this suppressed in the last S s)"}, S being the whole seconds
 * since the previous line of that kind. So an outage shows as a WARN when it starts and a reminder
 * about once per interval while it lasts. Warnings dropped at the end of an outage are not reported
 * (no later line of the kind carries their count).
 *
 * <p>Applies only to events of level WARN (never ERROR, nor INFO / DEBUG when someone turns those
 * on), only to the loggers added with {@link #addLogger} and their descendants, never to {@code
 * org.wireingest} loggers, and only to events the logger's level lets through (others are not
 * counted). Everything else gets {@link FilterReply#NEUTRAL}. The lines it passes keep their
 * logger, level, thread, marker and throwable.
 *
 * <p>Configured in {@code logback.xml}:
 *
 * <pre>{@code
 * <turboFilter class="org.wireingest.logging.RepeatedWarningFilter">
 *   <logger>org.apache.kafka.clients.NetworkClient</logger>
 *   <interval>60 seconds</interval>
 * </turboFilter>
 * }</pre>
 *
 * <p>Thread-safe. It keeps one small entry per kind seen; beyond {@value #MAX_KINDS} kinds, those
 * whose window has ended are forgotten (with their uncounted repeats).
 */
public final class RepeatedWarningFilter extends TurboFilter {

  /** The default {@link #setInterval interval}: 60 s. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** Kinds of warning kept before those with an ended window are forgotten. */
  static final int MAX_KINDS = 1_000;

  /** The Kafka clients' log context prefix, e.g. {@code [Consumer clientId=c-1, groupId=g] }. */
  private static final Pattern CLIENT_PREFIX = Pattern.compile("^\\[[^\\]]*\\] ");

  /**
   * The request number in a metadata warning ({@code ... with correlation id 8 :
   * {topic=LEADER_NOT_AVAILABLE}}), new on every request.
   */
  private static final Pattern CORRELATION_ID = Pattern.compile("(correlation id )\\d+");

  /**
   * The producer's retry count in a produce error ({@code ..., retrying (2147483646 attempts left).
   * ...}), one less on every retry.
   */
  private static final Pattern ATTEMPTS_LEFT = Pattern.compile("\\(\\d+( attempts left\\))");

  private static final String FQCN = RepeatedWarningFilter.class.getName();

  private final Clock clock;
  private final List<String> loggers = new CopyOnWriteArrayList<>();
  private volatile long intervalMs = DEFAULT_INTERVAL.toMillis();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** A filter on the system clock, with no loggers yet (it filters nothing until one is added). */
  public RepeatedWarningFilter() {
    this(Clock.systemUTC());
  }

  /**
   * @param clock the clock windows are measured on; never null
   */
  RepeatedWarningFilter(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Adds a logger whose WARN lines (and those of its descendants, {@code name.*}) are thinned out.
   * Called by Logback once per {@code <logger>} element, before {@link #start()}.
   *
   * @param name a logger name, e.g. {@code org.apache.kafka.clients.NetworkClient}; never null or
   *     blank
   * @throws IllegalArgumentException when blank
   */
  public void addLogger(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("logger name must not be blank");
    }
    loggers.add(name.strip());
  }

  /**
   * Sets the window: after a line of one kind passes, repeats of it are dropped for this long.
   * Called by Logback for {@code <interval>} (e.g. {@code 60 seconds}, {@code 5 minutes}); the
   * default is {@link #DEFAULT_INTERVAL}.
   *
   * @param interval the window; at least 1 ms; never null
   * @throws IllegalArgumentException when shorter than 1 ms
   */
  public void setInterval(ch.qos.logback.core.util.Duration interval) {
    long ms = Objects.requireNonNull(interval, "interval").getMilliseconds();
    if (ms < 1) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    this.intervalMs = ms;
  }

  @Override
  public void start() {
    if (loggers.isEmpty()) {
      addWarn("RepeatedWarningFilter has no <logger>: it filters nothing");
    }
    super.start();
  }

  /**
   * The message without its client prefix, and with any correlation id and any producer retry count
   * ({@code (N attempts left)}) as {@code #}: what repeats of one warning share.
   */
  static String kindOf(String message) {
    String kind = CLIENT_PREFIX.matcher(message).replaceFirst("");
    if (kind.contains("correlation id ")) {
      kind = CORRELATION_ID.matcher(kind).replaceAll("$1#");
    }
    return kind.contains(" attempts left)") ? ATTEMPTS_LEFT.matcher(kind).replaceAll("(#$1") : kind;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (!isStarted()
        || level != Level.WARN
        || format == null
        || logger == null
        || !applies(logger.getName())
        || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    FormattingTuple formatted =
        params == null || params.length == 0 ? null : MessageFormatter.arrayFormat(format, params);
    String message = formatted == null ? format : formatted.getMessage();
    String kind = logger.getName() + '\n' + kindOf(message);
    long now = clock.millis();
    long[] passed = {
      -1, 0
    }; // {ms since the previous line, repeats dropped since}; -1: drop this one
    windows.compute(
        kind,
        (k, w) -> {
          if (w == null) {
            passed[0] = 0;
            return new Window(now);
          }
          // A clock set back by more than the interval ends the window too. Not by less: a thread
          // that
          // read the clock just before another thread restarted the window sees a start a little
          // after
          // its own now, and its line is a repeat within that window.
          if (now - w.startMs >= intervalMs || setBack(w, now)) {
            passed[0] = Math.max(0, now - w.startMs);
            passed[1] = w.suppressed;
            w.startMs = now;
            w.suppressed = 0;
          } else {
            w.suppressed++;
          }
          return w;
        });
    if (windows.size() > MAX_KINDS) {
      windows.values().removeIf(w -> now - w.startMs >= intervalMs || setBack(w, now));
    }
    if (passed[0] < 0) {
      return FilterReply.DENY;
    }
    if (passed[1] == 0) {
      return FilterReply.NEUTRAL;
    }
    // A turbo filter cannot change the event: log the line with its count here, drop the original.
    Throwable throwable = t != null || formatted == null ? t : formatted.getThrowable();
    String line =
        message
            + " ("
            + passed[1]
            + " more like this suppressed in the last "
            + passed[0] / 1000
            + " s)";
    LoggingEvent event = new LoggingEvent(FQCN, logger, level, line, throwable, null);
    if (marker != null) {
      event.addMarker(marker);
    }
    logger.callAppenders(event);
    return FilterReply.DENY;
  }

  /** Whether the clock went back by more than the interval since {@code w} started. */
  private boolean setBack(Window w, long now) {
    return w.startMs - now > intervalMs;
  }

  private boolean applies(String name) {
    if (LoggerNames.within(name, LoggerNames.OWN)) {
      return false;
    }
    for (String l : loggers) {
      if (LoggerNames.within(name, l)) {
        return true;
      }
    }
    return false;
  }

  /** One kind's current window; guarded by the map's compute. */
  private static final class Window {
    long startMs;
    long suppressed;

    Window(long startMs) {
      this.startMs = startMs;
    }
  }
}
