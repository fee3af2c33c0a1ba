package org.wireingest.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.model.ErrorText;
import org.wireingest.model.Json;

/**
 * The ops HTTP server (JDK {@link HttpServer}, a small thread pool). {@code GET} or {@code HEAD}:
 *
 * <ul>
 *   <li>{@code /metrics}: the Prometheus registry, in the Prometheus text format 0.0.4, or
 *       OpenMetrics 1.0 when the {@code Accept} header asks for {@code
 *       application/openmetrics-text};
 *   <li>{@code /health/live}: 200 {@code {"status":"up","checks":[...]}} while the process serves
 *       requests and its normalizer (when it runs one) has not stopped for good; 503 {@code
 *       {"status":"down","checks":[...],"detail":...}} once the normalizer is in Kafka Streams'
 *       {@code ERROR} state (its stream threads failed again and again, or its global thread
 *       failed, {@code NormalizerApp}): nothing in the process recovers it, a restart may
 *       (Kubernetes restarts the pod). {@code checks} as in {@code /health/ready}: the one check
 *       {@code normalizer} ({@link NormalizerStatus#liveness}), none without a normalizer; {@code
 *       detail} is the failing check's;
 *   <li>{@code /health/ready}: 200 when every {@link Readiness} probe is up, else 503; body {@code
 *       {"status":"up|down","checks":[{"name","status","detail"}]}};
 *   <li>{@code /api/feeds}: 200 {@code {"scope":...,"feeds":[FeedStatus...]}}: the feeds this
 *       process polls ({@link FeedBoard}; {@code scope} says which share of the feeds list that is,
 *       and is null when the process polls the whole list in no group); instants ISO-8601 UTC,
 *       absent ones {@code null};
 *   <li>{@code /api/normalizer}: 200 {@link NormalizerStatus} of this process's normalizer, or 404
 *       when the process runs none;
 *   <li>{@code /}: the {@link StatusPage}.
 * </ul>
 *
 * Anything else is 404, other methods 405 (RFC 9110 §15.5.6, with {@code Allow}). Responses are
 * never cached ({@code Cache-Control: no-store}). A client that has not sent its whole request
 * within 5 s is disconnected ({@link #MAX_REQUEST_TIME}). Thread-safe; close it to stop serving.
 */
public final class OpsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
  private static final String OPENMETRICS =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String JSON = "application/json";
  private static final int THREADS = 4;

  /**
   * The JDK server's limit on the time a client takes to send its request line and headers, counted
   * from when its connection is taken up (system property {@value #MAX_REQUEST_TIME}, in seconds;
   * read once per process, when the first JDK HTTP server is made; a value given with {@code -D}
   * wins). Without it a connection that sends part of a request and then nothing holds one of the
   * {@value #THREADS} threads for ever: four of them left every endpoint unanswered.
   */
  static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";

  /** Seconds, the default of {@link #MAX_REQUEST_TIME}. */
  static final String MAX_REQUEST_SECONDS = "5";

  /**
   * JSON of the ops endpoints: the product's conventions, but absent values shown as {@code null}.
   */
  private static final ObjectMapper MAPPER =
      Json.MAPPER.copy().setDefaultPropertyInclusion(JsonInclude.Include.ALWAYS);

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry registry;
  private final Readiness readiness;
  private final FeedBoard board;
  private final Supplier<NormalizerStatus> normalizer;
  private final SecureRandom random = new SecureRandom();

  private OpsServer(
      HttpServer server,
      ExecutorService executor,
      PrometheusMeterRegistry registry,
      Readiness readiness,
      FeedBoard board,
      Supplier<NormalizerStatus> normalizer) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
    this.readiness = readiness;
    this.board = board;
    this.normalizer = normalizer;
  }

  /**
   * Binds and starts serving.
   *
   * @param address where to listen, e.g. {@code 0.0.0.0:8080}; port 0 picks a free port (see {@link
   *     #port()})
   * @param registry the meters served at {@code /metrics}
   * @param readiness the probes of {@code /health/ready}
   * @param board the feeds of {@code /api/feeds} and {@code /}
   * @param normalizer the normalizer's status, for {@code /api/normalizer} and {@code /}; null when
   *     the process runs no normalizer; fast
   * @return the running server
   * @throws UncheckedIOException when the address cannot be bound (e.g. the port is in use)
   */
  public static OpsServer start(
      InetSocketAddress address,
      PrometheusMeterRegistry registry,
      Readiness readiness,
      FeedBoard board,
      Supplier<NormalizerStatus> normalizer) {
    if (System.getProperty(MAX_REQUEST_TIME) == null) {
      System.setProperty(MAX_REQUEST_TIME, MAX_REQUEST_SECONDS);
    }
    HttpServer http;
    try {
      http = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + address.getHostString()
              + ":"
              + address.getPort()
              + ": "
              + ErrorText.message(e),
          e);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            THREADS,
            r -> {
              Thread t = new Thread(r, "ops-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    OpsServer ops = new OpsServer(http, executor, registry, readiness, board, normalizer);
    http.createContext("/", ops::handle);
    http.setExecutor(executor);
    http.start();
    return ops;
  }

  /**
   * @return the port the server listens on (the chosen one when started with port 0)
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * @return the address the server listens on
   */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      route(exchange);
    } catch (IOException e) {
      LOG.debug("ops request aborted: {}", e.toString());
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    try {
      switch (path) {
        case "/metrics" -> metrics(exchange);
        case "/health/live" -> live(exchange);
        case "/health/ready" -> ready(exchange);
        case "/api/feeds" -> feeds(exchange);
        case "/api/normalizer" -> {
          if (normalizer == null) {
            send(exchange, 404, "text/plain; charset=utf-8", "this process runs no normalizer\n");
          } else {
            send(exchange, 200, JSON, json(normalizer.get()));
          }
        }
        case "/" -> statusPage(exchange);
        default -> send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      }
    } catch (RuntimeException e) {
      // A bug behind one endpoint: answer 500 (unless headers are out) and keep serving.
      LOG.warn("ops request {} failed", path, e);
      if (exchange.getResponseCode() == -1) {
        send(exchange, 500, "text/plain; charset=utf-8", "internal error\n");
      }
    }
  }

  private void metrics(HttpExchange exchange) throws IOException {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    String type =
        accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
            ? OPENMETRICS
            : PROMETHEUS_TEXT;
    send(exchange, 200, type, registry.scrape(type));
  }

  private void feeds(HttpExchange exchange) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("scope", board.scope());
    body.put("feeds", board.feeds());
    send(exchange, 200, JSON, json(body));
  }

  private void live(HttpExchange exchange) throws IOException {
    NormalizerStatus status = normalizer == null ? null : normalizer.get();
    Readiness.Report report =
        Readiness.Report.of(status == null ? List.of() : List.of(status.liveness()));
    Map<String, Object> body = health(report);
    // "detail" came before "checks": kept, the failing check's detail
    report.checks().stream()
        .filter(c -> !c.up())
        .findFirst()
        .ifPresent(c -> body.put("detail", c.detail()));
    send(exchange, report.up() ? 200 : 503, JSON, json(body));
  }

  private void ready(HttpExchange exchange) throws IOException {
    Readiness.Report report = readiness.check();
    send(exchange, report.up() ? 200 : 503, JSON, json(health(report)));
  }

  /** {@code {"status":"up|down","checks":[{"name","status","detail"}]}}. */
  private static Map<String, Object> health(Readiness.Report report) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", report.up() ? "up" : "down");
    body.put(
        "checks",
        report.checks().stream()
            .map(
                c -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("name", c.name());
                  m.put("status", c.up() ? "up" : "down");
                  m.put("detail", c.detail());
                  return m;
                })
            .toList());
    return body;
  }

  private void statusPage(HttpExchange exchange) throws IOException {
    byte[] nonceBytes = new byte[16];
    random.nextBytes(nonceBytes);
    String nonce = Base64.getEncoder().encodeToString(nonceBytes);
    var headers = exchange.getResponseHeaders();
    headers.set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-"
            + nonce
            + "'; connect-src 'self'; base-uri 'none'; form-action 'none'");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    send(
        exchange,
        200,
        "text/html; charset=utf-8",
        StatusPage.render(
            board.feeds(),
            board.scope(),
            normalizer == null ? null : normalizer.get(),
            readiness.check(),
            board.now(),
            nonce));
  }

  private static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("ops responses always serialise", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops accepting requests, gives running ones a moment, and stops the threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
