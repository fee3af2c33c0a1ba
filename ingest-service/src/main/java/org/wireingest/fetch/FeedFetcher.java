package org.wireingest.fetch;

import static org.wireingest.fetch.ResponseHeaders.contentLength;
import static org.wireingest.fetch.ResponseHeaders.contentType;
import static org.wireingest.fetch.ResponseHeaders.freshFor;
import static org.wireingest.fetch.ResponseHeaders.joinedValues;
import static org.wireingest.fetch.ResponseHeaders.kept;
import static org.wireingest.fetch.ResponseHeaders.lastModified;
import static org.wireingest.fetch.ResponseHeaders.maxAge;
import static org.wireingest.fetch.ResponseHeaders.serverNow;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.fetch.FetchResult.Failed;
import org.wireingest.fetch.FetchResult.Fetched;
import org.wireingest.fetch.FetchResult.NotModified;
import org.wireingest.model.ErrorText;
import org.wireingest.text.StrictDecoding;
import org.wireingest.text.UriReferences;

/**
 * Fetches feed documents over HTTP(S) and from {@code file:} URLs, returning a {@link FetchResult}
 * value for every outcome.
 *
 * <p>HTTP behaviour (RFC 9110):
 *
 * <ul>
 *   <li>Conditional GET: the request's ETag is sent as {@code If-None-Match} and its Last-Modified
 *       as {@code If-Modified-Since}; a 304 gives {@link NotModified}, keeping the request's
 *       validators when the response omits them. A {@code Last-Modified} later than the response's
 *       {@code Date} (RFC 9110 §8.8.2.1) is not kept. A 304 to a request without validators (RFC
 *       9110 §15.4.5: it answers conditional requests only) gives {@link FetchOutcome#IO_ERROR}.
 *   <li>Redirects (301, 302, 303, 307, 308) are followed here, not by the HTTP client: at most
 *       {@link FetchSettings#maxRedirects()}, relative {@code Location}s resolved against the
 *       current URL, each target checked again for the {@code http}/{@code https} scheme (so a
 *       redirect can never reach a {@code file:}) and against the SSRF guard; a loop or one
 *       redirect too many gives {@link FetchOutcome#TOO_MANY_REDIRECTS}. A URL that has moved
 *       permanently (301 / 308 from the requested URL on) is reported in {@link Fetched#movedTo()}
 *       and {@link NotModified#movedTo()}, for the feeds list to be updated; it is never changed
 *       here.
 *   <li>Headers sent: {@code User-Agent}, {@code Accept} (feed types first), {@code
 *       Accept-Encoding: gzip}, the request's extra headers (which may replace {@code User-Agent}
 *       and {@code Accept}), and the conditional headers. Extra headers are secrets: they are sent
 *       only to the request's own host, and never from {@code https} down to {@code http}, so a
 *       redirect to another host does not leak credentials.
 *   <li>Bodies are decoded from {@code gzip}/{@code deflate} while they stream, and reading stops
 *       as soon as the decoded size exceeds {@link FetchSettings#maxBodyBytes()} (a declared {@code
 *       Content-Length} above it is refused before reading). A response with both {@code
 *       Transfer-Encoding} and {@code Content-Length} is {@link FetchOutcome#IO_ERROR} (RFC 9112
 *       §6.3), never read by either.
 *   <li>Time: {@link FetchSettings#connectTimeout()} per connection, {@link
 *       FetchSettings#readTimeout()} for the response headers and for each chunk of the body, and
 *       {@link FetchSettings#totalDeadline()} for the whole fetch, body streaming included.
 *   <li>{@code Retry-After} is read on 429 and 503, {@code Cache-Control: max-age} on 2xx and 304
 *       (RFC 9111 §4.3.4: a 304 without {@code Cache-Control} keeps the stored response's, {@link
 *       FetchRequest#maxAge()}), else {@code Expires} less {@code Date} (§4.2.1), less the
 *       response's {@code Age} when a cache served it (RFC 9111 §4.2.3; the first of several,
 *       §5.1).
 *   <li>User-info in a URL ({@code user:password@}) is sent as HTTP Basic authentication (RFC
 *       7617), like the extra headers to the feed's own host only, unless the extra headers set an
 *       {@code Authorization}.
 *   <li>{@code https} requests offer HTTP/2 (ALPN); {@code http} requests use HTTP/1.1, so no
 *       {@code h2c} upgrade is attempted on plain connections.
 * </ul>
 *
 * <p>{@code file:} URLs (when {@link FetchSettings#allowFileUrls()}) are read with the same size
 * cap; the file's modification time, as an IMF-fixdate, is its Last-Modified (none when it is less
 * than 2 s before the read: a write later in the same second would carry the same one), and a
 * request whose Last-Modified equals it gives {@link NotModified}. Status is 0.
 *
 * <p>SSRF guard: unless {@link FetchSettings#allowPrivateAddresses()}, the host of every hop (the
 * feed URL and each redirect target) is resolved and every one of its addresses checked by {@link
 * AddressGuard} before the request is sent; a loopback, link-local (cloud metadata), private, CGNAT
 * or otherwise non-public address gives {@link FetchOutcome#BLOCKED_ADDRESS}, naming the range, and
 * nothing is sent to it. A host with any blocked address is refused, so a name that resolves to one
 * public and one private address cannot be used to reach the private one.
 *
 * <p>Residual risk, DNS rebinding: {@code java.net.http.HttpClient} cannot be told which address to
 * connect to, so it resolves the host again when it opens a connection. The check's lookup fills
 * the JVM's address cache ({@code networkaddress.cache.ttl}, 30 s by default), and the client's
 * lookup a few milliseconds later is normally answered from it with the same addresses; but a cache
 * entry that expires between check and connect (a resolver then answering with another address), or
 * a JVM configured with {@code networkaddress.cache.ttl=0}, is not covered. Deployments that must
 * rule rebinding out entirely also need an egress firewall (or an HTTP proxy) that refuses these
 * ranges.
 *
 * <p>Thread-safe: one instance serves any number of threads (connections are pooled). Close it when
 * done; on Java 21+ that closes the HTTP client, on Java 17 the client's threads and connections
 * are released when the fetcher is garbage-collected.
 */
public final class FeedFetcher implements AutoCloseable {

  /** The {@code Accept} header sent: feed media types first (RFC 9110 §12.5.1). */
  public static final String ACCEPT =
      "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";

  private static final Logger LOG = LoggerFactory.getLogger(FeedFetcher.class);
  private static final Predicate<InetAddress> ALLOW_ALL = address -> true;
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  /** Where {@link #fetch(FetchRequest)} reserves: fetches outside a poller are not limited. */
  private static final BodyBudget NO_BUDGET = BodyBudget.unlimited();

  /**
   * How long before a read a {@code file:}'s modification time must lie to be given as its
   * Last-Modified: 2 s, so that no later write can carry the same whole-second time (file systems
   * keep 1 ns to 2 s).
   */
  private static final Duration FILE_TIME_SETTLED = Duration.ofSeconds(2);

  private final FetchSettings settings;
  private final Predicate<InetAddress> addressFilter;
  private final HttpClient client;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * A fetcher whose SSRF guard follows {@link FetchSettings#allowPrivateAddresses()}: {@link
   * AddressGuard#PUBLIC_ONLY} when false, no check (and no extra lookup) when true.
   *
   * @param settings the limits and identity to use; never null
   */
  public FeedFetcher(FetchSettings settings) {
    this(settings, settings.allowPrivateAddresses() ? ALLOW_ALL : AddressGuard.PUBLIC_ONLY);
  }

  /**
   * A fetcher that refuses to contact addresses the given filter rejects, in place of the guard
   * {@link FetchSettings#allowPrivateAddresses()} would choose (which is then ignored); for tests
   * and for deployments with their own allow-list, e.g. {@code AddressGuard.PUBLIC_ONLY.or(a ->
   * a.equals(feedMirror))}.
   *
   * @param settings the limits and identity to use; never null
   * @param addressFilter true for an address that may be contacted; called from fetching threads,
   *     so it must be thread-safe; never null
   */
  public FeedFetcher(FetchSettings settings, Predicate<InetAddress> addressFilter) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.addressFilter = Objects.requireNonNull(addressFilter, "addressFilter");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * @return the settings this fetcher was built with
   */
  public FetchSettings settings() {
    return settings;
  }

  /**
   * Fetches one feed document. Blocks the calling thread for at most about {@link
   * FetchSettings#totalDeadline()} (plus a connect timeout already under way).
   *
   * @param request what to fetch; never null
   * @return {@link Fetched}, {@link NotModified} or {@link Failed}; never null. Network, server and
   *     file-system problems are {@link Failed} values, never exceptions; an interrupted thread
   *     gets a {@link Failed} of {@link FetchOutcome#IO_ERROR} with its interrupt flag set
   * @throws IllegalStateException when the fetcher is closed
   */
  public FetchResult fetch(FetchRequest request) {
    try (BodyBudget.Claim claim = NO_BUDGET.claim()) {
      return fetch(request, claim);
    }
  }

  /**
   * As {@link #fetch(FetchRequest)}, reserving the body's size in {@code claim} ({@link
   * BodyBudget.Claim#reserve}) before more than its first {@value ContentDecoding#UNRESERVED_BYTES}
   * bytes are read (a body within them reserves nothing): the declared {@code Content-Length} of an
   * uncompressed response, or a file's size; for a compressed or chunked body, an estimate from the
   * feed's last body ({@link FetchRequest#expectedBodyBytes()}; 1 MiB without one), grown as the
   * body outgrows it, and never waited for while part of the budget is held ({@link
   * BodyReservation} explains the estimate, growth and fallback to the cap). Every wait for room
   * counts against {@link FetchSettings#totalDeadline()}; when it runs out the result is a {@link
   * Failed} of {@link FetchOutcome#TIMEOUT} saying so. Whatever was reserved is cut down to the
   * body's length once it is read. Whatever the outcome but {@link Fetched} (and whatever is
   * thrown), the claim is closed before this returns; after a {@link Fetched} it holds the body's
   * length (clamped to the budget), for the caller to close once it no longer needs the body and
   * what it made of it.
   *
   * @param request what to fetch; never null
   * @param claim where the body's bytes are reserved; empty ({@link BodyBudget.Claim#isEmpty}),
   *     never null
   * @return as {@link #fetch(FetchRequest)}
   * @throws IllegalStateException when the fetcher is closed, or the claim is not empty (then it is
   *     left as it is)
   */
  public FetchResult fetch(FetchRequest request, BodyBudget.Claim claim) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(claim, "claim");
    if (closed.get()) {
      throw new IllegalStateException("the feed fetcher is closed");
    }
    if (!claim.isEmpty()) {
      // checked here, not at the reservation: a body within its first chunk reserves nothing,
      // and its shrink would give back part of what the claim holds for another use
      throw new IllegalStateException("a fetch takes an empty claim: this one has reserved");
    }
    FetchResult result = new Attempt(request, claim).run();
    if (LOG.isDebugEnabled()) {
      if (result instanceof Failed failed) {
        LOG.debug(
            "fetch {} failed: {} ({} ms): {}",
            Redaction.url(request.url()),
            failed.outcome().code(),
            failed.elapsed().toMillis(),
            failed.message());
      } else {
        LOG.debug(
            "fetch {}: {} ({} ms)",
            Redaction.url(request.url()),
            result.outcome().code(),
            result.elapsed().toMillis());
      }
    }
    return result;
  }

  /** Refuses further fetches and, on Java 21+, closes the HTTP client. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && client instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("closing the HTTP client failed: {}", ErrorText.describe(e));
      }
    }
  }

  private static String scheme(URI url) {
    return url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
  }

  private static boolean isHttp(URI url) {
    String scheme = scheme(url);
    return scheme.equals("http") || scheme.equals("https");
  }

  /**
   * Longest response header value kept as a validator or content type ({@code ETag}, {@code
   * Last-Modified}, {@code Content-Type}), in characters: {@value}; a longer validator is treated
   * as absent, a longer content type cut ({@link ResponseHeaders#contentType}). Real ones are under
   * 100. A 300 KB {@code ETag} went into every raw item of the poll (+67 MB per poll of 200 items)
   * and, sent back as {@code If-None-Match}, had servers answer 431 at every later poll; a stored
   * one longer than this is not sent.
   */
  static final int MAX_KEPT_HEADER_CHARS = 1024;

  /**
   * Longest redirect {@code Location} followed, in characters: {@value}, the URI length RFC 9110
   * §4.1 asks every recipient to support. The final URL is kept in every raw item and the feed
   * state.
   */
  static final int MAX_LOCATION_CHARS = 8000;

  /**
   * Resolves a {@code Location} value (RFC 9110 §10.2.2) against the URL that answered, as RFC 3986
   * §5 says ({@link UriReferences#resolve}): {@code ?page=2} from {@code /news/feed.xml} is {@code
   * /news/feed.xml?page=2}, and an empty one is that URL itself (a loop). {@link URI#resolve(URI)},
   * which follows RFC 2396, made those {@code /news/?page=2} and {@code /news/}, another resource,
   * and sent {@code ..} segments above the root to the server.
   *
   * @return the absolute target; empty when the value is not a valid URI reference
   */
  private static Optional<URI> resolve(URI base, String location) {
    try {
      return Optional.of(UriReferences.resolve(base, new URI(utf8(location.trim()))));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * A header value as the UTF-8 its bytes spell, when they are UTF-8: the HTTP client gives each
   * byte of a header as one character (ISO-8859-1), and a {@code Location} of {@code /gündem.xml}
   * sent as raw UTF-8, as some servers do (browsers and curl follow it), became {@code
   * /gÃ¼ndem.xml}, requested as {@code /g%C3%83%C2%BCndem.xml}. Any other value is kept as it is.
   */
  private static String utf8(String value) {
    if (value.chars().allMatch(c -> c < 0x80)) {
      return value;
    }
    if (value.chars().anyMatch(c -> c > 0xFF)) {
      return value;
    }
    return StrictDecoding.decode(
            value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)
        .orElse(value);
  }

  /** A header value quoted in a message: its first 40 characters and "..." when longer. */
  static String shown(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }

  private static String describeOutcome(FetchOutcome outcome) {
    return switch (outcome) {
      case TIMEOUT -> "timed out";
      case DNS -> "cannot resolve host";
      case TLS -> "TLS failure";
      case CONNECTION_REFUSED -> "cannot connect";
      case TOO_LARGE -> "response headers over the HTTP client's limit";
      default -> "I/O error";
    };
  }

  /**
   * One call of {@link #fetch}: the request, its start time and deadline. Confined to one thread.
   */
  private final class Attempt {
    private final FetchRequest request;
    private final BodyBudget.Claim claim;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos = startNanos + settings.totalDeadline().toNanos();
    private final BodyReservation reservation;

    /** The URL of the hop being fetched; null before the first. */
    private URI current;

    Attempt(FetchRequest request, BodyBudget.Claim claim) {
      this.request = request;
      this.claim = claim;
      this.reservation =
          new BodyReservation(
              claim,
              deadlineNanos,
              settings,
              request.expectedBodyBytes(),
              (outcome, message, status) -> failed(outcome, message, status, null));
    }

    /**
     * Fetches; the claim keeps the body's length after a {@link Fetched}, and nothing after any
     * other outcome (a timeout, an over-cap body, a failed read) or exception.
     */
    FetchResult run() {
      FetchResult result = null;
      try {
        result = fetchAny();
        return result;
      } finally {
        if (result instanceof Fetched fetched) {
          claim.shrinkTo(fetched.body().length);
        } else {
          claim.close();
        }
      }
    }

    private FetchResult fetchAny() {
      URI url = request.url();
      String scheme = scheme(url);
      if (isHttp(url)) {
        return fetchHttp();
      }
      if (scheme.equals("file") && settings.allowFileUrls()) {
        return fetchFile();
      }
      String reason =
          url.isAbsolute() ? "unsupported URL scheme '" + scheme + "'" : "URL is not absolute";
      return failed(FetchOutcome.UNSUPPORTED_SCHEME, reason + ": " + Redaction.url(url), 0, null);
    }

    private FetchResult fetchHttp() {
      URI url = request.url();
      String originHost = url.getHost();
      int originPort = port(url);
      boolean originSecure = scheme(url).equals("https");
      Map<String, String> extraHeaders = withBasicAuth(url, request.headers());
      Set<URI> visited = new HashSet<>();
      // Where the requested URL moved permanently, as far as an unbroken run of 301 / 308 from it
      // leads.
      URI movedTo = null;
      boolean permanentSoFar = true;
      for (int redirects = 0; ; redirects++) {
        visited.add(sameResource(url));
        current = url;
        if (url.getHost() == null) {
          return invalidUrl(url);
        }
        Optional<Failed> blocked = checkAddresses(url);
        if (blocked.isPresent()) {
          return blocked.get();
        }
        long remainingNanos = deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0) {
          return failed(
              FetchOutcome.TIMEOUT,
              "total deadline of "
                  + settings.totalDeadline().toMillis()
                  + " ms ran out before requesting "
                  + Redaction.url(url),
              0,
              null);
        }
        // The feed's own host and port (its origin, RFC 6454, but for an upgrade to https): not a
        // redirect's other server.
        boolean sendExtraHeaders =
            url.getHost().equalsIgnoreCase(originHost)
                && (port(url) == originPort
                    || scheme(url).equals("https") && !originSecure && port(url) == 443)
                && (!originSecure || scheme(url).equals("https"));
        long headersWithinNanos = Math.min(remainingNanos, settings.readTimeout().toNanos());
        HttpRequest.Builder builder;
        try {
          builder = requestBuilder(url, Duration.ofNanos(headersWithinNanos));
        } catch (IllegalArgumentException e) {
          return invalidUrl(url);
        }
        if (sendExtraHeaders) {
          for (Map.Entry<String, String> header : extraHeaders.entrySet()) {
            try {
              builder.setHeader(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
              return failed(
                  FetchOutcome.IO_ERROR,
                  "extra request header '"
                      + header.getKey()
                      + "' cannot be sent (restricted name or invalid value) to "
                      + Redaction.url(url),
                  0,
                  null);
            }
          }
        }
        setFetcherHeaders(builder);

        HttpResponse<InputStream> response;
        try {
          response =
              client.send(
                  builder.build(),
                  info ->
                      new DeadlineBodySubscriber(settings.readTimeout().toNanos(), deadlineNanos));
        } catch (HttpConnectTimeoutException e) {
          return failedBy(e, url, 0);
        } catch (HttpTimeoutException e) {
          // The JDK says only "request timed out": say which wait ran out.
          boolean deadline = headersWithinNanos < settings.readTimeout().toNanos();
          return failed(
              FetchOutcome.TIMEOUT,
              "timed out fetching "
                  + Redaction.url(url)
                  + ": no response headers within "
                  + Duration.ofNanos(headersWithinNanos).toMillis()
                  + " ms ("
                  + (deadline ? "total deadline" : "read timeout")
                  + ")",
              0,
              null);
        } catch (IOException | UnresolvedAddressException e) {
          return failedBy(e, url, 0);
        } catch (IllegalArgumentException e) {
          if (e.getCause() instanceof NumberFormatException number) {
            // The client reads Content-Length as one number and throws this, wrapped, for any
            // other value, such as the list "120, 120" (RFC 9110 §8.6): the answer is at fault,
            // not the URL.
            return failed(
                FetchOutcome.IO_ERROR,
                "the response from "
                    + Redaction.url(url)
                    + " has a Content-Length the client cannot read as one number ("
                    + shown(String.valueOf(number.getMessage()))
                    + "): its body's length is unknown, not read",
                0,
                null);
          }
          // The client refuses some URLs java.net.URI accepts, such as a port above 65535.
          return invalidUrl(url);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return failed(
              FetchOutcome.IO_ERROR, "interrupted while fetching " + Redaction.url(url), 0, null);
        }

        int status = response.statusCode();
        try (InputStream body = response.body()) {
          Optional<String> location = response.headers().firstValue("Location");
          if (!REDIRECT_STATUSES.contains(status) || location.isEmpty()) {
            return complete(url, response, body, movedTo);
          }
          String from = "HTTP " + status + " from " + Redaction.url(url);
          if (location.get().length() > MAX_LOCATION_CHARS) {
            return failed(
                FetchOutcome.IO_ERROR,
                from
                    + " has a Location header of "
                    + location.get().length()
                    + " characters, over the "
                    + MAX_LOCATION_CHARS
                    + " a URL may have here",
                status,
                null);
          }
          Optional<URI> next = resolve(url, location.get());
          if (next.isEmpty()) {
            return failed(
                FetchOutcome.IO_ERROR, from + " has an invalid Location header", status, null);
          }
          URI target = next.get();
          if (!isHttp(target)) {
            return failed(
                FetchOutcome.UNSUPPORTED_SCHEME,
                from + " redirects to unsupported scheme '" + scheme(target) + "'",
                status,
                null);
          }
          if (visited.contains(sameResource(target))) {
            return failed(
                FetchOutcome.TOO_MANY_REDIRECTS,
                from + " loops back to " + Redaction.url(target),
                status,
                null);
          }
          if (redirects >= settings.maxRedirects()) {
            return failed(
                FetchOutcome.TOO_MANY_REDIRECTS,
                from
                    + " would be redirect "
                    + (redirects + 1)
                    + ", more than the limit of "
                    + settings.maxRedirects(),
                status,
                null);
          }
          LOG.debug("following {} to {}", from, Redaction.url(target));
          permanentSoFar = permanentSoFar && FetchResult.isPermanentRedirect(status);
          if (permanentSoFar) {
            movedTo = target;
          }
          url = target;
        } catch (IOException e) {
          return failedBy(e, url, status);
        }
      }
    }

    /**
     * The URL the redirect-loop check compares, equal for two spellings of one resource (RFC 3986
     * §6.2.2–6.2.3, RFC 9110 §4.2.3): the default port written or not, an empty path as {@code /},
     * dot segments removed as RFC 3986 §5.2.4 says ({@link UriReferences#withoutDotSegments}),
     * user-info and fragment left out; {@link URI#equals} then takes scheme, host and
     * percent-escapes case-insensitively. {@code http://127.0.0.1:8080} and {@code
     * http://127.0.0.1:8080/news/../} name the resource {@code http://127.0.0.1:8080/}: a redirect
     * between them had been followed once before the loop was seen. Empty segments stay: {@code
     * /news//feed} and {@code /news/feed} are two resources, and a server that merges slashes
     * redirects from one to the other ({@link URI#normalize()} merged them, and made that a loop).
     *
     * @param url an absolute http or https URL, not null
     * @return the URL to compare, never null
     */
    private static URI sameResource(URI url) {
      String host = url.getHost() == null ? "" : url.getHost();
      String rawPath = url.getRawPath();
      String path =
          rawPath == null || rawPath.isEmpty() ? "/" : UriReferences.withoutDotSegments(rawPath);
      String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
      return URI.create(scheme(url) + "://" + host + ":" + port(url) + path + query);
    }

    /**
     * @return the URL's port, or its scheme's default (80, 443)
     */
    private static int port(URI url) {
      return url.getPort() >= 0 ? url.getPort() : scheme(url).equals("https") ? 443 : 80;
    }

    /**
     * The request's extra headers, plus HTTP Basic authentication (RFC 7617: {@code user:password}
     * UTF-8, Base64) from the feed URL's user-info when it has one and the extra headers set no
     * {@code Authorization}: the HTTP client itself ignores user-info. Like the extra headers, it
     * goes to the feed's own host only.
     */
    private static Map<String, String> withBasicAuth(URI url, Map<String, String> headers) {
      String userInfo = url.getUserInfo();
      if (userInfo == null
          || userInfo.isEmpty()
          || headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
        return headers;
      }
      // RFC 7617 credentials are user-id ":" password; a URL with a user only (https://token@host/)
      // has an empty password.
      String credentials = userInfo.indexOf(':') >= 0 ? userInfo : userInfo + ":";
      Map<String, String> out = new LinkedHashMap<>(headers);
      out.put(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
      return out;
    }

    private HttpRequest.Builder requestBuilder(URI url, Duration timeout) {
      return HttpRequest.newBuilder(url)
          .GET()
          .timeout(timeout)
          .version(
              scheme(url).equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
          .setHeader("User-Agent", settings.userAgent())
          .setHeader("Accept", ACCEPT);
    }

    /** The headers the fetcher owns; set last so extra headers cannot replace them. */
    private void setFetcherHeaders(HttpRequest.Builder builder) {
      builder.setHeader("Accept-Encoding", "gzip");
      if (request.etag() != null && request.etag().length() <= MAX_KEPT_HEADER_CHARS) {
        builder.setHeader("If-None-Match", request.etag());
      }
      if (request.lastModified() != null
          && request.lastModified().length() <= MAX_KEPT_HEADER_CHARS) {
        builder.setHeader("If-Modified-Since", request.lastModified());
      }
    }

    /**
     * The final response (not a redirect): a body, a 304 or a failure status; {@code movedTo} as
     * {@link Fetched#movedTo()}.
     */
    private FetchResult complete(
        URI url, HttpResponse<InputStream> response, InputStream body, URI movedTo)
        throws IOException {
      int status = response.statusCode();
      HttpHeaders headers = response.headers();
      if (status == 304) {
        if (request.etag() == null && request.lastModified() == null) {
          // RFC 9110 §15.4.5: a 304 answers a conditional request only; taken as "nothing new",
          // a feed answered so would never be read, and would still count as healthy.
          return failed(
              FetchOutcome.IO_ERROR,
              "HTTP 304 Not Modified from "
                  + Redaction.url(url)
                  + " to a request without validators (no If-None-Match / If-Modified-Since): no body to read;"
                  + " the server or a cache in front of it is misconfigured",
              status,
              null);
        }
        // RFC 9111 §4.3.4: the 304's Cache-Control replaces the stored one; without, it is kept
        Duration maxAge =
            headers.firstValue("Cache-Control").isPresent() ? maxAge(headers) : request.maxAge();
        return new NotModified(
            url,
            Optional.ofNullable(kept(headers, "ETag")).orElse(request.etag()),
            Optional.ofNullable(lastModified(headers)).orElse(request.lastModified()),
            elapsed(),
            freshFor(maxAge, headers),
            maxAge,
            movedTo);
      }
      FetchOutcome outcome = FetchOutcome.forStatus(status);
      if (outcome != FetchOutcome.OK) {
        Duration retryAfter = null;
        String retryNote = "";
        if (status == 429 || status == 503) {
          Instant serverNow = serverNow(headers);
          String value = headers.firstValue("Retry-After").orElse(null);
          retryAfter = ResponseHeaders.retryAfter(value, serverNow);
          retryNote = retryNote(value, retryAfter);
        }
        String detail = status >= 300 && status <= 399 ? " without a usable Location header" : "";
        return failed(
            outcome,
            "HTTP " + status + detail + " from " + Redaction.url(url) + retryNote,
            status,
            retryAfter);
      }
      Optional<String> unreadable = ResponseFraming.unreadable(headers, status, Redaction.url(url));
      if (unreadable.isPresent()) {
        return failed(FetchOutcome.IO_ERROR, unreadable.get(), status, null);
      }
      String encoding = joinedValues(headers, "Content-Encoding");
      boolean identity = ContentDecoding.isIdentity(encoding);
      long declaredLength = identity ? contentLength(headers) : -1;
      if (declaredLength > settings.maxBodyBytes()) {
        return failed(
            FetchOutcome.TOO_LARGE,
            "Content-Length "
                + declaredLength
                + " exceeds the limit of "
                + settings.maxBodyBytes()
                + " bytes from "
                + Redaction.url(url),
            status,
            null);
      }
      // The decoded size of a compressed or chunked body is known once read: an estimate until
      // then.
      ContentDecoding.Growth growth =
          declaredLength >= 0
              ? reservation.knownLength(declaredLength, url, status)
              : reservation.unknownLength(url, status);
      Optional<byte[]> bytes;
      try (InputStream decoded = ContentDecoding.decode(body, encoding)) {
        bytes =
            ContentDecoding.readAtMost(decoded, settings.maxBodyBytes(), declaredLength, growth);
      } catch (BodyReservation.NoRoom e) {
        return e.failure();
      }
      if (bytes.isEmpty()) {
        return failed(
            FetchOutcome.TOO_LARGE,
            "body exceeds the limit of "
                + settings.maxBodyBytes()
                + " bytes"
                + (identity ? "" : " (decoded)")
                + " from "
                + Redaction.url(url),
            status,
            null);
      }
      Duration maxAge = maxAge(headers);
      return new Fetched(
          url,
          status,
          bytes.get(),
          kept(headers, "ETag"),
          lastModified(headers),
          contentType(headers),
          elapsed(),
          freshFor(maxAge, headers),
          maxAge,
          movedTo);
    }

    /**
     * What the server asked with {@code Retry-After}, for the failure message: the wait, or that
     * the value was not understood.
     */
    private static String retryNote(String value, Duration retryAfter) {
      if (value == null || value.isBlank()) {
        return "";
      }
      String given = value.strip();
      String shown = shown(given);
      if (retryAfter == null) {
        return " (Retry-After '" + shown + "' ignored: neither seconds nor an HTTP-date)";
      }
      // Seconds as the server wrote them: the parsed value saturates at 2^31 - 1.
      boolean seconds = ResponseHeaders.isDigits(given);
      return " (Retry-After: " + (seconds ? shown : retryAfter.toSeconds()) + " s)";
    }

    private Optional<Failed> checkAddresses(URI url) {
      if (addressFilter == ALLOW_ALL) {
        return Optional.empty();
      }
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(url.getHost());
      } catch (UnknownHostException e) {
        return Optional.of(failedBy(e, url, 0));
      }
      for (InetAddress address : addresses) {
        if (!addressFilter.test(address)) {
          String range = AddressGuard.blockedRange(address).map(r -> " (" + r + ")").orElse("");
          return Optional.of(
              failed(
                  FetchOutcome.BLOCKED_ADDRESS,
                  "address "
                      + address.getHostAddress()
                      + range
                      + " of "
                      + Redaction.url(url)
                      + " is blocked",
                  0,
                  null));
        }
      }
      return Optional.empty();
    }

    private FetchResult fetchFile() {
      URI url = request.url();
      Path path;
      try {
        path = Path.of(url);
      } catch (IllegalArgumentException e) {
        return invalidUrl(url);
      }
      try {
        Instant readAt = Instant.now();
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
          return failed(
              FetchOutcome.IO_ERROR, "not a regular file: " + Redaction.url(url), 0, null);
        }
        Instant modified = attributes.lastModifiedTime().toInstant();
        String lastModified = ResponseHeaders.imfFixdate(modified);
        if (lastModified.equals(request.lastModified())) {
          return new NotModified(url, request.etag(), lastModified, elapsed(), null, null, null);
        }
        if (attributes.size() > settings.maxBodyBytes()) {
          return failed(
              FetchOutcome.TOO_LARGE,
              "file of "
                  + attributes.size()
                  + " bytes exceeds the limit of "
                  + settings.maxBodyBytes()
                  + " bytes: "
                  + Redaction.url(url),
              0,
              null);
        }
        Optional<byte[]> bytes;
        try (InputStream in = Files.newInputStream(path)) {
          bytes =
              ContentDecoding.readAtMost(
                  in,
                  settings.maxBodyBytes(),
                  attributes.size(),
                  reservation.knownLength(attributes.size(), url, 0));
        } catch (BodyReservation.NoRoom e) {
          return e.failure();
        }
        if (bytes.isEmpty()) {
          return failed(
              FetchOutcome.TOO_LARGE,
              "file grew beyond the limit of "
                  + settings.maxBodyBytes()
                  + " bytes while read: "
                  + Redaction.url(url),
              0,
              null);
        }
        // An IMF-fixdate has whole seconds: a file written again after this read, in the same
        // second (or the next, where the file system keeps 2 s), has the same one, and kept as a
        // validator it would answer "not modified" to the new content until it changed once more.
        String validator =
            Duration.between(modified, readAt).compareTo(FILE_TIME_SETTLED) > 0
                ? lastModified
                : null;
        return new Fetched(url, 0, bytes.get(), null, validator, null, elapsed(), null, null, null);
      } catch (NoSuchFileException e) {
        return failed(FetchOutcome.NOT_FOUND, "no such file: " + Redaction.url(url), 0, null);
      } catch (AccessDeniedException e) {
        return failed(
            FetchOutcome.UNAUTHORIZED, "permission denied: " + Redaction.url(url), 0, null);
      } catch (IOException e) {
        return failed(
            FetchOutcome.IO_ERROR,
            "cannot read " + Redaction.url(url) + ": " + ErrorText.describe(e),
            0,
            null);
      }
    }

    /**
     * A URL the HTTP client refuses; its message is not shown, as it may quote the URL unredacted.
     */
    private Failed invalidUrl(URI url) {
      return failed(FetchOutcome.IO_ERROR, "invalid URL: " + Redaction.url(url), 0, null);
    }

    private Failed failedBy(Exception error, URI url, int status) {
      FetchOutcome outcome = FetchErrors.classify(error);
      return failed(
          outcome,
          describeOutcome(outcome)
              + " fetching "
              + Redaction.url(url)
              + ": "
              + ErrorText.describe(error),
          status,
          null);
    }

    /**
     * A failure; after a redirect its message also names the URL requested, the one the feeds list
     * gives.
     */
    private Failed failed(FetchOutcome outcome, String message, int status, Duration retryAfter) {
      String from =
          current != null && !current.equals(request.url())
              ? " (redirected from " + Redaction.url(request.url()) + ")"
              : "";
      return new Failed(outcome, message + from, status, elapsed(), retryAfter);
    }

    private Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - startNanos);
    }
  }
}
