package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionTest {

  private static String redact(String url) {
    return Redaction.url(URI.create(url));
  }

  @Test
  void shouldRemoveUserInfo() {
    assertThat(redact("https://editor:hunter2@feeds.example.com/rss.xml"))
        .isEqualTo("https://feeds.example.com/rss.xml");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "key",
        "token",
        "apikey",
        "api_key",
        "access_token",
        "password",
        "sig",
        "signature",
        "API_KEY",
        "Token",
        "x-api-key",
        "auth_token",
        "client_secret",
        "session",
        "sid",
        "jsessionid",
        "PHPSESSID",
        "pwd",
        "pass"
      })
  void shouldMaskValueOfSecretQueryParameter(String name) {
    assertThat(redact("https://feeds.example.com/rss?" + name + "=s3cret&cat=world"))
        .isEqualTo("https://feeds.example.com/rss?" + name + "=***&cat=world");
  }

  // Found in an ops test: session ids in the query or as a path parameter were shown in clear.
  @Test
  void shouldMaskASessionIdCarriedAsAPathParameter() {
    assertThat(redact("https://feeds.example.com/rss.xml;jsessionid=JS1SECRET?cat=world"))
        .isEqualTo("https://feeds.example.com/rss.xml;jsessionid=***?cat=world");
    assertThat(redact("https://feeds.example.com/app;JSESSIONID=JS1SECRET/rss"))
        .isEqualTo("https://feeds.example.com/app;JSESSIONID=***/rss");
    assertThat(redact("https://feeds.example.com/rss;version=2"))
        .isEqualTo("https://feeds.example.com/rss;version=2");
  }

  @Test
  void shouldKeepOrdinaryQueryParametersByteForByte() {
    assertThat(redact("https://www.aa.com.tr/en/rss/default?cat=world&q=a%20b&flag"))
        .isEqualTo("https://www.aa.com.tr/en/rss/default?cat=world&q=a%20b&flag");
  }

  @Test
  void shouldMaskEverySecretParameterWhenRepeated() {
    assertThat(redact("http://h/f?sig=a&x=1&sig=b")).isEqualTo("http://h/f?sig=***&x=1&sig=***");
  }

  @Test
  void shouldDropFragment() {
    assertThat(redact("https://h/cb#access_token=s3cret")).isEqualTo("https://h/cb");
  }

  @Test
  void shouldLeaveUrlWithoutSecretsUnchanged() {
    assertThat(redact("https://www.trtworld.com/feed/rss.xml"))
        .isEqualTo("https://www.trtworld.com/feed/rss.xml");
  }

  // Found by a Node.js consumer: a feeds list URL with a non-ASCII path (an IRI, which java.net.URI
  // accepts) was written as it stood into feedUrl, which the event schemas declare format uri
  // (RFC 3986, US-ASCII only): Ajv and networknt rejected those events.
  @Test
  void shouldPercentEncodeNonAsciiCharactersAsUtf8() {
    assertThat(
            redact("https://feeds.example.com.tr/g\u00fcndem.xml?kategori=d\u00fcnya&key=\u00e7"))
        .isEqualTo("https://feeds.example.com.tr/g%C3%BCndem.xml?kategori=d%C3%BCnya&key=***");
    assertThat(redact("https://edit\u00f6r:s3cret@feeds.example.com/rss.xml"))
        .isEqualTo("https://feeds.example.com/rss.xml");
  }

  @Test
  void shouldKeepFileUrlWithoutQuery() {
    assertThat(redact("file:///srv/feeds/a.xml")).isEqualTo("file:///srv/feeds/a.xml");
  }

  @Test
  void shouldHideOpaqueUriContent() {
    assertThat(redact("mailto:desk@example.com")).isEqualTo("mailto:***");
  }

  @Test
  void shouldRenderNullAsNull() {
    assertThat(Redaction.url(null)).isEqualTo("null");
  }
}
