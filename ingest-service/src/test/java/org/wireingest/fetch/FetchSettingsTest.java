package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FetchSettingsTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void shouldProvideDocumentedDefaults() {
    FetchSettings defaults = FetchSettings.defaults();

    assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.totalDeadline()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.maxBodyBytes()).isEqualTo(20L * 1024 * 1024);
    assertThat(defaults.maxRedirects()).isEqualTo(5);
    assertThat(defaults.userAgent())
        .matches("wire-ingest/\\S+ \\(\\+https://github\\.com/wire-ingest/wire-ingest\\)");
    assertThat(defaults.allowFileUrls()).isTrue();
    assertThat(defaults.allowPrivateAddresses()).isFalse();
  }

  @Test
  void shouldSwitchOnlyTheSsrfGuardWithAllowPrivateAddresses() {
    FetchSettings defaults = FetchSettings.defaults();

    FetchSettings allowing = defaults.withAllowPrivateAddresses(true);

    assertThat(allowing.allowPrivateAddresses()).isTrue();
    assertThat(allowing.withAllowPrivateAddresses(false)).isEqualTo(defaults);
  }

  @Test
  void shouldRejectZeroReadTimeoutNamingIt() {
    assertThatThrownBy(
            () -> new FetchSettings(SECOND, Duration.ZERO, SECOND, 1, 0, "ua", true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("readTimeout");
  }

  @Test
  void shouldRejectNegativeTotalDeadline() {
    assertThatThrownBy(
            () ->
                new FetchSettings(SECOND, SECOND, Duration.ofSeconds(-1), 1, 0, "ua", true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("totalDeadline");
  }

  @Test
  void shouldRejectNonPositiveMaxBodyBytes() {
    assertThatThrownBy(() -> new FetchSettings(SECOND, SECOND, SECOND, 0, 0, "ua", true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBodyBytes");
  }

  @Test
  void shouldRejectMaxBodyBytesBeyondOneArray() {
    assertThatThrownBy(
            () ->
                new FetchSettings(SECOND, SECOND, SECOND, Integer.MAX_VALUE, 0, "ua", true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBodyBytes");
  }

  @Test
  void shouldRejectNegativeMaxRedirects() {
    assertThatThrownBy(() -> new FetchSettings(SECOND, SECOND, SECOND, 1, -1, "ua", true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRedirects");
  }

  @Test
  void shouldRejectUserAgentWithLineBreak() {
    assertThatThrownBy(
            () ->
                new FetchSettings(SECOND, SECOND, SECOND, 1, 0, "ua\r\nX-Injected: 1", true, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("userAgent");
  }

  @Test
  void shouldRejectNullConnectTimeoutNamingIt() {
    assertThatThrownBy(() -> new FetchSettings(null, SECOND, SECOND, 1, 0, "ua", true, false))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("connectTimeout");
  }
}
