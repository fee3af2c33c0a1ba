package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.config.TestFeeds;

/** What makes a feed redefined for its schedule, in memory and across a restart. */
class FeedDefinitionsTest {

  private static final URI URL = URI.create("https://www.aa.com.tr/en/rss/default?cat=world");

  private static FeedSource feed(URI url, Duration interval, Map<String, String> headers) {
    return TestFeeds.feed("aa-world")
        .name("AA World")
        .agency("aa")
        .url(url)
        .interval(interval)
        .headers(headers)
        .build();
  }

  private static final FeedSource BASE =
      feed(URL, Duration.ofMinutes(2), Map.of("X-Api-Key", "k1"));

  @Test
  void shouldTellAChangeOfUrlIntervalOrHeadersBothWays() {
    for (FeedSource other :
        new FeedSource[] {
          feed(
              URI.create("https://www.aa.com.tr/en/rss/default?cat=turkiye"),
              Duration.ofMinutes(2),
              Map.of("X-Api-Key", "k1")),
          feed(URL, Duration.ofMinutes(5), Map.of("X-Api-Key", "k1")),
          feed(URL, Duration.ofMinutes(2), Map.of("X-Api-Key", "k1", "Accept-Language", "en")),
          feed(URL, Duration.ofMinutes(2), Map.of())
        }) {
      assertThat(FeedDefinitions.fetchedAlike(BASE, other)).as("%s", other).isFalse();
      assertThat(FeedDefinitions.digest(other))
          .as("%s", other)
          .isNotEqualTo(FeedDefinitions.digest(BASE));
    }
  }

  @Test
  void shouldTellAChangedSecretInMemoryOnly() {
    FeedSource newKey = feed(URL, Duration.ofMinutes(2), Map.of("X-Api-Key", "k2"));
    FeedSource newPassword =
        feed(
            URI.create("https://u:other@www.aa.com.tr/en/rss/default?cat=world"),
            Duration.ofMinutes(2),
            Map.of("X-Api-Key", "k1"));
    FeedSource withPassword =
        feed(
            URI.create("https://u:p@www.aa.com.tr/en/rss/default?cat=world"),
            Duration.ofMinutes(2),
            Map.of("X-Api-Key", "k1"));

    assertThat(FeedDefinitions.fetchedAlike(BASE, newKey)).isFalse();
    assertThat(FeedDefinitions.fetchedAlike(withPassword, newPassword)).isFalse();
    // stored with the feed state: nothing that could be tested against a guess of the secret
    assertThat(FeedDefinitions.digest(newKey)).isEqualTo(FeedDefinitions.digest(BASE));
    assertThat(FeedDefinitions.digest(newPassword)).isEqualTo(FeedDefinitions.digest(withPassword));
  }

  @Test
  void shouldIgnoreWhatNoFetchReads() {
    FeedSource renamed =
        TestFeeds.from(BASE)
            .name("Anadolu World")
            .agency("anadolu")
            .language("tr")
            .identity(IdentityPolicy.LINK)
            .build();
    Map<String, String> reordered = new LinkedHashMap<>();
    reordered.put("accept-language", "en");
    reordered.put("X-API-KEY", "k1");
    Map<String, String> ordered = new LinkedHashMap<>();
    ordered.put("X-Api-Key", "k1");
    ordered.put("Accept-Language", "en");

    assertThat(FeedDefinitions.fetchedAlike(BASE, renamed)).isTrue();
    assertThat(FeedDefinitions.digest(renamed)).isEqualTo(FeedDefinitions.digest(BASE));
    assertThat(FeedDefinitions.digest(feed(URL, Duration.ofMinutes(2), reordered)))
        .as("header names are case-insensitive, in any order")
        .isEqualTo(FeedDefinitions.digest(feed(URL, Duration.ofMinutes(2), ordered)))
        .matches("[0-9a-f]{64}");
  }
}
