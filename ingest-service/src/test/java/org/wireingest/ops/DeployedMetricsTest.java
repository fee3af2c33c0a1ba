package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.poll.PollResult;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerStats;
import org.wireingest.testing.KafkaBrokerExtension;

/**
 * The Prometheus alert rules and the Grafana dashboard under {@code deploy/} name only metrics the
 * service exports: every metric name in their PromQL is looked up in a Prometheus scrape taken
 * after the poll and normalizer code paths have run once, with a normalizer running on a real
 * broker (its version store open).
 */
@Tag("integration")
class DeployedMetricsTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  static final Path DEPLOY = Path.of(System.getProperty("deploy.dir", "../deploy"));
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Series Prometheus makes itself, not the service. */
  static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  static final Set<String> PROMQL_WORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan");

  static Set<String> exported;
  static String scrape;
  static AutoCloseable jvm;
  static AutoCloseable sinkMetrics;
  static KafkaPollSink pollSink;

  @BeforeAll
  @SuppressWarnings("try") // the binder only has to exist while scraping
  static void exerciseEveryCodePath(@TempDir Path stateDir) throws Exception {
    PrometheusMeterRegistry registry = OpsRegistry.prometheus();
    jvm = OpsRegistry.bindJvm(registry);
    Instant now = Instant.parse("2026-11-30T08:00:00Z");
    FeedSource source = OpsFeeds.TRT_WORLD;
    FeedState state =
        FeedState.initial("trtworld-main", "u").toBuilder()
            .lastFetchAt(now)
            .lastSuccessAt(now)
            .lastNewEntryAt(now)
            .nextPollAt(now)
            .build();
    PollMetrics poll = new PollMetrics(registry, List.of(source), id -> state, Clock.systemUTC());
    poll.watchFeedsList(() -> null);
    poll.accept(
        new PollResult(
            "trtworld-main",
            PollResult.Outcome.OK,
            "ok",
            null,
            3,
            3,
            2048,
            300,
            state,
            200,
            Map.of("unparseable-date", 1)));
    poll.accept(
        new PollResult(
            "trtworld-main",
            PollResult.Outcome.FAILED,
            "timeout",
            "no answer",
            0,
            0,
            0,
            300,
            state,
            300,
            Map.of()));

    NormalizerStats stats = new NormalizerStats(registry, Clock.systemUTC());
    stats.rawRecordConsumed(0, 0);
    stats.articleEmitted(
        Json.MAPPER.readValue(
            "{\"uri\":\"urn:wire:trtworld:1\",\"version\":1,\"changeType\":\"created\",\"versionCreated\":\"2026-11-30T07:59:00Z\","
                + "\"source\":{\"id\":\"trtworld-main\",\"agency\":\"trtworld\"}}",
            ArticleEvent.class));
    stats.duplicateSuppressed("same-fingerprint");
    stats.deadLettered("normalize", "IllegalArgumentException");

    // The poller's Kafka sink: whether Kafka takes its writes (WirePollerCannotWrite)
    KafkaPollSink sink =
        new KafkaPollSink(
            KAFKA.clientProperties(), new Topics("deployed-metrics."), Duration.ofSeconds(30));
    sinkMetrics = sink.bindMetrics(registry);
    pollSink = sink;

    // A running normalizer on a real broker: its version store open, so the RocksDB series
    // (kafka_stream_state_*) exist; the binder only sees metrics present when it binds or
    // refreshes.
    Topics topics = new Topics("deployed-metrics.");
    TopicAdmin.ensureTopics(KAFKA.admin(), topics.all(1), Duration.ofSeconds(30));
    // Told to the stats, as in the service: the near-duplicate index gauges exist once the index
    // does.
    try (NormalizerApp app =
        new NormalizerApp(
            KAFKA.clientProperties(), "deployed-metrics-test", stateDir, topics, stats, 1)) {
      app.start();
      assertThat(app.awaitRunning(Duration.ofSeconds(60))).as("normalizer running").isTrue();
      try (AutoCloseable streamsMetrics = app.bindMetrics(registry)) {
        scrape = registry.scrape();
        exported = seriesNames(scrape);
      }
    }
  }

  // Found in a new-user test: the global story-signatures store (in memory, always empty) has
  // state metrics of the same names as the version store's, with an in_memory_state_id tag for
  // rocksdb_state_id; Prometheus takes one tag set per name, so the version store's latency and
  // rate series were dropped (a WARN "registration has failed").
  @Test
  void shouldExportTheVersionStoresStateMetricsNotTheEmptyGlobalStoresInTheirPlace() {
    List<String> state = scrape.lines().filter(l -> l.startsWith("kafka_stream_state_")).toList();

    assertThat(state).noneMatch(l -> l.contains("in_memory_state_id"));
    for (String name :
        List.of(
            "kafka_stream_state_put_latency_avg{",
            "kafka_stream_state_get_latency_avg{",
            "kafka_stream_state_restore_latency_max{")) {
      assertThat(state)
          .as(name)
          .anyMatch(l -> l.startsWith(name) && l.contains("rocksdb_state_id=\"article-versions\""));
    }
  }

  @AfterAll
  static void unbind() throws Exception {
    jvm.close();
    sinkMetrics.close();
    pollSink.close();
  }

  static Set<String> seriesNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  /**
   * The metric names of a PromQL expression: identifiers that are not functions, keywords, label
   * names or Grafana variables.
   */
  static Set<String> metricNames(String promql) {
    String s =
        promql
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "")
            .replaceAll("\\$\\{?\\w+}?", "")
            .replaceAll("\\b\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?[smhdwy]?\\b", "");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+").matcher(s);
    while (m.find()) {
      String word = m.group();
      int end = m.end();
      boolean call = s.substring(end).stripLeading().startsWith("(");
      if (!call && !PROMQL_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }

  static List<String> ruleExpressions() throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode group :
        YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile()).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        out.add(rule.get("expr").asText());
      }
    }
    return out;
  }

  static List<String> dashboardExpressions() throws Exception {
    List<String> out = new ArrayList<>();
    Json.MAPPER
        .readTree(DEPLOY.resolve("grafana/wire-ingest-dashboard.json").toFile())
        .findValues("expr")
        .forEach(e -> out.add(e.asText()));
    return out;
  }

  /**
   * Before the poller's first write the last-success gauge is NaN, and it is scraped as NaN (not
   * left out, nor 0, which would read as 1970); the write-failing gauge is 0 then.
   */
  @Test
  void shouldScrapeTheLastWriteSuccessAsNaNAndWritesAsNotFailingBeforeTheFirstWrite() {
    assertThat(scrape.lines())
        .anyMatch(
            l -> l.matches("wire_poller_kafka_write_last_success_timestamp_seconds(\\{.*})? NaN"))
        .anyMatch(l -> l.matches("wire_poller_kafka_write_failing(\\{.*})? 0(\\.0)?"));
  }

  @Test
  void shouldExportEveryMetricTheAlertRulesName() throws Exception {
    List<String> exprs = ruleExpressions();
    Set<String> named = new TreeSet<>();
    exprs.forEach(e -> named.addAll(metricNames(e)));

    assertThat(named).isNotEmpty();
    named.removeAll(PROMETHEUS_SERIES);
    assertThat(exported).containsAll(named);
  }

  @Test
  void shouldExportEveryMetricTheDashboardNames() throws Exception {
    Set<String> named = new TreeSet<>();
    dashboardExpressions().forEach(e -> named.addAll(metricNames(e)));

    assertThat(named).hasSizeGreaterThan(5);
    assertThat(exported).containsAll(named);
  }

  @Test
  void shouldAlertOnFailingAndIdleFeedsDeadLettersLagAndSilence() throws Exception {
    List<String> alerts = new ArrayList<>();
    for (JsonNode group :
        YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile()).get("groups")) {
      group.get("rules").forEach(r -> alerts.add(r.get("alert").asText()));
    }

    assertThat(alerts)
        .contains(
            "WireFeedFailing",
            "WireFeedIdle",
            "WireFeedsListInvalid",
            "WireDeadLettersRising",
            "WireNormalizerStreamThreadsFailing",
            "WireNormalizerConsumerLag",
            "WireNoArticles");
  }

  @Test
  void shouldScrapeTheOpsPortAndLoadTheRules() throws Exception {
    JsonNode config = YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());

    assertThat(config.get("rule_files").get(0).asText()).isEqualTo("alerts.yml");
    JsonNode job = config.get("scrape_configs").get(0);
    assertThat(job.get("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(job.at("/static_configs/0/targets/0").asText()).endsWith(":8080");
    assertThat(
            Files.exists(
                DEPLOY.resolve("prometheus").resolve(config.get("rule_files").get(0).asText())))
        .isTrue();
  }

  @Test
  void shouldFindMetricNamesButNotFunctionsLabelsOrVariables() {
    assertThat(
            metricNames(
                "histogram_quantile(0.95, sum by (le, agency) (rate(wire_x_seconds_bucket{outcome=\"failed\"}[$__rate_interval]))) > 5m"))
        .containsExactly("wire_x_seconds_bucket");
    assertThat(
            metricNames(
                "(sum(increase(wire_a_total[30m])) or vector(0)) == 0 and on (source) wire_b"))
        .containsExactly("wire_a_total", "wire_b");
  }
}
