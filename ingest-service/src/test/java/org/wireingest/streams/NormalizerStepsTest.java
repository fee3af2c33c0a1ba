package org.wireingest.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.dedup.DedupState;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.poll.RawItems;

/** The per-record rules shared by the live topology and replay. */
class NormalizerStepsTest {

  private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final NormalizerSteps.Position AT = new NormalizerSteps.Position("wire.raw-items.v1", 2, 17, "wire-world/ab");
  private static final FeedSource WORLD =
      new FeedSource("wire-world", "Wire", "wire", URI.create("https://wire.example/rss"), Duration.ofMinutes(5), "en", IdentityPolicy.AUTO, Map.of());

  private final NormalizerSteps steps = new NormalizerSteps(new Normalizer(CLOCK), NormalizerListener.NONE, CLOCK);

  private static byte[] rawItem(String title) throws JsonProcessingException {
    String rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Wire</title>
          <item><guid>g-1</guid><title>%s</title><pubDate>Mon, 30 Nov 2026 06:00:00 GMT</pubDate></item>
        </channel></rss>
        """.formatted(title);
    var feed = ((ParseResult.Parsed) new FeedParser().parse(rss.getBytes(UTF_8), null)).feed();
    RawWireItem.Fetch fetch = new RawWireItem.Fetch(NOW, "https://wire.example/rss", 200, null, null, null, "ab".repeat(32));
    RawWireItem item = RawItems.plan(WORLD, fetch, feed, FeedState.initial(WORLD.id(), "https://wire.example/rss"), NOW).toPublish().get(0);
    return Json.MAPPER.writeValueAsBytes(item);
  }

  @Test
  void shouldMakeADraftWithTheRecordAsLineage() throws Exception {
    StageOutput out = steps.normalize(AT, rawItem("Talks resume"));

    assertThat(out.article().lineage()).isEqualTo(new ArticleEvent.Lineage("wire.raw-items.v1", 2, 17, "wire-world/ab"));
    assertThat(out.article().ingestedAt()).isEqualTo(NOW);
  }

  @Test
  void shouldDeadLetterATombstoneAtTheDeserializeStage() {
    StageOutput out = steps.normalize(AT, null);

    assertThat(out.deadLetter().stage()).isEqualTo(NormalizerSteps.STAGE_DESERIALIZE);
  }

  @Test
  void shouldEmitVersionOneWithCloudEventHeadersForANewUri() throws Exception {
    ArticleEvent draft = steps.normalize(AT, rawItem("Talks resume")).article();

    NormalizerSteps.Dedup out = steps.dedup(null, draft, AT);

    assertThat(out).isInstanceOfSatisfying(NormalizerSteps.Dedup.Emit.class, emit -> {
      assertThat(emit.state().version()).isEqualTo(1);
      assertThat(emit.headers()).containsEntry("ce_type", "org.wireingest.article.created").containsEntry("ce_subject", draft.uri());
    });
  }

  @Test
  void shouldSuppressADraftWithTheStoredFingerprint() throws Exception {
    ArticleEvent draft = steps.normalize(AT, rawItem("Talks resume")).article();
    DedupState stored = new DedupState(draft.uri(), 1, draft.fingerprint(), draft.firstCreated(), draft.versionCreated());

    assertThat(steps.dedup(stored, draft, AT)).isEqualTo(new NormalizerSteps.Dedup.Suppressed("same-fingerprint"));
  }

  @Test
  void shouldDeadLetterADraftWhoseStateBelongsToAnotherUri() throws Exception {
    ArticleEvent draft = steps.normalize(AT, rawItem("Talks resume")).article();
    DedupState other = new DedupState("urn:wire:wire:" + "0".repeat(32), 1, "f".repeat(64), NOW, NOW);

    assertThat(steps.dedup(other, draft, AT)).isInstanceOfSatisfying(NormalizerSteps.Dedup.Rejected.class,
        r -> assertThat(r.deadLetter().stage()).isEqualTo(NormalizerSteps.STAGE_DEDUP));
  }
}
