package org.wireingest.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.dedup.SignatureIndex;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.streams.NormalizerListener;
import org.wireingest.streams.NormalizerSteps;

class ArticleReplayTest {

  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final FeedSource WORLD = Feeds.source("wire-world", "wire");
  private static final String PUBLISHED = "Mon, 30 Nov 2026 06:00:00 GMT";

  private static ArticleReplay replay() {
    return new ArticleReplay(
        new NormalizerSteps(new Normalizer(CLOCK), NormalizerListener.NONE, CLOCK), CLOCK);
  }

  private static RawWireItem story(String title, String updated, Instant fetchedAt) {
    return Feeds.rawItem(WORLD, Feeds.rss(Feeds.item("g-1", title, PUBLISHED, updated)), fetchedAt);
  }

  @Test
  void shouldCreateVersionOneForANewStory() {
    ArticleReplay.Step step = replay().apply(Feeds.record(0, 0, story("Talks resume", null, T0)));

    assertThat(step)
        .isInstanceOfSatisfying(
            ArticleReplay.Step.Emitted.class,
            e -> {
              assertThat(e.event().version()).isEqualTo(1);
              assertThat(e.event().changeType()).isEqualTo("created");
            });
  }

  @Test
  void shouldSuppressAnIdenticalCopy() {
    ArticleReplay replay = replay();
    replay.apply(Feeds.record(0, 0, story("Talks resume", null, T0)));

    ArticleReplay.Step step =
        replay.apply(Feeds.record(0, 1, story("Talks resume", null, T0.plusSeconds(300))));

    assertThat(step)
        .isInstanceOfSatisfying(
            ArticleReplay.Step.Suppressed.class,
            s -> assertThat(s.reason()).isEqualTo("same-fingerprint"));
  }

  @Test
  void shouldPublishAnEditAsTheNextVersion() {
    ArticleReplay replay = replay();
    replay.apply(Feeds.record(0, 0, story("Talks resume", null, T0)));

    ArticleReplay.Step step =
        replay.apply(
            Feeds.record(
                0, 1, story("Talks resume in Doha", "2026-11-30T07:00:00Z", T0.plusSeconds(300))));

    assertThat(step)
        .isInstanceOfSatisfying(
            ArticleReplay.Step.Emitted.class,
            e -> {
              assertThat(e.event().version()).isEqualTo(2);
              assertThat(e.event().changeType()).isEqualTo("updated");
            });
  }

  @Test
  void shouldClusterWithTheWindowItIsGiven() {
    String lead =
        "Turkish and Azerbaijani officials opened a new rail link between Kars and Nakhchivan on Monday, cutting the journey for freight "
            + "from three days to eleven hours, the transport ministry said in a statement.";
    RawWireItem aa =
        Feeds.rawItem(
            Feeds.source("aa-world", "aa"),
            Feeds.rss(
                """
        <item><guid>aa-1</guid><title>Rail link opens</title><link>https://aa.example/1</link><description>%s</description>
          <pubDate>Mon, 30 Nov 2026 06:00:00 GMT</pubDate></item>"""
                    .formatted(lead)),
            T0);
    RawWireItem trt =
        Feeds.rawItem(
            Feeds.source("trtworld-world", "trtworld"),
            Feeds.rss(
                """
        <item><guid>trt-1</guid><title>New rail link joins Kars and Nakhchivan</title><link>https://trt.example/1</link><description>%s</description>
          <pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate></item>"""
                    .formatted(lead)),
            T0);
    NormalizerSteps steps =
        new NormalizerSteps(new Normalizer(CLOCK), NormalizerListener.NONE, CLOCK);

    ArticleReplay byDefault = new ArticleReplay(steps, CLOCK);
    byDefault.apply(Feeds.record(0, 0, aa));
    ArticleEvent joined =
        ((ArticleReplay.Step.Emitted) byDefault.apply(Feeds.record(1, 0, trt))).event();
    ArticleReplay oneHour =
        new ArticleReplay(steps, new SignatureIndex(Duration.ofHours(1), 1000, CLOCK));
    oneHour.apply(Feeds.record(0, 0, aa));
    ArticleEvent apart =
        ((ArticleReplay.Step.Emitted) oneHour.apply(Feeds.record(1, 0, trt))).event();

    assertThat(joined.cluster().nearDuplicateOf())
        .as("3 h apart, default window 2d")
        .startsWith("urn:wire:aa:");
    assertThat(apart.cluster().nearDuplicateOf()).as("3 h apart, window 1h").isNull();
  }

  @Test
  void shouldStartEveryReplayFromAFreshState() {
    HistoryRecord first = Feeds.record(0, 0, story("Talks resume", null, T0));
    replay().apply(first);

    ArticleReplay.Step again = replay().apply(first);

    assertThat(again)
        .isInstanceOfSatisfying(
            ArticleReplay.Step.Emitted.class, e -> assertThat(e.event().version()).isEqualTo(1));
  }

  @Test
  void shouldTakeTheLineageFromTheRawRecord() {
    ArticleReplay.Step step = replay().apply(Feeds.record(2, 41, story("Talks resume", null, T0)));

    ArticleEvent event = ((ArticleReplay.Step.Emitted) step).event();
    assertThat(event.lineage())
        .isEqualTo(new ArticleEvent.Lineage(Feeds.RAW_TOPIC, 2, 41, event.lineage().key()));
    assertThat(event.lineage().key()).startsWith("wire-world/");
  }

  @Test
  void shouldGiveTheEventTheLiveCloudEventHeaders() {
    ArticleReplay.Step step = replay().apply(Feeds.record(0, 0, story("Talks resume", null, T0)));

    ArticleReplay.Step.Emitted emitted = (ArticleReplay.Step.Emitted) step;
    assertThat(emitted.headers()).isEqualTo(NormalizerSteps.cloudEventHeaders(emitted.event()));
    assertThat(emitted.headers()).containsEntry("ce_id", emitted.event().uri() + "#1");
  }

  @Test
  void shouldDeadLetterBytesThatAreNotARawItemUnderTheRawKey() {
    HistoryRecord junk =
        new HistoryRecord(
            Feeds.RAW_TOPIC,
            1,
            7,
            T0.toEpochMilli(),
            "wire-world/00ff",
            "not json".getBytes(UTF_8));

    ArticleReplay.Step step = replay().apply(junk);

    assertThat(step)
        .isInstanceOfSatisfying(
            ArticleReplay.Step.DeadLettered.class,
            d -> {
              assertThat(d.key()).isEqualTo("wire-world/00ff");
              assertThat(d.deadLetter().stage()).isEqualTo(NormalizerSteps.STAGE_DESERIALIZE);
              assertThat(d.deadLetter().sourceOffset()).isEqualTo(7);
            });
  }

  /**
   * Regression: the live normalizer's dead letters keep the raw record's headers, but the replay
   * never read them, so its dead letters had none.
   */
  @Test
  void shouldKeepTheRawRecordsHeadersOnItsDeadLetterAsLive() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "00-4bf92f3577b34da6-00f067aa0ba902b7-01".getBytes(UTF_8));
    headers.add("origin", new byte[] {0, (byte) 0xff, 7});
    HistoryRecord junk =
        new HistoryRecord(
            Feeds.RAW_TOPIC,
            1,
            7,
            T0.toEpochMilli(),
            "wire-world/00ff",
            "not json".getBytes(UTF_8),
            headers);

    ArticleReplay.Step step = replay().apply(junk);

    assertThat(step)
        .isInstanceOfSatisfying(
            ArticleReplay.Step.DeadLettered.class, d -> assertThat(d.headers()).isEqualTo(headers));
  }

  /**
   * Regression: the replay keyed a dead letter by the whole raw key, while the live normalizer and
   * the dead-letter topic's contract ({@code topics.json}) cut it to 1,000 characters. A
   * hand-written record keyed with 600,000 characters got a dead-letter record with all of them
   * beside a value sized for a cut key (up to 1,000,000 bytes), which could pass the producer's 1
   * MiB and fail the replay.
   */
  @Test
  void shouldKeyADeadLetterByTheRawKeyCutAsTheLiveNormalizerCutsIt() {
    String key = "k".repeat(600_000);
    HistoryRecord byHand =
        new HistoryRecord(Feeds.RAW_TOPIC, 0, 3, T0.toEpochMilli(), key, "{}".getBytes(UTF_8));

    ArticleReplay.Step step = replay().apply(byHand);

    assertThat(step)
        .isInstanceOfSatisfying(
            ArticleReplay.Step.DeadLettered.class,
            d -> {
              assertThat(d.key())
                  .hasSize(1000 + "…(600000 characters)".length())
                  .endsWith("k…(600000 characters)");
              assertThat(d.key()).isEqualTo(d.deadLetter().key());
            });
  }
}
