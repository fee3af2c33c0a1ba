package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * {@link FeedAssignment}'s consumer thread never ends while the poller runs, whatever its consumer
 * throws.
 */
class FeedAssignmentRejoinTest {

  // From a review: when making the new consumer failed too, the thread ended, and the poller stayed
  // up polling nothing.
  @Test
  void shouldKeepTryingWhenMakingTheNewConsumerFails() throws Exception {
    AtomicInteger made = new AtomicInteger();
    FeedAssignment assignment =
        assignment(
            p -> {
              int n = made.incrementAndGet();
              if (n == 2) {
                throw new KafkaException("Failed to construct kafka consumer");
              }
              return new MockConsumer<String, byte[]>("earliest") {
                @Override
                public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
                  if (n == 1) {
                    throw new IllegalStateException(
                        "Correlation id for response (1) does not match request (2)");
                  }
                  return super.poll(timeout);
                }
              };
            });
    try {
      assignment.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (made.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(made.get())
          .as("a third consumer after the failed second one (waits of 1 s, then 2 s)")
          .isGreaterThanOrEqualTo(3);
    } finally {
      assignment.close();
    }
  }

  // A failure that never goes away (the poller's principal may not use the group) kept readiness at
  // "joining group" with nothing about why: the reason is in the membership the probe reads.
  @Test
  void shouldSayWhyItIsNotAMemberAfterItsConsumerFailed() throws Exception {
    FeedAssignment assignment =
        assignment(
            p ->
                new MockConsumer<String, byte[]>("earliest") {
                  @Override
                  public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
                    throw new GroupAuthorizationException(
                        "Not authorized to access group: pollers");
                  }
                });
    try {
      assertThat(assignment.membership()).isEqualTo(FeedAssignment.Membership.NONE);
      assignment.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (assignment.membership().lastFailure() == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(assignment.membership().joined()).isFalse();
      assertThat(assignment.membership().lastFailure())
          .isEqualTo("GroupAuthorizationException: Not authorized to access group: pollers");
    } finally {
      assignment.close();
    }
  }

  /** An assignment of no feed whose consumers come from {@code consumers}. */
  private static FeedAssignment assignment(
      Function<Map<String, Object>, Consumer<String, byte[]>> consumers) {
    return new FeedAssignment(
        Map.of("bootstrap.servers", "broker.invalid:9092"),
        "wire.feed-state.v1",
        "pollers",
        Duration.ofSeconds(6),
        List.of(),
        null,
        consumers);
  }
}
