package org.wireingest.fetch;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Classifies the exceptions of {@code java.net.http} and file I/O into {@link FetchOutcome}s. The
 * whole cause chain is searched, because the HTTP client wraps the root cause (a {@code
 * ConnectException} around an {@code UnresolvedAddressException}, for example). Failure messages
 * quote the exception with {@link org.wireingest.model.ErrorText#describe}, as every other message
 * of the service does. Thread-safe (stateless).
 */
final class FetchErrors {

  /** Deepest cause chain followed; guards against cyclic chains. */
  private static final int MAX_CHAIN = 16;

  /**
   * How the JDK's HTTP client words a response header section over its limit ({@code
   * jdk.http.maxHeaderSize}, 393,216 bytes by default): HTTP/1.1 ({@code Http1HeaderParser}) and
   * HTTP/2 ({@code hpack.DecodingCallback}), the same on Java 17.0.15 and 25. Not an API: a JDK
   * that words it otherwise makes such a response an {@code io-error} again, as before.
   */
  private static final List<String> HEADER_SIZE_MESSAGES =
      List.of("Header size too big: ", "Size exceeds MAX_HEADERS_LIST_SIZE: ");

  private FetchErrors() {}

  /**
   * @param error what the HTTP client or the body stream threw; never null
   * @return {@link FetchOutcome#TIMEOUT} for {@link HttpTimeoutException} (connect timeouts
   *     included), {@link FetchOutcome#DNS} for {@link UnresolvedAddressException} or {@link
   *     UnknownHostException}, {@link FetchOutcome#TLS} for {@link SSLException}, {@link
   *     FetchOutcome#CONNECTION_REFUSED} for {@link ConnectException} or {@link
   *     NoRouteToHostException}, {@link FetchOutcome#TOO_LARGE} for the {@link ProtocolException}
   *     of a response header section over the HTTP client's limit, and {@link
   *     FetchOutcome#IO_ERROR} otherwise; the first rule that matches anywhere in the cause chain
   *     wins, in that order
   */
  static FetchOutcome classify(Throwable error) {
    if (causedBy(error, HttpTimeoutException.class)) {
      return FetchOutcome.TIMEOUT;
    }
    if (causedBy(error, UnresolvedAddressException.class)
        || causedBy(error, UnknownHostException.class)) {
      return FetchOutcome.DNS;
    }
    if (causedBy(error, SSLException.class)) {
      return FetchOutcome.TLS;
    }
    if (causedBy(error, ConnectException.class) || causedBy(error, NoRouteToHostException.class)) {
      return FetchOutcome.CONNECTION_REFUSED;
    }
    if (isHeaderSectionTooLarge(error)) {
      return FetchOutcome.TOO_LARGE;
    }
    return FetchOutcome.IO_ERROR;
  }

  private static boolean isHeaderSectionTooLarge(Throwable error) {
    Throwable current = error;
    for (int depth = 0;
        current != null && depth < MAX_CHAIN;
        depth++, current = current.getCause()) {
      if (current instanceof ProtocolException && current.getMessage() != null) {
        for (String prefix : HEADER_SIZE_MESSAGES) {
          if (current.getMessage().startsWith(prefix)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    Throwable current = error;
    for (int depth = 0;
        current != null && depth < MAX_CHAIN;
        depth++, current = current.getCause()) {
      if (type.isInstance(current)) {
        return true;
      }
    }
    return false;
  }
}
