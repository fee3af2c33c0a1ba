package org.wireingest.model;

import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.wireingest.text.Shortened;

/**
 * A throwable on one line for a person: in log lines, health-check details, dead letters, CLI
 * errors and the messages of exceptions that wrap another. Never {@code "null"}: a throwable
 * without a message is named by its class ({@code TimeoutException}), and a wrapper that adds
 * nothing to its cause (an {@link java.util.concurrent.ExecutionException} of a future, a {@code
 * RuntimeException(cause)}, whose message is the cause's {@code toString()} or absent) gives way to
 * the cause. The text is the first link of the cause chain that says something and, when the chain
 * goes deeper, its root cause, which usually names the real problem ("Failed to create new
 * KafkaAdminClient" is caused by "No resolvable bootstrap urls given in bootstrap.servers").
 *
 * <p>Each message is put on one line and cut to {@value #MAX_MESSAGE_CHARS} characters ({@link
 * Shortened#line}). Cause chains are followed {@value #MAX_CHAIN} links deep at most, and cyclic
 * ones stop at the first repeat. Pure and thread-safe.
 */
public final class ErrorText {

  /** Deepest link of a cause chain looked at. */
  static final int MAX_CHAIN = 16;

  /** Characters kept of each message quoted. */
  static final int MAX_MESSAGE_CHARS = 1_000;

  private ErrorText() {}

  /**
   * Class and message, for an operator who needs to know what kind of failure it was (a log line, a
   * health check's detail, a dead letter's reason): {@code SimpleName: message}, or {@code
   * SimpleName} without a message, of the first link that says something; then, when the root cause
   * is another throwable, {@code " <- "} and the root cause the same way, its message left out when
   * the first link's already quotes it.
   *
   * @param error any throwable; never null
   * @return e.g. {@code TimeoutException}, {@code IllegalStateException: admin client closed},
   *     {@code KafkaException: Failed to create new KafkaAdminClient <- ConfigException: No
   *     resolvable bootstrap urls given in bootstrap.servers}; never null or blank
   */
  public static String describe(Throwable error) {
    List<Throwable> chain = chain(error);
    Throwable first = firstSaying(chain);
    Throwable root = chain.get(chain.size() - 1);
    String firstMessage = message(first.getMessage());
    String text = firstMessage == null ? name(first) : name(first) + ": " + firstMessage;
    if (root == first) {
      return text;
    }
    String rootMessage = message(root.getMessage());
    return rootMessage == null || text.contains(rootMessage)
        ? text + " <- " + name(root)
        : text + " <- " + name(root) + ": " + rootMessage;
  }

  /**
   * The message, for a sentence that already says what failed ({@code "cannot start: " +
   * message(e)}): the message of the first link that says something (its simple class name when it
   * has none), followed by {@code ": "} and the root cause's (the same way) when the root cause is
   * another throwable and the first message does not already quote it.
   *
   * @param error any throwable; never null
   * @return e.g. {@code Failed to create new KafkaAdminClient: No resolvable bootstrap urls given
   *     in bootstrap.servers}, {@code TimeoutException}, {@code could not list topics:
   *     TimeoutException}; never null or blank
   */
  public static String message(Throwable error) {
    List<Throwable> chain = chain(error);
    Throwable first = firstSaying(chain);
    Throwable root = chain.get(chain.size() - 1);
    String text = messageOrName(first);
    if (root == first) {
      return text;
    }
    String rootText = messageOrName(root);
    return text.contains(rootText) ? text : text + ": " + rootText;
  }

  private static List<Throwable> chain(Throwable error) {
    Objects.requireNonNull(error, "error");
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && chain.size() < MAX_CHAIN && seen.add(t); ) {
      chain.add(t);
      t = t.getCause();
    }
    return chain;
  }

  /** The first link that is not a bare wrapper of its cause; the last link when all are. */
  private static Throwable firstSaying(List<Throwable> chain) {
    for (Throwable t : chain) {
      Throwable cause = t.getCause();
      String message = t.getMessage();
      boolean bareWrapper =
          cause != null
              && cause != t
              && (message == null || message.isBlank() || message.equals(cause.toString()));
      if (!bareWrapper) {
        return t;
      }
    }
    return chain.get(chain.size() - 1);
  }

  /**
   * The message, or the class name without one; a file-system exception's message is only the path
   * ("/etc/kafka/client.jks"), so it keeps its class to say what happened to the file.
   */
  private static String messageOrName(Throwable t) {
    String message = message(t.getMessage());
    if (message == null) {
      return name(t);
    }
    return t instanceof FileSystemException ? name(t) + ": " + message : message;
  }

  /** The message on one line and cut; null when absent or blank. */
  private static String message(String message) {
    String line = Shortened.line(message, MAX_MESSAGE_CHARS);
    return line == null || line.isEmpty() ? null : line;
  }

  private static String name(Throwable t) {
    String simple = t.getClass().getSimpleName();
    return simple.isEmpty() ? t.getClass().getName() : simple;
  }
}
