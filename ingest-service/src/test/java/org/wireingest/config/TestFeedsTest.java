package org.wireingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestFeedsTest {

  @Test
  void shouldBuildAFeedOfTheDefaults() {
    assertThat(TestFeeds.feed("wire-world").build())
        .isEqualTo(
            new FeedSource(
                "wire-world",
                "wire-world",
                "test",
                URI.create("https://example.org/wire-world.xml"),
                Duration.ofMinutes(5),
                "en",
                IdentityPolicy.AUTO,
                Map.of()));
  }

  @Test
  void shouldCopyAFeedAndChangeOnlyWhatIsSet() {
    FeedSource source =
        TestFeeds.feed("aa-world")
            .name("AA World")
            .agency("aa")
            .interval(Duration.ofMinutes(2))
            .language(null)
            .identity(IdentityPolicy.LINK)
            .headers(Map.of("X-Api-Key", "k1"))
            .build();

    FeedSource moved = TestFeeds.from(source).url("https://aa.example/new.xml").build();

    assertThat(moved)
        .isEqualTo(
            new FeedSource(
                "aa-world",
                "AA World",
                "aa",
                URI.create("https://aa.example/new.xml"),
                Duration.ofMinutes(2),
                null,
                IdentityPolicy.LINK,
                Map.of("X-Api-Key", "k1")));
  }
}
