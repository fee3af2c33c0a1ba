package org.wireingest.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;

class LogRedactionTest {

  /**
   * From a hostile test: a dead letter's log line with a record key of 600,000 word characters held
   * a stream thread for hours in the credential search (quadratic in a run of word characters;
   * measured linear since: 600,000 characters in about 0.2 s). The masking of a name at the end of
   * a long run, or right after one, is unchanged.
   */
  @Test
  void shouldMaskACredentialAfterOrAtTheEndOfALongRunOfWordCharacters() {
    String run = "a".repeat(200_000);
    assertThat(LogRedaction.redact("key " + run + " then api_token=abc123 here"))
        .endsWith(" then api_token=*** here");
    assertThat(LogRedaction.redact(run + "_token=abc123 here")).isEqualTo(run + "_token=*** here");
    assertThat(LogRedaction.redact("key " + run)).isEqualTo("key " + run);
    // a third test: runs of scheme characters broken by '.' or '-' made the URL search quadratic
    String dotted = "a.".repeat(100_000);
    assertThat(LogRedaction.redact("key " + dotted + " at https://u:p@feeds.example.org/rss"))
        .isEqualTo("key " + dotted + " at https://feeds.example.org/rss");
  }

  @Test
  void shouldRemoveUserInfoFromAUrl() {
    assertThat(LogRedaction.redact("fetching https://wire:hunter2@feeds.example.org/rss failed"))
        .isEqualTo("fetching https://feeds.example.org/rss failed");
  }

  @Test
  void shouldMaskSecretQueryParameters() {
    assertThat(
            LogRedaction.redact("GET https://api.example.org/feed?lang=en&api_key=abc123 -> 401"))
        .isEqualTo("GET https://api.example.org/feed?lang=en&api_key=*** -> 401");
  }

  @Test
  void shouldMaskAnAuthorizationHeaderWithItsScheme() {
    assertThat(
            LogRedaction.redact(
                "request headers: Authorization: Bearer eyJhbGciOi.x.y, Accept: */*"))
        .isEqualTo("request headers: Authorization: ***, Accept: */*");
  }

  @Test
  void shouldMaskCredentialHeadersInAPrintedFeedSource() {
    FeedSource source =
        TestFeeds.feed("partner")
            .name("Partner")
            .agency("partner")
            .url("https://partner.example.org/feed")
            .language(null)
            .headers(Map.of("X-Partner-Key", "k-998877", "Cookie", "session=abc"))
            .build();

    String line = LogRedaction.redact("polling " + source);

    assertThat(line)
        .doesNotContain("k-998877")
        .doesNotContain("session=abc")
        .contains("X-Partner-Key=***");
  }

  /**
   * A failed fetch of a feed whose URL ends in a secret parameter logged "cannot connect fetching
   * http://host/rss?api_key=*** ClosedChannelException": the ':' after the URL was read as part of
   * the secret's value and masked with it.
   */
  @Test
  void shouldKeepThePunctuationAfterAUrlEndingInASecret() {
    assertThat(
            LogRedaction.redact(
                "cannot connect fetching http://127.0.0.1:18119/rss?api_key=K8: ClosedChannelException"))
        .isEqualTo(
            "cannot connect fetching http://127.0.0.1:18119/rss?api_key=***: ClosedChannelException");
    assertThat(LogRedaction.redact("HTTP 404 from https://feeds.example.org/rss?token=t0k."))
        .isEqualTo("HTTP 404 from https://feeds.example.org/rss?token=***.");
    assertThat(LogRedaction.redact("(see https://feeds.example.org/rss?sig=abc), then"))
        .isEqualTo("(see https://feeds.example.org/rss?sig=***), then");
    assertThat(LogRedaction.redact("at https://wire:hunter2@feeds.example.org/a.b; next"))
        .isEqualTo("at https://feeds.example.org/a.b; next");
  }

  /** A secret's own last characters are masked with it: "!" and "?" end passwords, not clauses. */
  @Test
  void shouldMaskTheExclamationOrQuestionMarkThatEndsASecret() {
    assertThat(LogRedaction.redact("login failed: password=Summer2024!"))
        .isEqualTo("login failed: password=***");
    assertThat(LogRedaction.redact("password=a!!!!!) next")).isEqualTo("password=***) next");
    assertThat(LogRedaction.redact("see https://feeds.example.org/rss?api_key=k3y?! now"))
        .isEqualTo("see https://feeds.example.org/rss?api_key=*** now");
  }

  @Test
  void shouldMaskAUrlThatIsNotAValidUri() {
    assertThat(LogRedaction.redact("bad https://u:p@host/a b|c?token=zz")).doesNotContain("u:p@");
    assertThat(LogRedaction.redact("bad https://host/a|b?sig=zz"))
        .isEqualTo("bad https://host/a|b?***");
  }

  @Test
  void shouldLeaveOrdinaryTextAlone() {
    String line =
        "feed trtworld-main: ok, 12 entries, 3 published (412 ms) from https://www.trtworld.com/feed/rss.xml";

    assertThat(LogRedaction.redact(line)).isEqualTo(line);
  }

  @Test
  void shouldKeepTheKafkaRequestTypeInAKafkaLogLine() {
    String line =
        "Sending FIND_COORDINATOR request with header RequestHeader(apiKey=FIND_COORDINATOR, apiVersion=6, clientId=wire-1, correlationId=7)";

    assertThat(LogRedaction.redact(line)).isEqualTo(line);
    assertThat(LogRedaction.redact("RequestHeader(apiKey=FETCH)"))
        .isEqualTo("RequestHeader(apiKey=FETCH)");
  }

  @Test
  void shouldStillMaskAnApiKeyThatIsNotAKafkaRequestType() {
    assertThat(
            LogRedaction.redact(
                "apiKey=PRODUCE_SECRET, apiKey=s3cr3t, apikey=PRODUCE, apiKey: PRODUCE"))
        .isEqualTo("apiKey=***, apiKey=***, apikey=***, apiKey: ***");
  }
}
