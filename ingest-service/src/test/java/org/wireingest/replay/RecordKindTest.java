package org.wireingest.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.streams.NormalizerListener;
import org.wireingest.streams.NormalizerSteps;

/** What a replay's target topic holds, judged record by record. */
class RecordKindTest {

  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  private static final FeedSource WORLD = Feeds.source("wire-world", "wire");

  private final RawWireItem item =
      Feeds.rawItem(
          WORLD,
          Feeds.rss(Feeds.item("g-1", "Talks resume", "Mon, 30 Nov 2026 06:00:00 GMT", null)),
          T0);
  private final HistoryRecord raw = Feeds.record(0, 0, item);

  private ArticleEvent event() {
    ArticleReplay.Step step =
        new ArticleReplay(
                new NormalizerSteps(new Normalizer(CLOCK), NormalizerListener.NONE, CLOCK), CLOCK)
            .apply(raw);
    assertThat(step).isInstanceOf(ArticleReplay.Step.Emitted.class);
    return ((ArticleReplay.Step.Emitted) step).event();
  }

  private static HistoryRecord record(String key, byte[] value) {
    return new HistoryRecord("t", 0, 0, T0.toEpochMilli(), key, value);
  }

  @Test
  void shouldTellARawItemAsThePollerWritesIt() {
    assertThat(RecordKind.of(raw)).isEqualTo(RecordKind.RAW_ITEMS);
  }

  @Test
  void shouldTellAnArticleEventKeyedByItsUri() {
    ArticleEvent e = event();

    assertThat(RecordKind.of(record(e.uri(), Feeds.json(e)))).isEqualTo(RecordKind.ARTICLE_EVENTS);
    assertThat(RecordKind.of(record("urn:wire:wire:other", Feeds.json(e))))
        .as("keyed by another uri")
        .isEqualTo(RecordKind.OTHER);
  }

  @Test
  void shouldTellAnArticleEventOfAnotherSchemaVersionByTheFieldsConsumersRelyOn() {
    assertThat(
            RecordKind.of(
                record(
                    "urn:wire:aa:1",
                    "{\"uri\":\"urn:wire:aa:1\",\"version\":3,\"changeType\":\"updated\",\"new\":1}"
                        .getBytes(UTF_8))))
        .isEqualTo(RecordKind.ARTICLE_EVENTS);
    assertThat(
            RecordKind.of(
                record(
                    "urn:wire:aa:1",
                    "{\"uri\":\"urn:wire:aa:1\",\"version\":0,\"changeType\":\"created\"}"
                        .getBytes(UTF_8))))
        .as("version 0")
        .isEqualTo(RecordKind.OTHER);
  }

  @Test
  void shouldCallEverythingElseOtherAndATombstoneNothing() {
    assertThat(RecordKind.of(record(raw.key(), "{\"truncated\": ".getBytes(UTF_8))))
        .isEqualTo(RecordKind.OTHER);
    assertThat(RecordKind.of(record("wire-world", "{\"sourceId\":\"wire-world\"}".getBytes(UTF_8))))
        .isEqualTo(RecordKind.OTHER);
    assertThat(RecordKind.of(record("x", new byte[] {(byte) 0xff, 0}))).isEqualTo(RecordKind.OTHER);
    assertThat(RecordKind.of(record(raw.key(), null))).isNull();
  }
}
