package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class ReplaceableProducerTest {

  @Test
  void shouldTakeAFatalErrorAsFatalWhereverItIsInTheCauseChain() {
    // a failed write's future wraps the producer's error, which wraps the fatal one
    // (SaslAuthenticationException is an AuthenticationException)
    Throwable wrapped =
        new ExecutionException(
            new KafkaException(
                "Cannot execute transactional method because we are in an error state",
                new SaslAuthenticationException("Authentication failed (test)")));

    assertThat(ReplaceableProducer.isFatal(wrapped)).isTrue();
  }

  @Test
  void shouldNotTakeTheErrorsOfOneWriteAsFatal() {
    // these fail one write and leave the producer usable: replacing it would only lose the
    // writes in flight
    assertThat(
            List.of(
                new TopicAuthorizationException("Not authorized (test)"),
                new NotEnoughReplicasException("Not enough in-sync replicas (test)"),
                new RecordTooLargeException("Too large (test)"),
                new TimeoutException("Topic not present in metadata after 60000 ms."),
                new KafkaException("Producer closed while send in progress")))
        .noneMatch(ReplaceableProducer::isFatal);
  }
}
