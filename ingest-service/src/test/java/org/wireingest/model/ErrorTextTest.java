package org.wireingest.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorTextTest {

  @Test
  void shouldNameAThrowableWithoutAMessageByItsClassNeverNull() {
    assertThat(ErrorText.describe(new NullPointerException())).isEqualTo("NullPointerException");
    assertThat(ErrorText.message(new NullPointerException())).isEqualTo("NullPointerException");
    assertThat(ErrorText.message(new TimeoutException("  "))).isEqualTo("TimeoutException");
  }

  @Test
  void shouldLookThroughWrappersThatAddNothing() {
    // A future's ExecutionException: its message is the cause's toString(); a TimeoutException of
    // Kafka's or the JDK's may come without a message. "could not list topics: null" before.
    ExecutionException future = new ExecutionException(new TimeoutException());
    assertThat(ErrorText.describe(future)).isEqualTo("TimeoutException");
    assertThat(ErrorText.message(future)).isEqualTo("TimeoutException");
    assertThat(
            ErrorText.describe(
                new CompletionException(new RuntimeException(new IllegalStateException("closed")))))
        .isEqualTo("IllegalStateException: closed");
    assertThat(ErrorText.message(new UncheckedIOException(new IOException("disk full"))))
        .isEqualTo("disk full");
  }

  @Test
  void shouldAddTheRootCauseWhenItSaysMore() {
    RuntimeException e =
        new IllegalStateException(
            "Failed to create new KafkaAdminClient",
            new IllegalArgumentException(
                "No resolvable bootstrap urls given in bootstrap.servers"));

    assertThat(ErrorText.message(e))
        .isEqualTo(
            "Failed to create new KafkaAdminClient: No resolvable bootstrap urls given in bootstrap.servers");
    assertThat(ErrorText.describe(e))
        .isEqualTo(
            "IllegalStateException: Failed to create new KafkaAdminClient <- IllegalArgumentException: No resolvable bootstrap urls given in bootstrap.servers");
  }

  @Test
  void shouldNotRepeatARootCauseMessageTheFirstAlreadyQuotes() {
    RuntimeException e =
        new IllegalStateException(
            "could not create topic x: Timed out", new TimeoutException("Timed out"));

    assertThat(ErrorText.message(e)).isEqualTo("could not create topic x: Timed out");
    assertThat(ErrorText.describe(e))
        .isEqualTo(
            "IllegalStateException: could not create topic x: Timed out <- TimeoutException");
  }

  @Test
  void shouldNameARootCauseWithoutAMessageByItsClass() {
    RuntimeException e = new IllegalStateException("could not list topics", new TimeoutException());

    assertThat(ErrorText.message(e)).isEqualTo("could not list topics: TimeoutException");
    assertThat(ErrorText.describe(e))
        .isEqualTo("IllegalStateException: could not list topics <- TimeoutException");
  }

  @Test
  void shouldKeepTheClassOfAnExceptionWhoseMessageIsOnlyAPath() {
    assertThat(ErrorText.describe(new AccessDeniedException("/data/feeds.yaml")))
        .isEqualTo("AccessDeniedException: /data/feeds.yaml");
  }

  // Found on a real run: a truststore missing from --kafka-config read "cannot start: Failed to
  // create new KafkaAdminClient: /nonexistent.jks", never saying the file was not there.
  @Test
  void shouldSayWhatHappenedToAFileInASentenceToo() {
    Exception e =
        new IllegalStateException(
            "Failed to create new KafkaAdminClient",
            new RuntimeException(new NoSuchFileException("/nonexistent.jks")));

    assertThat(ErrorText.message(e))
        .isEqualTo("Failed to create new KafkaAdminClient: NoSuchFileException: /nonexistent.jks");
    assertThat(ErrorText.message(new NoSuchFileException("/a.jks")))
        .isEqualTo("NoSuchFileException: /a.jks");
  }

  @Test
  void shouldPutLongMultiLineMessagesOnOneShortLine() {
    String text = ErrorText.describe(new IOException("bad\n  thing\r\n" + "x".repeat(5_000)));

    assertThat(text).doesNotContain("\n").startsWith("IOException: bad thing x").endsWith(")");
    assertThat(text.length()).isLessThan(ErrorText.MAX_MESSAGE_CHARS + 50);
  }

  @Test
  void shouldStopAtACyclicCauseChain() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalArgumentException b = new IllegalArgumentException("b", a);
    a.initCause(b);

    assertThat(ErrorText.describe(a))
        .isEqualTo("IllegalStateException: a <- IllegalArgumentException: b");
  }

  @Test
  void shouldNameAnAnonymousClassByItsFullName() {
    RuntimeException anonymous = new RuntimeException() {};

    assertThat(ErrorText.describe(anonymous)).isEqualTo(anonymous.getClass().getName());
  }
}
