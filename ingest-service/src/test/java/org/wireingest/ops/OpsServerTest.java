package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;

class OpsServerTest {

  static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
  static final FeedSource OK_FEED = OpsFeeds.TRT_WORLD;
  static final FeedSource BAD_FEED =
      TestFeeds.feed("gone")
          .name("Gone")
          .agency("gone")
          .url("https://example.org/feed?token=abc")
          .language(null)
          .build();

  static final NormalizerStatus NORMALIZER =
      new NormalizerStatus(
          "wire-ingest-normalizer",
          "RUNNING",
          2,
          2,
          0L,
          120,
          90,
          4,
          25,
          20,
          1,
          NOW.minusSeconds(30),
          NOW.minusSeconds(600),
          "deserialize: JsonParseException",
          Map.of("trtworld-main", 60L, "dw-all", 34L));

  private final HttpClient http = HttpClient.newHttpClient();
  private final PrometheusMeterRegistry registry = OpsRegistry.prometheus();
  private final Readiness readiness = new Readiness();
  private OpsServer server;

  @BeforeEach
  void start() {
    Map<String, FeedState> states =
        Map.of(
            "trtworld-main",
            FeedState.initial("trtworld-main", OK_FEED.url().toString()).toBuilder()
                .lastFetchAt(NOW)
                .lastSuccessAt(NOW)
                .lastNewEntryAt(NOW)
                .nextPollAt(NOW.plusSeconds(120))
                .build(),
            "gone",
            FeedState.initial("gone", Redaction.url(BAD_FEED.url())).toBuilder()
                .lastFetchAt(NOW)
                .consecutiveErrors(3)
                .lastError("not-found: HTTP 404")
                .nextPollAt(NOW.plusSeconds(600))
                .build());
    FeedBoard board =
        new FeedBoard(
            () -> List.of(OK_FEED, BAD_FEED),
            null,
            states::get,
            id -> id.equals("trtworld-main") ? 4 : 0,
            new MutableClock(NOW));
    server =
        OpsServer.start(
            new InetSocketAddress("127.0.0.1", 0), registry, readiness, board, () -> NORMALIZER);
  }

  /** An ops server of a process polling no feeds, with this normalizer (null: none). */
  private OpsServer withoutFeeds(Supplier<NormalizerStatus> normalizer) {
    return OpsServer.start(
        new InetSocketAddress("127.0.0.1", 0),
        registry,
        readiness,
        new FeedBoard(List::of, null, id -> null, id -> 0, new MutableClock(NOW)),
        normalizer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAnswerLivenessWhileRunning() throws Exception {
    HttpResponse<String> r = get("/health/live");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("up");
    assertThat(body.get("detail")).isNull();
    assertThat(body.at("/checks/0/name").asText()).isEqualTo("normalizer");
    assertThat(body.at("/checks/0/status").asText()).isEqualTo("up");
    assertThat(body.at("/checks/0/detail").asText()).isEqualTo("Kafka Streams RUNNING");
  }

  /**
   * From a hostile test: a normalizer stopped for good (ERROR, after its stream threads failed
   * again and again) left the process live, so Kubernetes never restarted it.
   */
  @Test
  void shouldAnswerLivenessDownOnceTheNormalizerHasStoppedForGood() throws Exception {
    server.close();
    NormalizerStatus failed =
        new NormalizerStatus(
            "wire-ingest-normalizer",
            "ERROR",
            2,
            0,
            null,
            120,
            90,
            4,
            25,
            20,
            1,
            NOW.minusSeconds(30),
            NOW.minusSeconds(600),
            "deserialize: JsonParseException",
            Map.of());
    server = withoutFeeds(() -> failed);

    HttpResponse<String> r = get("/health/live");

    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("down");
    // the state, what it means, where the reason is, what it asks for
    assertThat(body.get("detail").asText())
        .startsWith("Kafka Streams ERROR: the normalizer has stopped for good")
        .contains("the ERROR lines before it in the log say why")
        .endsWith("nothing in this process restarts it: restart the process");
    // the same check, in the same words, as /health/ready's
    assertThat(body.at("/checks/0/name").asText()).isEqualTo("normalizer");
    assertThat(body.at("/checks/0/status").asText()).isEqualTo("down");
    assertThat(body.at("/checks/0/detail").asText()).isEqualTo(body.get("detail").asText());
    assertThat(KafkaProbes.streams(() -> KafkaStreams.State.ERROR, () -> true).check())
        .isEqualTo(new Readiness.Check("normalizer", false, body.get("detail").asText()));
  }

  @Test
  void shouldAnswerLivenessUpWithoutChecksWhenTheProcessRunsNoNormalizer() throws Exception {
    server.close();
    server = withoutFeeds(null);

    HttpResponse<String> r = get("/health/live");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(r.body()))
        .isEqualTo(Json.MAPPER.readTree("{\"status\":\"up\",\"checks\":[]}"));
  }

  @Test
  void shouldBeUnreadyWhileStartingAndSayWhy() throws Exception {
    HttpResponse<String> r = get("/health/ready");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("down");
    assertThat(body.at("/checks/0/name").asText()).isEqualTo("startup");
  }

  @Test
  void shouldNameTheFailingCheckWhenUnready() throws Exception {
    readiness.use(
        List.of(
            probe("broker", true, "1 broker(s) reachable"),
            probe("normalizer", false, "Kafka Streams REBALANCING")));

    HttpResponse<String> r = get("/health/ready");

    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode checks = Json.MAPPER.readTree(r.body()).get("checks");
    assertThat(checks.get(0).get("status").asText()).isEqualTo("up");
    assertThat(checks.get(1).get("name").asText()).isEqualTo("normalizer");
    assertThat(checks.get(1).get("status").asText()).isEqualTo("down");
    assertThat(checks.get(1).get("detail").asText()).isEqualTo("Kafka Streams REBALANCING");
  }

  @Test
  void shouldBeReadyWhenEveryCheckIsUp() throws Exception {
    readiness.use(List.of(probe("broker", true, "1 broker(s) reachable")));

    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  /**
   * During a broker outage each readiness run takes about 2 s (two Kafka calls of 1 s). A dozen
   * status pages or readiness probes at once held the server's four threads for 6 s, and {@code
   * /health/live} waited behind them past a Kubernetes probe's 3 s timeout: a broker outage would
   * have got the pod restarted. The probe here takes 1 s, not 2: liveness now waits for one run at
   * most, which leaves a loaded machine 2 s of the 3 (a 2 s run left it about 1 s, and a cold JVM
   * on a busy machine answered after 2.4 s); the sixteen requests on four threads, one run each,
   * would still hold liveness for four runs, 4 s.
   */
  @Test
  void shouldAnswerLivenessPromptlyWhileManyReadinessRequestsWaitForSlowProbes() throws Exception {
    readiness.use(
        List.of(
            Readiness.Probe.of(
                "broker",
                () -> {
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return new Readiness.Check("broker", false, "no answer within 1s");
                })));
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      slow.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + server.port()
                              + (i % 2 == 0 ? "/health/ready" : "/")))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    Thread.sleep(200);

    long start = System.nanoTime();
    HttpResponse<String> live = get("/health/live");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    for (CompletableFuture<HttpResponse<String>> r : slow) {
      assertThat(r.get(30, TimeUnit.SECONDS).statusCode()).isIn(200, 503);
    }
  }

  /** A probe's bug without a message (a NullPointerException) read "NullPointerException: null". */
  @Test
  void shouldDescribeAThrowingProbeWithoutAMessageByItsClass() throws Exception {
    readiness.use(
        List.of(
            Readiness.Probe.of(
                "topics",
                () -> {
                  throw new NullPointerException();
                })));

    JsonNode check = Json.MAPPER.readTree(get("/health/ready").body()).at("/checks/0");

    assertThat(check.get("status").asText()).isEqualTo("down");
    assertThat(check.get("detail").asText()).isEqualTo("NullPointerException");
  }

  /**
   * A probe that threw was reported as check "probe", which names none of the checks: the JSON, the
   * status page's banner and the README name checks by what they check.
   */
  @Test
  void shouldCountAThrowingProbeAsDownUnderItsName() throws Exception {
    readiness.use(
        List.of(
            probe("broker", true, "1 broker(s) reachable"),
            Readiness.Probe.of(
                "poller-group",
                () -> {
                  throw new IllegalStateException("admin client closed");
                })));

    HttpResponse<String> r = get("/health/ready");

    assertThat(r.statusCode()).isEqualTo(503);
    JsonNode check = Json.MAPPER.readTree(r.body()).at("/checks/1");
    assertThat(check.get("name").asText()).isEqualTo("poller-group");
    assertThat(check.get("status").asText()).isEqualTo("down");
    assertThat(check.get("detail").asText())
        .isEqualTo("IllegalStateException: admin client closed");
  }

  private static Readiness.Probe probe(String name, boolean up, String detail) {
    return Readiness.Probe.of(name, () -> new Readiness.Check(name, up, detail));
  }

  @Test
  void shouldListEveryFeedWithItsState() throws Exception {
    HttpResponse<String> r = get("/api/feeds");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode feeds = Json.MAPPER.readTree(r.body()).get("feeds");
    assertThat(feeds).hasSize(2);
    assertThat(feeds.get(0).get("id").asText()).isEqualTo("trtworld-main");
    assertThat(feeds.get(0).get("state").asText()).isEqualTo("ok");
    assertThat(feeds.get(0).get("articlesLast24h").asLong()).isEqualTo(4);
    assertThat(feeds.get(1).get("state").asText()).isEqualTo("failing");
    assertThat(feeds.get(1).get("consecutiveErrors").asInt()).isEqualTo(3);
    assertThat(feeds.get(1).get("lastError").asText()).isEqualTo("not-found: HTTP 404");
    assertThat(feeds.get(1).get("lastSuccessAt").isNull()).isTrue();
    assertThat(feeds.get(1).get("nextPollAt").asText()).isEqualTo("2026-11-30T08:10:00Z");
    assertThat(feeds.get(1).get("url").asText()).isEqualTo("https://example.org/feed?token=***");
  }

  @Test
  void shouldListTheFeedsPolledHereNowWithTheirScope() throws Exception {
    var polled = new AtomicReference<List<FeedSource>>(List.of(OK_FEED));
    var scope = new AtomicReference<String>("feed-state partitions [1]");
    FeedBoard board =
        new FeedBoard(polled::get, scope::get, id -> null, id -> 0, new MutableClock(NOW));
    try (OpsServer share =
        OpsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, readiness, board, null)) {
      URI api = URI.create("http://127.0.0.1:" + share.port() + "/api/feeds");
      JsonNode before =
          Json.MAPPER.readTree(
              http.send(HttpRequest.newBuilder(api).build(), HttpResponse.BodyHandlers.ofString())
                  .body());
      polled.set(List.of(BAD_FEED)); // a rebalance
      scope.set("feed-state partitions [2]");
      JsonNode after =
          Json.MAPPER.readTree(
              http.send(HttpRequest.newBuilder(api).build(), HttpResponse.BodyHandlers.ofString())
                  .body());

      assertThat(before.get("scope").asText()).isEqualTo("feed-state partitions [1]");
      assertThat(before.get("feeds").findValuesAsText("id")).containsExactly("trtworld-main");
      assertThat(after.get("scope").asText()).isEqualTo("feed-state partitions [2]");
      assertThat(after.get("feeds").findValuesAsText("id")).containsExactly("gone");
    }
    assertThat(Json.MAPPER.readTree(get("/api/feeds").body()).get("scope").isNull()).isTrue();
  }

  @Test
  void shouldServeTheNormalizersStatus() throws Exception {
    HttpResponse<String> r = get("/api/normalizer");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode n = Json.MAPPER.readTree(r.body());
    assertThat(n.get("applicationId").asText()).isEqualTo("wire-ingest-normalizer");
    assertThat(n.get("state").asText()).isEqualTo("RUNNING");
    assertThat(n.get("streamThreadsRunning").asInt()).isEqualTo(2);
    assertThat(n.get("consumerLagRecords").isIntegralNumber()).isTrue();
    assertThat(n.get("articlesCreated").asLong()).isEqualTo(90);
    assertThat(n.get("normalizationsSkipped").asLong()).isEqualTo(20);
    assertThat(n.get("lastArticleAt").asText()).isEqualTo("2026-11-30T07:59:30Z");
    assertThat(n.get("lastDeadLetter").asText()).isEqualTo("deserialize: JsonParseException");
    assertThat(n.get("articlesLast24hBySource").fieldNames())
        .toIterable()
        .containsExactly("dw-all", "trtworld-main");
    assertThat(n.has("healthy")).isFalse();
  }

  @Test
  void shouldAnswerNotFoundForTheNormalizerOfAProcessThatRunsNone() throws Exception {
    FeedBoard board =
        new FeedBoard(
            () -> List.of(OK_FEED), () -> null, id -> null, id -> 0, new MutableClock(NOW));
    try (OpsServer pollerOnly =
        OpsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, readiness, board, null)) {
      URI base = URI.create("http://127.0.0.1:" + pollerOnly.port() + "/");
      HttpResponse<String> api =
          http.send(
              HttpRequest.newBuilder(base.resolve("api/normalizer")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(404);
      assertThat(api.body()).contains("runs no normalizer");
      String page =
          http.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(page).doesNotContain("id=\"normalizer\"").doesNotContain("api/normalizer");
    }
    assertThat(get("/").body()).contains("id=\"normalizer\"").contains("href=\"api/normalizer\"");
  }

  @Test
  void shouldServeMetricsInThePrometheusTextFormat() throws Exception {
    Counter.builder("wire.test.things").register(registry).increment(3);

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(r.body()).contains("wire_test_things_total 3.0");
  }

  @Test
  void shouldServeOpenMetricsWhenAsked() throws Exception {
    Counter.builder("wire.test.things").register(registry).increment();

    HttpResponse<String> r =
        get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");

    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
    assertThat(r.body()).contains("wire_test_things_total 1.0").endsWith("# EOF\n");
  }

  @Test
  void shouldServeTheStatusPageWithAStrictContentSecurityPolicy() throws Exception {
    HttpResponse<String> r = get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).contains("default-src 'none'").contains("script-src 'nonce-"));
    assertThat(r.body()).contains("TRT World").contains("state-failing");
  }

  @Test
  void shouldAnswerInternalErrorWhenAnEndpointFailsAndKeepServing() throws Exception {
    FeedBoard broken =
        new FeedBoard(
            () -> List.of(OK_FEED),
            null,
            id -> {
              throw new IllegalStateException("bug");
            },
            id -> 0,
            new MutableClock(NOW));
    try (OpsServer other =
        OpsServer.start(new InetSocketAddress("127.0.0.1", 0), registry, readiness, broken, null)) {
      String base = "http://127.0.0.1:" + other.port();

      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/api/feeds")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(500);
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void shouldAnswerNotFoundForAnUnknownPath() throws Exception {
    assertThat(get("/admin").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldRefuseOtherMethods() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/feeds"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD");
  }
}
