package org.wireingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FetchErrorsTest {

  private static <T extends Throwable> T causedBy(T error, Throwable cause) {
    error.initCause(cause);
    return error;
  }

  @Test
  void shouldClassifyConnectTimeoutAsTimeout() {
    assertThat(FetchErrors.classify(new HttpConnectTimeoutException("HTTP connect timed out")))
        .isEqualTo(FetchOutcome.TIMEOUT);
  }

  @Test
  void shouldClassifyRequestTimeoutAsTimeout() {
    assertThat(FetchErrors.classify(new HttpTimeoutException("request timed out")))
        .isEqualTo(FetchOutcome.TIMEOUT);
  }

  @Test
  void shouldClassifyUnresolvedAddressWrappedInConnectExceptionAsDns() {
    ConnectException wrapped = causedBy(new ConnectException(), new UnresolvedAddressException());

    assertThat(FetchErrors.classify(wrapped)).isEqualTo(FetchOutcome.DNS);
  }

  @Test
  void shouldClassifyUnknownHostAsDns() {
    assertThat(FetchErrors.classify(new UnknownHostException("feeds.example")))
        .isEqualTo(FetchOutcome.DNS);
  }

  @Test
  void shouldClassifySslFailureWrappedInIoExceptionAsTls() {
    IOException wrapped =
        new IOException("handshake", new SSLHandshakeException("PKIX path building failed"));

    assertThat(FetchErrors.classify(wrapped)).isEqualTo(FetchOutcome.TLS);
  }

  @Test
  void shouldClassifyConnectExceptionAsConnectionRefused() {
    assertThat(FetchErrors.classify(new ConnectException("Connection refused")))
        .isEqualTo(FetchOutcome.CONNECTION_REFUSED);
  }

  @Test
  void shouldClassifyOtherIoExceptionAsIoError() {
    assertThat(FetchErrors.classify(new IOException("connection reset")))
        .isEqualTo(FetchOutcome.IO_ERROR);
  }

  @Test
  void shouldClassifyTheClientsHeaderSizeLimitOverHttp1AndHttp2AsTooLarge() {
    IOException http1 =
        new IOException("wrapped", new ProtocolException("Header size too big: 393217 > 393216"));
    ProtocolException http2 =
        new ProtocolException("Size exceeds MAX_HEADERS_LIST_SIZE: 400000 > 393216");

    assertThat(FetchErrors.classify(http1)).isEqualTo(FetchOutcome.TOO_LARGE);
    assertThat(FetchErrors.classify(http2)).isEqualTo(FetchOutcome.TOO_LARGE);
  }

  @Test
  void shouldKeepOtherProtocolErrorsAsIoErrors() {
    assertThat(FetchErrors.classify(new ProtocolException("Invalid status line: \"HTTP/1.1\"")))
        .isEqualTo(FetchOutcome.IO_ERROR);
    assertThat(FetchErrors.classify(new ProtocolException())).isEqualTo(FetchOutcome.IO_ERROR);
  }
}
