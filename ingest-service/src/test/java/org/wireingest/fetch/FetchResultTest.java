package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.fetch.FetchResult.Failed;
import org.wireingest.fetch.FetchResult.Fetched;

class FetchResultTest {

  private static final URI URL = URI.create("https://feeds.example.com/rss?token=s3cret");

  @Test
  void shouldRejectFailureWithSuccessOutcome() {
    assertThatThrownBy(() -> new Failed(FetchOutcome.OK, "m", 200, Duration.ZERO, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldCompareFetchedBodiesByContent() {
    Fetched first =
        new Fetched(URL, 200, new byte[] {1, 2}, null, null, null, Duration.ZERO, null, null, null);
    Fetched second =
        new Fetched(URL, 200, new byte[] {1, 2}, null, null, null, Duration.ZERO, null, null, null);

    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
  }

  @Test
  void shouldNotShowBodyOrSecretsInFetchedToString() {
    Fetched fetched =
        new Fetched(
            URL, 200, new byte[] {'<', 'r'}, null, null, null, Duration.ZERO, null, null, null);

    assertThat(fetched.toString())
        .contains("body=2 bytes")
        .contains("token=***")
        .doesNotContain("s3cret");
  }

  @Test
  void shouldNotShowHeaderValuesOrSecretsInRequestToString() {
    FetchRequest request =
        new FetchRequest(URL, null, null, Map.of("Authorization", "Bearer hunter2"));

    assertThat(request.toString())
        .contains("Authorization")
        .doesNotContain("hunter2")
        .doesNotContain("s3cret");
  }

  @Test
  void shouldReadNullHeadersAsEmpty() {
    assertThat(new FetchRequest(URL, null, null, null).headers()).isEmpty();
  }
}
