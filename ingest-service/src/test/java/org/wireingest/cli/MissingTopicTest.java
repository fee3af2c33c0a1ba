package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.wireingest.config.ConfigException;

/** The one-line refusal of a topic to read that does not exist. */
class MissingTopicTest {

  /** A cluster with the topics of two prefixes, as one with a test and a live environment has. */
  private static final MissingTopic TWO_PREFIXES =
      new MissingTopic(
          "localhost:9092",
          Set.of(
              "test.raw-items.v1",
              "test.articles.v1",
              "test.feed-state.v1",
              "test.fetch-log.v1",
              "test.dead-letters.v1",
              "test.story-signatures.v1",
              "wire.raw-items.v1",
              "wire.articles.v1",
              "wire.feed-state.v1",
              "wire.fetch-log.v1",
              "wire.dead-letters.v1",
              "wire.story-signatures.v1"));

  // Found running tail against a cluster of 12 topics: `tail --topic wire.article.v1` listed the
  // five test.* topics "and 7 more", leaving out wire.articles.v1, the one meant: the list is cut
  // at
  // five in name order, whatever was asked for.
  @Test
  void shouldOfferTheClosestTopicWhenTheListLeavesItOut() {
    ConfigException refusal =
        TWO_PREFIXES.named("--topic", "wire.article.v1", MissingTopic.Kind.ANY);

    assertThat(refusal.getMessage())
        .isEqualTo(
            "--topic: topic 'wire.article.v1' does not exist on localhost:9092 (its topics:"
                + " test.articles.v1, test.dead-letters.v1, test.feed-state.v1,"
                + " test.fetch-log.v1, test.raw-items.v1 and 7 more; did you mean"
                + " wire.articles.v1?)");
  }

  @Test
  void shouldOfferNoTopicWhenTheClosestAreListed() {
    ConfigException refusal =
        TWO_PREFIXES.named("--topic", "test.article.v1", MissingTopic.Kind.ANY);

    assertThat(refusal.getMessage())
        .isEqualTo(
            "--topic: topic 'test.article.v1' does not exist on localhost:9092 (its topics:"
                + " test.articles.v1, test.dead-letters.v1, test.feed-state.v1,"
                + " test.fetch-log.v1, test.raw-items.v1 and 7 more)");
  }
}
