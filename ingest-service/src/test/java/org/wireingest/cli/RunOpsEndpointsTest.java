package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.model.Json;
import org.wireingest.testing.KafkaBrokerExtension;

/**
 * {@code wire-ingest run} in-process on a real broker with one healthy feed (3 entries, one with an
 * unparseable date) and one failing feed (a missing file): after the first poll of each, {@code
 * /metrics}, {@code /api/feeds} and the status page show what happened. One run serves every test.
 */
@Tag("integration")
class RunOpsEndpointsTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir static Path dir;

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static RunCommand run;
  static CompletableFuture<Integer> exit;
  static String base;
  static Map<String, Double> metrics;

  @BeforeAll
  static void runUntilBothFeedsWerePolledAndNormalized() throws Exception {
    Files.writeString(dir.resolve("healthy.xml"), rss());
    Files.writeString(
        dir.resolve("feeds.yaml"),
        "sources:\n"
            + "  - {id: ops-healthy, name: Healthy Wire, agency: opsagency, url: 'file:healthy.xml', interval: PT10M}\n"
            + "  - {id: ops-missing, name: Missing Wire, agency: opsagency, url: 'file:missing.xml', interval: PT10M}\n");
    var cl = WireIngest.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    run = (RunCommand) cl.getSubcommands().get("run").getCommand();
    String[] args = {
      "run",
      "--bootstrap-servers",
      KAFKA.bootstrapServers(),
      "--feeds",
      dir.resolve("feeds.yaml").toString(),
      "--data-dir",
      dir.resolve("data").toString(),
      "--topic-prefix",
      "ops.",
      "--application-id",
      "ops-normalizer",
      "--ops-port",
      "0",
      "--ops-bind",
      "127.0.0.1"
    };
    exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
    InetSocketAddress at = run.opsAddress().get(60, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + at.getPort();
    await("/health/ready", r -> r.statusCode() == 200);
    // A poll's result is counted once the poll ends, after its raw items were written: its
    // articles may come first. Each step counts a moment before the next (the poll's outcome, then
    // its entries and warnings, then /api/feeds; an article, then its publication lag): wait for
    // the last step of each poll and of each article.
    await(
        "/metrics",
        r -> {
          Map<String, Double> scraped = parse(r.body());
          return Double.valueOf(3)
                  .equals(
                      scraped.get(
                          "wire_normalizer_publication_lag_seconds_count{agency=\"opsagency\"}"))
              && Double.valueOf(1)
                  .equals(
                      scraped.get(
                          "wire_poller_polls_total{agency=\"opsagency\",outcome=\"failed\",reason=\"not-found\",source=\"ops-missing\"}"));
        });
    await("/api/feeds", r -> entriesLast24h(r, "ops-healthy") == 3);
    metrics = parse(get("/metrics").body());
  }

  @AfterAll
  static void stop() throws Exception {
    if (run != null) {
      run.requestStop();
      assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void shouldCountOnePollPerFeedByOutcome() {
    assertThat(metrics)
        .containsEntry(
            "wire_poller_polls_total{agency=\"opsagency\",outcome=\"ok\",reason=\"ok\",source=\"ops-healthy\"}",
            1.0)
        .containsEntry(
            "wire_poller_polls_total{agency=\"opsagency\",outcome=\"failed\",reason=\"not-found\",source=\"ops-missing\"}",
            1.0);
  }

  @Test
  void shouldCountEntriesRawItemsAndParseWarningsOfTheHealthyFeed() {
    assertThat(metrics)
        .containsEntry(
            "wire_poller_entries_seen_total{agency=\"opsagency\",source=\"ops-healthy\"}", 3.0)
        .containsEntry(
            "wire_poller_raw_items_published_total{agency=\"opsagency\",source=\"ops-healthy\"}",
            3.0)
        .containsEntry(
            "wire_poller_raw_items_published_total{agency=\"opsagency\",source=\"ops-missing\"}",
            0.0)
        .containsEntry(
            "wire_parser_warnings_total{agency=\"opsagency\",kind=\"unparseable-date\",source=\"ops-healthy\"}",
            1.0);
  }

  @Test
  void shouldCountArticlesAndRecordTheirPublicationLag() {
    assertThat(metrics)
        .containsEntry("wire_normalizer_raw_records_total", 3.0)
        .containsEntry(
            "wire_normalizer_articles_total{agency=\"opsagency\",change_type=\"created\",source=\"ops-healthy\"}",
            3.0)
        .containsEntry("wire_normalizer_publication_lag_seconds_count{agency=\"opsagency\"}", 3.0);
  }

  @Test
  void shouldExposeFeedGaugesKafkaAndJvmMetrics() {
    assertThat(
            metrics.get(
                "wire_poller_last_success_timestamp_seconds{agency=\"opsagency\",source=\"ops-healthy\"}"))
        .isGreaterThan(1.7e9);
    assertThat(
            metrics.get(
                "wire_poller_last_success_timestamp_seconds{agency=\"opsagency\",source=\"ops-missing\"}"))
        .isNaN();
    assertThat(metrics)
        .containsEntry(
            "wire_poller_consecutive_errors{agency=\"opsagency\",source=\"ops-missing\"}", 1.0);
    assertThat(metrics.keySet())
        .anyMatch(k -> k.startsWith("wire_normalizer_consumer_lag_records"));
    assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("kafka_producer_"));
    assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("kafka_stream_"));
    assertThat(metrics.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
  }

  @Test
  void shouldReportTheFailingFeedInTheFeedsApi() throws Exception {
    JsonNode feeds = Json.MAPPER.readTree(get("/api/feeds").body()).get("feeds");

    assertThat(feeds).hasSize(2);
    JsonNode healthy = feeds.get(0);
    assertThat(healthy.get("id").asText()).isEqualTo("ops-healthy");
    assertThat(healthy.get("state").asText()).isEqualTo("ok");
    assertThat(healthy.get("entriesLast24h").asLong()).isEqualTo(3);
    assertThat(healthy.get("articlesLast24h").asLong()).isEqualTo(3);
    JsonNode missing = feeds.get(1);
    assertThat(missing.get("id").asText()).isEqualTo("ops-missing");
    assertThat(missing.get("state").asText()).isEqualTo("failing");
    assertThat(missing.get("consecutiveErrors").asInt()).isEqualTo(1);
    assertThat(missing.get("lastError").asText()).startsWith("not-found");
    assertThat(missing.get("lastSuccessAt").isNull()).isTrue();
  }

  @Test
  void shouldShowBothFeedsOnTheStatusPage() throws Exception {
    String page = get("/").body();

    assertThat(page)
        .contains("Healthy Wire")
        .contains("Missing Wire")
        .contains("state-failing")
        .contains("state-ok");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Asks {@code path} every 200 ms until {@code done} holds, for at most 90 s. */
  private static void await(String path, Predicate<HttpResponse<String>> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = get(path);
      if (done.test(last)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        path
            + " never got there; last answer "
            + (last == null ? "none" : last.statusCode() + " " + last.body()));
  }

  /**
   * The {@code entriesLast24h} of feed {@code id} in an {@code /api/feeds} answer; -1 when absent.
   */
  private static long entriesLast24h(HttpResponse<String> feedsApi, String id) {
    try {
      for (JsonNode feed : Json.MAPPER.readTree(feedsApi.body()).path("feeds")) {
        if (id.equals(feed.path("id").asText())) {
          return feed.path("entriesLast24h").asLong(-1);
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sample lines of a Prometheus text scrape, by series (name and labels) to value. */
  private static Map<String, Double> parse(String scrape) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        out.put(line.substring(0, space), Double.valueOf(line.substring(space + 1)));
      }
    }
    return out;
  }

  private static String rss() {
    StringBuilder b =
        new StringBuilder(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Ops test</title><link>https://example.org/</link>");
    List<String> dates =
        List.of(
            "Mon, 30 Nov 2026 06:00:00 +0000",
            "Mon, 30 Nov 2026 06:05:00 +0000",
            "sometime on Monday");
    for (int i = 0; i < dates.size(); i++) {
      b.append("<item><title>Ops story ")
          .append(i)
          .append("</title><link>https://example.org/ops-")
          .append(i)
          .append("</link><guid isPermaLink=\"false\">ops-")
          .append(i)
          .append("</guid><description>Text of story ")
          .append(i)
          .append(".</description><pubDate>")
          .append(dates.get(i))
          .append("</pubDate></item>");
    }
    return b.append("</channel></rss>").toString();
  }
}
