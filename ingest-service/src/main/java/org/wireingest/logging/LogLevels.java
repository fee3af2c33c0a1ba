package org.wireingest.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Runs a piece of code with one logger's level changed, then restores the level it had: for lines a
 * caller knows to be noise at that moment, or reports better itself (a broker that is stopping, a
 * one-shot command that prints its own line for what the logger would warn about). The level of the
 * named logger and of its descendants that have no level of their own changes for every thread of
 * the process while the code runs. Without Logback as the SLF4J binding the code just runs.
 */
public final class LogLevels {

  /**
   * Code to run; may throw.
   *
   * @param <T> what it returns
   * @param <E> what it throws
   */
  @FunctionalInterface
  public interface Action<T, E extends Exception> {
    /**
     * @return the result; may be null
     * @throws E when the code fails
     */
    T run() throws E;
  }

  private LogLevels() {}

  /**
   * @param logger the logger's name (e.g. a class name); never null
   * @param level its level while {@code action} runs, e.g. {@link Level#ERROR} or {@link
   *     Level#OFF}; never null
   * @param action the code; never null
   * @return what {@code action} returned
   * @throws E what {@code action} threw (the level is restored first)
   */
  public static <T, E extends Exception> T during(String logger, Level level, Action<T, E> action)
      throws E {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(action, "action");
    Logger changed =
        LoggerFactory.getLogger(Objects.requireNonNull(logger, "logger")) instanceof Logger l
            ? l
            : null;
    if (changed == null) {
      return action.run();
    }
    Level before = changed.getLevel();
    changed.setLevel(level);
    try {
      return action.run();
    } finally {
      changed.setLevel(before);
    }
  }
}
