package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.wireingest.dedup.NearDuplicates;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;
import org.wireingest.model.StorySignature;
import org.wireingest.ops.MutableClock;

class NormalizerStatsMetricsTest {

  static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final NormalizerStats stats =
      new NormalizerStats(registry, Clock.fixed(NOW, ZoneOffset.UTC));

  static ArticleEvent event(String sourceId, String changeType, Instant versionCreated)
      throws Exception {
    return Json.MAPPER.readValue(
        "{\"uri\":\"urn:wire:trtworld:1\",\"version\":1,\"changeType\":\""
            + changeType
            + "\",\"versionCreated\":\""
            + versionCreated
            + "\",\"source\":{\"id\":\""
            + sourceId
            + "\",\"agency\":\"trtworld\"}}",
        ArticleEvent.class);
  }

  @Test
  void shouldCountArticlesBySourceAgencyAndChangeType() throws Exception {
    stats.articleEmitted(event("trtworld-main", "created", NOW.minusSeconds(60)));
    stats.articleEmitted(event("trtworld-main", "updated", NOW.minusSeconds(60)));

    assertThat(
            registry
                .get("wire.normalizer.articles")
                .tags("source", "trtworld-main", "agency", "trtworld", "change_type", "created")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("wire.normalizer.articles")
                .tags("change_type", "updated")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void shouldCountEachChangedFieldOfAnUpdateFromZero() throws Exception {
    assertThat(registry.get("wire.normalizer.changed.fields").counters())
        .hasSize(7)
        .allSatisfy(c -> assertThat(c.count()).isZero());

    stats.articleEmitted(
        event("trtworld-main", "updated", NOW).withChangedFields(List.of("headline", "bodyText")));
    stats.articleEmitted(
        event("trtworld-main", "updated", NOW).withChangedFields(List.of("associations")));
    stats.articleEmitted(event("trtworld-main", "created", NOW));

    assertThat(
            registry
                .get("wire.normalizer.changed.fields")
                .tag("field", "headline")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("wire.normalizer.changed.fields")
                .tag("field", "bodyText")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("wire.normalizer.changed.fields")
                .tag("field", "associations")
                .counter()
                .count())
        .as("a picture-only version")
        .isEqualTo(1);
    assertThat(
            registry
                .get("wire.normalizer.changed.fields")
                .tag("field", "summary")
                .counter()
                .count())
        .isZero();
  }

  private static ArticleEvent withWarnings(String codes) throws Exception {
    return Json.MAPPER.readValue(
        "{\"uri\":\"urn:wire:trtworld:1\",\"version\":1,\"changeType\":\"created\","
            + "\"source\":{\"id\":\"trtworld-main\",\"agency\":\"trtworld\"},\"warnings\":["
            + codes
            + "]}",
        ArticleEvent.class);
  }

  /**
   * Found in a hostile test: a bad field of a raw item (a javascript: link, an implausible date, an
   * invalid language) fell back with a warning in the event, but nothing counted it, so a feed
   * whose every entry lost its link showed on no dashboard.
   */
  @Test
  void shouldCountEachWarningOfAnEmittedEventByKind() throws Exception {
    stats.articleEmitted(withWarnings("\"link-invalid\",\"implausible-date\""));
    stats.articleEmitted(withWarnings("\"link-invalid\""));
    stats.articleEmitted(event("trtworld-main", "created", NOW));

    assertThat(
            registry.get("wire.normalizer.warnings").tag("kind", "link-invalid").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("wire.normalizer.warnings")
                .tag("kind", "implausible-date")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void shouldExposeEveryDuplicateReasonAtZeroBeforeTheFirstDuplicate() {
    assertThat(registry.get("wire.normalizer.duplicates").counters())
        .extracting(c -> c.getId().getTag("reason"), c -> c.count())
        .containsExactlyInAnyOrder(
            Tuple.tuple("same-fingerprint", 0.0),
            Tuple.tuple("same-text", 0.0),
            Tuple.tuple("older-version", 0.0),
            Tuple.tuple("shorter-copy", 0.0),
            Tuple.tuple("withdrawal-copy", 0.0));
  }

  @Test
  void shouldCountSignaturesRefusedFromZero() {
    assertThat(registry.get("wire.normalizer.signatures.refused").counter().count()).isZero();

    stats.signatureRefused();
    stats.signatureRefused();
    stats.signaturesExpired(3);

    assertThat(registry.get("wire.normalizer.signatures.refused").counter().count()).isEqualTo(2);
    assertThat(registry.get("wire.normalizer.signatures.expired").counter().count()).isEqualTo(3);
  }

  @Test
  void shouldKeepCountingOnTheSameMetersOnceTheyAreKnown() throws Exception {
    for (int i = 0; i < 3; i++) {
      stats.articleEmitted(event("trtworld-main", "created", NOW.minusSeconds(60)));
      stats.duplicateSuppressed("same-fingerprint");
      stats.deadLettered("normalize", "NormalizationException");
    }
    stats.duplicateSuppressed("older-version");

    assertThat(registry.get("wire.normalizer.articles").counters()).hasSize(1);
    assertThat(registry.get("wire.normalizer.articles").counter().count()).isEqualTo(3);
    assertThat(registry.get(NormalizerStats.PUBLICATION_LAG).timer().count()).isEqualTo(3);
    assertThat(
            registry
                .get("wire.normalizer.duplicates")
                .tag("reason", "same-fingerprint")
                .counter()
                .count())
        .isEqualTo(3);
    assertThat(
            registry
                .get("wire.normalizer.duplicates")
                .tag("reason", "older-version")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("wire.normalizer.dead.letters")
                .tags("stage", "normalize", "error", "NormalizationException")
                .counter()
                .count())
        .isEqualTo(3);
  }

  @Test
  void shouldKeepTheLastArticleAndDeadLetterForTheStatusPage() throws Exception {
    MutableClock clock = new MutableClock(NOW);
    NormalizerStats s = new NormalizerStats(registry, clock);
    assertThat(s.lastArticleAt()).isNull();
    assertThat(s.lastDeadLetter()).isNull();

    s.rawRecordConsumed(0, 0);
    s.articleEmitted(event("trtworld-main", "created", NOW));
    clock.advance(Duration.ofMinutes(5));
    s.rawRecordConsumed(0, 1);
    s.deadLettered("deserialize", "JsonParseException");
    clock.advance(Duration.ofMinutes(5));
    s.rawRecordConsumed(1, 0);
    s.articleEmitted(event("dw-all", "updated", NOW));
    s.articleEmitted(event("dw-all", "created", NOW));

    assertThat(s.rawRecords()).isEqualTo(3);
    assertThat(s.lastArticleAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    assertThat(s.lastDeadLetter())
        .isEqualTo(
            new NormalizerStats.DeadLetterSeen(
                NOW.plus(Duration.ofMinutes(5)), "deserialize", "JsonParseException"));
    assertThat(s.articlesLast24hBySource())
        .containsExactly(Map.entry("dw-all", 2L), Map.entry("trtworld-main", 1L));
    clock.advance(Duration.ofHours(24));
    assertThat(s.articlesLast24hBySource()).isEmpty();
  }

  @Test
  void shouldCountArticlesOfTheLastDayPerSource() throws Exception {
    stats.articleEmitted(event("trtworld-main", "created", NOW));
    stats.articleEmitted(event("trtworld-main", "updated", NOW));
    stats.articleEmitted(event("dw-all", "created", NOW));

    assertThat(stats.articlesLast24h("trtworld-main")).isEqualTo(2);
    assertThat(stats.articlesLast24h("dw-all")).isEqualTo(1);
    assertThat(stats.articlesLast24h("bbc-world")).isZero();
  }

  @Test
  void shouldRecordThePublicationLagInSloBuckets() throws Exception {
    stats.articleEmitted(event("trtworld-main", "created", NOW.minus(Duration.ofSeconds(90))));

    Timer lag = registry.get(NormalizerStats.PUBLICATION_LAG).tag("agency", "trtworld").timer();
    assertThat(lag.totalTime(TimeUnit.SECONDS)).isEqualTo(90);
    CountAtBucket[] buckets = lag.takeSnapshot().histogramCounts();
    assertThat(
            Arrays.stream(buckets)
                .filter(b -> b.bucket(TimeUnit.SECONDS) == 60)
                .findFirst()
                .orElseThrow()
                .count())
        .isZero();
    assertThat(
            Arrays.stream(buckets)
                .filter(b -> b.bucket(TimeUnit.SECONDS) == 120)
                .findFirst()
                .orElseThrow()
                .count())
        .isEqualTo(1);
  }

  @Test
  void shouldCountAFutureVersionTimeAsNoLag() throws Exception {
    stats.articleEmitted(event("trtworld-main", "created", NOW.plusSeconds(300)));

    assertThat(registry.get(NormalizerStats.PUBLICATION_LAG).timer().totalTime(TimeUnit.SECONDS))
        .isZero();
  }

  /**
   * An indexed story {@code n}: its own random signature, first created {@code n} minutes before
   * {@link #NOW}.
   */
  static StorySignature indexed(int n) {
    byte[] signature = new byte[NearDuplicates.SIGNATURE_BYTES];
    new Random(n).nextBytes(signature);
    String uri = "urn:wire:aa:" + n;
    return new StorySignature(
        uri, NearDuplicates.clusterIdOf(uri), signature, NOW.minus(Duration.ofMinutes(n)));
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  @Test
  void shouldNotRegisterTheIndexGaugesBeforeTheNormalizerHasAnIndex() {
    assertThat(registry.find(NormalizerStats.SIGNATURE_INDEX_STORIES).gauge()).isNull();
    assertThat(registry.find(NormalizerStats.SIGNATURE_INDEX_MAX_STORIES).gauge()).isNull();
  }

  @Test
  void shouldReadTheStoriesInTheIndexNowAndItsBound() {
    SignatureIndex index =
        new SignatureIndex(Duration.ofDays(2), 3, Clock.fixed(NOW, ZoneOffset.UTC));
    stats.signatureIndexCreated(index);
    assertThat(gauge(NormalizerStats.SIGNATURE_INDEX_STORIES)).isZero();

    index.add(indexed(1));
    index.add(indexed(2));
    assertThat(gauge(NormalizerStats.SIGNATURE_INDEX_STORIES)).isEqualTo(2);
    assertThat(gauge(NormalizerStats.SIGNATURE_INDEX_MAX_STORIES)).isEqualTo(3);

    index.add(indexed(3));
    index.add(indexed(4)); // beyond the bound: the oldest leaves
    assertThat(gauge(NormalizerStats.SIGNATURE_INDEX_STORIES)).as("full").isEqualTo(3);
  }

  @Test
  void shouldReadTheNewIndexWhenTheNormalizerIsBuiltAgainInTheProcess() {
    // Registering a gauge again under the same name returns the first one: a gauge bound to the
    // first index would keep reading it (full, and no longer used) after the normalizer's rebuild.
    SignatureIndex first =
        new SignatureIndex(Duration.ofDays(2), 50_000, Clock.fixed(NOW, ZoneOffset.UTC));
    stats.signatureIndexCreated(first);
    first.add(indexed(1));
    first.add(indexed(2));

    SignatureIndex second =
        new SignatureIndex(Duration.ofDays(2), 10, Clock.fixed(NOW, ZoneOffset.UTC));
    stats.signatureIndexCreated(second);
    second.add(indexed(3));

    assertThat(registry.get(NormalizerStats.SIGNATURE_INDEX_STORIES).gauges()).hasSize(1);
    assertThat(gauge(NormalizerStats.SIGNATURE_INDEX_STORIES)).isEqualTo(1);
    assertThat(gauge(NormalizerStats.SIGNATURE_INDEX_MAX_STORIES)).isEqualTo(10);
  }

  private static final Set<String> INPUT_TOPICS =
      Set.of("wire.raw-items.v1", "app-raw-items-by-uri-repartition");

  @Test
  void shouldSumTheRecordsLagOfTheMainConsumersOnly() {
    Map<MetricName, Metric> metrics = new LinkedHashMap<>();
    lag(metrics, "app-StreamThread-1-consumer", "wire.raw-items.v1", "0", 5);
    lag(metrics, "app-StreamThread-1-consumer", "app-raw-items-by-uri-repartition", "1", 2);
    lag(metrics, "app-StreamThread-1-restore-consumer", "app-article-versions-changelog", "0", 100);

    assertThat(NormalizerApp.consumerLag(metrics, INPUT_TOPICS)).isEqualTo(7);
  }

  @Test
  void shouldCountEachRawItemsPartitionOnceAndLeaveOutTheStorySignatures() {
    // Regression: the gauge read 2x the raw items' lag and added the story-signatures backlog.
    // Root cause: Kafka's consumer registers each partition's records-lag twice for a topic with
    // dots in its name (KIP-1109: also under wire_raw-items_v1, until Kafka 5.0), and the global
    // consumer of the near-duplicate index reports its lag in the same metric group.
    Map<MetricName, Metric> metrics = new LinkedHashMap<>();
    lag(metrics, "app-StreamThread-1-consumer", "wire.raw-items.v1", "0", 5);
    lag(metrics, "app-StreamThread-1-consumer", "wire_raw-items_v1", "0", 5);
    lag(metrics, "app-StreamThread-1-consumer", "app-raw-items-by-uri-repartition", "1", 2);
    lag(metrics, "app-global-consumer", "wire.story-signatures.v1", "0", 40_000);
    lag(metrics, "app-global-consumer", "wire_story-signatures_v1", "0", 40_000);

    assertThat(NormalizerApp.consumerLag(metrics, INPUT_TOPICS)).isEqualTo(7);
  }

  @Test
  void shouldReportNoLagBeforeAnyFetch() {
    assertThat(NormalizerApp.consumerLag(Map.of(), INPUT_TOPICS)).isNaN();
  }

  private static void lag(
      Map<MetricName, Metric> metrics,
      String clientId,
      String topic,
      String partition,
      double value) {
    MetricName name =
        new MetricName(
            "records-lag",
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", clientId, "topic", topic, "partition", partition));
    metrics.put(
        name,
        new Metric() {
          @Override
          public MetricName metricName() {
            return name;
          }

          @Override
          public Object metricValue() {
            return value;
          }
        });
  }
}
