package org.wireingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FeedSource#definitionHash}: what tells a restarted poller that a feed was redefined. */
class FeedSourceTest {

  private static FeedSource feed(URI url, Duration interval, Map<String, String> headers) {
    return new FeedSource(
        "aa-world", "AA World", "aa", url, interval, "en", IdentityPolicy.AUTO, headers);
  }

  private static final URI URL = URI.create("https://www.aa.com.tr/en/rss/default?cat=world");

  @Test
  void shouldBeEqualForEqualDefinitionsWhateverTheOrderOfHeaders() {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("X-Api-Key", "k1");
    ab.put("Accept-Language", "en");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("Accept-Language", "en");
    ba.put("X-Api-Key", "k1");

    assertThat(feed(URL, Duration.ofMinutes(2), ab).definitionHash())
        .isEqualTo(feed(URL, Duration.ofMinutes(2), ba).definitionHash())
        .matches("[0-9a-f]{64}");
  }

  @Test
  void shouldDifferWhenAnyPartOfTheDefinitionChanges() {
    String base = feed(URL, Duration.ofMinutes(2), Map.of("X-Api-Key", "k1")).definitionHash();

    assertThat(feed(URL, Duration.ofMinutes(2), Map.of("X-Api-Key", "k2")).definitionHash())
        .as("a corrected header value")
        .isNotEqualTo(base);
    assertThat(feed(URL, Duration.ofMinutes(2), Map.of()).definitionHash())
        .as("a header removed")
        .isNotEqualTo(base);
    assertThat(feed(URL, Duration.ofMinutes(5), Map.of("X-Api-Key", "k1")).definitionHash())
        .as("a new interval")
        .isNotEqualTo(base);
    assertThat(
            feed(
                    URI.create("https://u:p@www.aa.com.tr/en/rss/default?cat=world"),
                    Duration.ofMinutes(2),
                    Map.of("X-Api-Key", "k1"))
                .definitionHash())
        .as("credentials in the URL")
        .isNotEqualTo(base);
    FeedSource renamed =
        new FeedSource(
            "aa-world",
            "AA World news",
            "aa",
            URL,
            Duration.ofMinutes(2),
            "en",
            IdentityPolicy.AUTO,
            Map.of("X-Api-Key", "k1"));
    assertThat(renamed.definitionHash()).as("as equals() tells them apart").isNotEqualTo(base);
  }

  @Test
  void shouldNotTellAHeaderNameFromItsValue() {
    // "a" = "bc" and "ab" = "c" must not feed the same bytes
    assertThat(feed(URL, Duration.ofMinutes(2), Map.of("a", "bc")).definitionHash())
        .isNotEqualTo(feed(URL, Duration.ofMinutes(2), Map.of("ab", "c")).definitionHash());
  }

  @Test
  void shouldNotHoldTheSecretsInClear() {
    assertThat(
            feed(URL, Duration.ofMinutes(2), Map.of("Authorization", "Bearer s3cr3t"))
                .definitionHash())
        .doesNotContain("s3cr3t");
  }
}
