package org.wireingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedSource;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.streams.NormalizerListener;
import org.wireingest.streams.NormalizerSteps;

class StoryBuilderTest {

  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
  private static final FeedSource WORLD = Feeds.source("wire-world", "wire");
  private static final String PUBLISHED = "Mon, 30 Nov 2026 06:00:00 GMT";

  private final ArticleReplay replay =
      new ArticleReplay(
          new NormalizerSteps(new Normalizer(CLOCK), NormalizerListener.NONE, CLOCK), CLOCK);

  private static RawWireItem story(String title, String updated, Instant fetchedAt) {
    return Feeds.rawItem(WORLD, Feeds.rss(Feeds.item("g-1", title, PUBLISHED, updated)), fetchedAt);
  }

  private static FetchLogRecord fetchStarted(Instant at, String outcome) {
    return new FetchLogRecord(
        WORLD.id(),
        WORLD.url().toString(),
        at,
        100,
        200,
        outcome,
        1234,
        1,
        1,
        null,
        "application/rss+xml",
        "ab".repeat(32),
        null);
  }

  /** Original at T0, an identical copy at T0+5m, an edit at T0+10m. */
  private Story edited(Map<String, List<FetchLogRecord>> fetches) {
    RawWireItem v1 = story("Talks resume", null, T0);
    StoryBuilder builder = new StoryBuilder("urn:wire:wire:" + v1.itemKey());
    long offset = 0;
    for (RawWireItem item :
        List.of(
            v1,
            story("Talks resume", null, T0.plusSeconds(300)),
            story("Talks resume in Doha", "2026-11-30T07:00:00Z", T0.plusSeconds(600)))) {
      HistoryRecord record = Feeds.record(0, offset++, item);
      builder.add(record, item, replay.apply(record));
    }
    return builder.build(fetches);
  }

  @Test
  void shouldListEveryVersionInOrder() {
    Story story = edited(Map.of());

    assertThat(story.versions())
        .extracting(v -> v.event().version() + " " + v.event().changeType())
        .containsExactly("1 created", "2 updated");
  }

  @Test
  void shouldGroupADuplicateUnderTheVersionItCopies() {
    Story story = edited(Map.of());

    assertThat(story.versions().get(0).rawItems())
        .extracting(Story.RawItem::offset, Story.RawItem::decision)
        .containsExactly(tuple(0L, "created"), tuple(1L, "duplicate:same-fingerprint"));
  }

  @Test
  void shouldJoinEachRawItemToTheLatestFetchStartedBeforeIt() {
    FetchLogRecord earlier = fetchStarted(T0.minusSeconds(310), "ok");
    FetchLogRecord delivering = fetchStarted(T0.minusMillis(100), "ok");
    FetchLogRecord later = fetchStarted(T0.plusSeconds(250), "ok");

    Story story = edited(Map.of(WORLD.id(), List.of(later, earlier, delivering)));

    assertThat(story.versions().get(0).rawItems().get(0).fetch()).isEqualTo(delivering);
  }

  @Test
  void shouldLeaveTheFetchEmptyWhenTheLogNoLongerHasIt() {
    Story story = edited(Map.of());

    assertThat(story.versions().get(1).rawItems().get(0).fetch()).isNull();
  }

  @Test
  void shouldRenderAHeadingAndEachVersionWithItsRawItems() {
    Story story = edited(Map.of(WORLD.id(), List.of(fetchStarted(T0.minusMillis(100), "ok"))));

    List<String> text = StoryFormat.text(story);

    assertThat(text.get(0))
        .endsWith("2 versions from 3 raw items (1 suppressed as duplicates, 0 rejected)");
    assertThat(text)
        .filteredOn(l -> l.startsWith("v"))
        .containsExactly(
            "v1 created 2026-11-30T06:00:00Z \"Talks resume\" [usable]",
            "v2 updated 2026-11-30T07:00:00Z \"Talks resume in Doha\" [usable] changed: headline");
    assertThat(text)
        .anyMatch(
            l ->
                l.contains(
                    "fetch 2026-11-30T07:59:59.900Z of https://wire.example/wire-world.xml: ok, status 200"));
  }

  // Found in a replay test: a story whose one raw item was dead-lettered (its article event over
  // the size limit) was headed "0 versions from 0 raw items (0 suppressed as duplicates, 1
  // rejected)": the rejected raw item is one of the story's raw items.
  @Test
  void shouldCountRejectedRawItemsAmongTheRawItemsOfTheHeading() {
    Story edited = edited(Map.of());
    Story.RawItem last = edited.versions().get(1).rawItems().get(0);
    Story.Rejected rejected =
        new Story.Rejected(
            new Story.RawItem(
                last.topic(),
                last.partition(),
                last.offset() + 1,
                last.key(),
                last.timestamp(),
                last.sourceId(),
                last.fetchedAt(),
                last.entryHash(),
                "dead-letter",
                null),
            new DeadLetter(
                NormalizerSteps.STAGE_NORMALIZE,
                DeadLetter.RECORD_TOO_LARGE,
                "article event of 1050798 bytes exceeds the normalizer's limit of 1000000 bytes",
                last.topic(),
                last.partition(),
                last.offset() + 1,
                last.key(),
                3,
                null,
                "{}",
                T0));

    assertThat(StoryFormat.text(new Story(edited.uri(), edited.versions(), List.of(rejected))))
        .first()
        .asString()
        .endsWith("2 versions from 4 raw items (1 suppressed as duplicates, 1 rejected)");
    assertThat(StoryFormat.text(new Story(edited.uri(), List.of(), List.of(rejected))))
        .first()
        .asString()
        .endsWith(": 0 versions from 1 raw item (0 suppressed as duplicates, 1 rejected)");
  }

  // story printed "status 0" for a feed read from a file: URL, which has no HTTP status.
  @Test
  void shouldShowNoHttpStatusForAFileFeed() {
    FetchLogRecord fromFile =
        new FetchLogRecord(
            WORLD.id(),
            "file:/srv/feeds/wire-world.xml",
            T0.minusMillis(100),
            3,
            0,
            "ok",
            1234,
            1,
            1,
            null,
            "application/rss+xml",
            "ab".repeat(32),
            null);
    Story story = edited(Map.of(WORLD.id(), List.of(fromFile)));

    assertThat(StoryFormat.text(story))
        .filteredOn(l -> l.contains(" fetch "))
        .hasSize(3)
        .allMatch(
            l ->
                l.endsWith(
                    "fetch 2026-11-30T07:59:59.900Z of file:/srv/feeds/wire-world.xml: ok, 1,234 bytes in 3 ms, 1 entry, 1 published, body not stored"));
    // --json shows the fetch-log record as its schema defines it, where status 0 means no HTTP
    // response
    assertThat(StoryFormat.jsonLines(story).get(0))
        .contains("\"url\":\"file:/srv/feeds/wire-world.xml\"", "\"status\":0");
  }

  @Test
  void shouldSayAFetchGotNoResponseRatherThanStatus0() {
    // (a raw item never comes from a fetch without response; joined here only to render one)
    FetchLogRecord timedOut =
        new FetchLogRecord(
            WORLD.id(),
            WORLD.url().toString(),
            T0.minusSeconds(10),
            10_000,
            0,
            "timeout",
            0,
            null,
            0,
            "read timed out",
            null,
            null,
            null);

    List<String> text = StoryFormat.text(edited(Map.of(WORLD.id(), List.of(timedOut))));

    assertThat(text)
        .filteredOn(l -> l.contains(" fetch "))
        .hasSize(3)
        .allMatch(
            l ->
                l.endsWith(
                    "fetch 2026-11-30T07:59:50Z of https://wire.example/wire-world.xml: timeout, no response, 0 bytes in 10000 ms, - entries, 0 published, body not stored"));
  }

  @Test
  void shouldWriteOneJsonLinePerVersionWithoutBodyData() {
    FetchLogRecord withBody =
        new FetchLogRecord(
            WORLD.id(),
            WORLD.url().toString(),
            T0.minusMillis(100),
            100,
            200,
            "ok",
            1234,
            1,
            1,
            null,
            "application/rss+xml",
            "ab".repeat(32),
            new FetchLogRecord.Body("zstd", 8, false, "AAECAwQFBgc="));
    Story story = edited(Map.of(WORLD.id(), List.of(withBody)));

    List<String> lines = StoryFormat.jsonLines(story);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .contains("\"version\":1", "\"compressedBytes\":8")
        .doesNotContain("AAECAwQFBgc=");
  }

  @Test
  void shouldEndTheJsonLinesWithTheLiveClusterAndPutItOnEveryVersionsEvent() {
    Story plain = edited(Map.of());
    ArticleEvent.Cluster own =
        new ArticleEvent.Cluster(
            "urn:wire:cluster:" + "a".repeat(32), "urn:wire:aa:" + "b".repeat(32), 0.8);
    StoryCluster cluster =
        new StoryCluster(
            own.id(),
            own,
            List.of(
                new StoryCluster.Member(
                    "urn:wire:aa:" + "b".repeat(32), T0.minusSeconds(60), null, null),
                new StoryCluster.Member(plain.uri(), T0, own.nearDuplicateOf(), 0.8)));

    Story story = plain.withCluster(cluster);
    List<String> lines = StoryFormat.jsonLines(story);

    assertThat(story.versions()).allSatisfy(v -> assertThat(v.event().cluster()).isEqualTo(own));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(2))
        .startsWith("{\"uri\":\"" + plain.uri() + "\",\"cluster\":{\"id\":\"" + own.id() + "\"")
        .contains(
            "\"members\":[{\"uri\":\"urn:wire:aa:"
                + "b".repeat(32)
                + "\",\"firstCreated\":\"2026-11-30T07:59:00Z\"}");
    assertThat(StoryFormat.text(story))
        .contains("near-duplicate cluster " + own.id() + ": 2 stories");
  }

  /** A cluster of {@code size} stories by firstCreated, {@code story} the one at {@code at}. */
  private static StoryCluster clusterOf(Story story, int size, int at) {
    List<StoryCluster.Member> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String uri = i == at ? story.uri() : String.format("urn:wire:aa:%032x", i);
      members.add(
          new StoryCluster.Member(
              uri,
              T0.plusSeconds(i),
              i == 0 ? null : String.format("urn:wire:aa:%032x", 0),
              i == 0 ? null : 0.8));
    }
    ArticleEvent.Cluster own =
        new ArticleEvent.Cluster("urn:wire:cluster:" + "a".repeat(32), members.get(0).uri(), 0.8);
    return new StoryCluster(own.id(), own, members);
  }

  /** The text's lines of the cluster's stories, and the line after them. */
  private static List<String> clusterLines(Story story) {
    List<String> text = StoryFormat.text(story);
    int heading =
        text.indexOf(
            text.stream().filter(l -> l.startsWith("near-duplicate cluster ")).findFirst().get());
    return text.subList(heading + 1, text.size()).stream()
        .takeWhile(l -> l.startsWith("   "))
        .toList();
  }

  // A wire story re-published by many outlets listed every one of them, a
  // line each, before the story's own versions.
  // A cluster holds the agency's own re-issues under a new GUID too, not only other agencies'
  // copies: the line for a story alone said "no other agency's copy recorded".
  @Test
  void shouldSayAStoryAloneInItsClusterHasNoCopyOfAnyAgency() {
    Story plain = edited(Map.of());

    assertThat(StoryFormat.text(plain.withCluster(clusterOf(plain, 1, 0))))
        .contains(
            "near-duplicate cluster urn:wire:cluster:"
                + "a".repeat(32)
                + ": this story alone (no other story, of this agency or another, has joined it)");
  }

  @Test
  void shouldListAtMostTwentyStoriesOfTheClusterAndCountTheRest() {
    Story plain = edited(Map.of());

    List<String> lines = clusterLines(plain.withCluster(clusterOf(plain, 25, 3)));

    assertThat(StoryFormat.CLUSTER_LINES_SHOWN).isEqualTo(20);
    assertThat(lines).hasSize(21);
    assertThat(lines.get(3)).startsWith("   " + plain.uri()).endsWith("<- this story");
    assertThat(lines.get(19)).startsWith(String.format("   urn:wire:aa:%032x ", 19));
    assertThat(lines.get(20)).isEqualTo("   and 5 more stories (--json lists them all)");
    assertThat(StoryFormat.text(plain.withCluster(clusterOf(plain, 25, 3))))
        .contains("near-duplicate cluster urn:wire:cluster:" + "a".repeat(32) + ": 25 stories");
  }

  @Test
  void shouldShowThisStoryAmongTheTwentyWhenItJoinedTheClusterLate() {
    Story plain = edited(Map.of());

    List<String> lines = clusterLines(plain.withCluster(clusterOf(plain, 22, 21)));

    assertThat(lines).hasSize(21);
    assertThat(lines.get(18)).startsWith(String.format("   urn:wire:aa:%032x ", 18));
    assertThat(lines.get(19)).startsWith("   " + plain.uri()).endsWith("<- this story");
    assertThat(lines.get(20)).isEqualTo("   and 2 more stories (--json lists them all)");
  }

  @Test
  void shouldListEveryStoryOfAClusterOfTwentyAndCountOneMoreInTheSingular() {
    Story plain = edited(Map.of());

    assertThat(clusterLines(plain.withCluster(clusterOf(plain, 20, 0))))
        .hasSize(20)
        .noneMatch(l -> l.contains(" more "));
    assertThat(clusterLines(plain.withCluster(clusterOf(plain, 21, 0))))
        .hasSize(21)
        .last()
        .isEqualTo("   and 1 more story (--json lists them all)");
  }
}
