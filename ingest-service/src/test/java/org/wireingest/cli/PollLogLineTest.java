package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.wireingest.model.FeedState;
import org.wireingest.poll.PollResult;
import org.wireingest.poll.PollResult.Outcome;

/**
 * Found in a soak run: with 200 feeds polled every minute, 86 % of the log was "not-modified, 0
 * entries, 0 published" lines, which buried the lines that mattered. A poll that published nothing
 * is logged at DEBUG unless {@code --log-every-poll}.
 */
class PollLogLineTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger(ServiceCommand.class);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Level before;

  @BeforeEach
  void capture() {
    before = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
    logger.setLevel(before);
  }

  private static PollResult poll(Outcome outcome, String code, int entries, int published) {
    return new PollResult("trtworld-world", outcome, code, null, entries, published, 0, 42, null);
  }

  @Test
  void shouldLogAPollThatPublishedSomethingAtInfo() {
    ServiceCommand.logResult(poll(Outcome.OK, "ok", 12, 3), false);

    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.INFO);
              assertThat(e.getFormattedMessage())
                  .isEqualTo("feed trtworld-world: ok, 12 entries, 3 published (42 ms)");
            });
  }

  @Test
  void shouldLogPollsThatPublishedNothingAtDebug() {
    ServiceCommand.logResult(poll(Outcome.NOT_MODIFIED, "not-modified", 0, 0), false);
    ServiceCommand.logResult(poll(Outcome.UNCHANGED, "unchanged", 0, 0), false);
    ServiceCommand.logResult(poll(Outcome.OK, "ok", 12, 0), false);

    assertThat(logs.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.DEBUG);
    assertThat(logs.list).hasSize(3);
  }

  @Test
  void shouldLogEveryPollAtInfoWhenAskedTo() {
    ServiceCommand.logResult(poll(Outcome.NOT_MODIFIED, "not-modified", 0, 0), true);

    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.INFO);
              assertThat(e.getFormattedMessage())
                  .isEqualTo("feed trtworld-world: not-modified, 0 entries, 0 published (42 ms)");
            });
  }

  @Test
  void shouldLeaveAFailedPollToThePollersWarning() {
    ServiceCommand.logResult(poll(Outcome.FAILED, "timeout", 0, 0), true);

    assertThat(logs.list).isEmpty();
  }

  @Test
  void shouldSayWhenAFeedsDocumentWasCutOff() {
    FeedState cut =
        FeedState.initial("trtworld-world", "https://example.org/f.xml")
            .withTruncatedSince(Instant.parse("2026-12-04T14:08:07Z"));
    ServiceCommand.logResult(
        new PollResult("trtworld-world", Outcome.OK, "ok", null, 2, 2, 0, 42, cut), false);

    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "feed trtworld-world: ok (document cut off), 2 entries, 2 published (42 ms)");
  }

  /** Found in a new-user test: {@code run} on local feeds logged "blocked" with no way out. */
  @Test
  void shouldHintAtTheOptionForTheFirstBlockedAddressOnly() {
    AtomicBoolean told = new AtomicBoolean();
    PollResult blocked = poll(Outcome.FAILED, "blocked-address", 0, 0);

    assertThat(ServiceCommand.firstBlockedAddress(poll(Outcome.FAILED, "timeout", 0, 0), told))
        .isFalse();
    assertThat(ServiceCommand.firstBlockedAddress(blocked, told)).isTrue();
    assertThat(ServiceCommand.firstBlockedAddress(blocked, told)).isFalse();
  }
}
