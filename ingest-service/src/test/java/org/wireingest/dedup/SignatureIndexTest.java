package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.StorySignature;

class SignatureIndexTest {

  private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

  /** The index's present: the stories of these tests lie within a month of {@link #NOW}. */
  private static final Clock CLOCK = Clock.fixed(NOW.plus(Duration.ofDays(30)), ZoneOffset.UTC);

  private static byte[] sig(String headline, String lead) {
    return NearDuplicates.signature(NearDuplicatesTest.story("urn:wire:x:1", headline, lead, null));
  }

  private static StorySignature entry(String uri, byte[] sig, Instant at) {
    return new StorySignature(uri, NearDuplicates.clusterIdOf(uri), sig, at);
  }

  @Test
  void shouldFindAnIndexedStoryByASimilarSignature() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    index.add(entry("urn:wire:aa:1", sig("Rail link opens", NearDuplicatesTest.LEAD), NOW));

    assertThat(index.candidates(sig("New rail link", NearDuplicatesTest.LEAD), NOW))
        .extracting(StorySignature::uri)
        .containsExactly("urn:wire:aa:1");
  }

  @Test
  void shouldReturnEachCandidateOnceThoughItSharesManyBands() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    byte[] s = sig("Rail link opens", NearDuplicatesTest.LEAD);
    index.add(entry("urn:wire:aa:1", s, NOW));

    assertThat(index.candidates(s, NOW)).hasSize(1);
  }

  @Test
  void shouldForgetStoriesOlderThanTheWindowWhenANewOneIsAdded() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    byte[] s = sig("Rail link opens", NearDuplicatesTest.LEAD);
    index.add(entry("urn:wire:aa:1", s, NOW));
    index.add(entry("urn:wire:aa:2", s, NOW.plus(Duration.ofDays(1))));

    int expired =
        index.add(
            entry(
                "urn:wire:aa:3",
                sig(
                    "Floods",
                    "Heavy rain caused rivers to burst their banks across the region on Monday morning"),
                NOW.plus(Duration.ofHours(49))));

    assertThat(expired).isEqualTo(1);
    assertThat(index.get("urn:wire:aa:1")).isNull();
    assertThat(index.candidates(s, NOW.plus(Duration.ofHours(49))))
        .extracting(StorySignature::uri)
        .containsExactly("urn:wire:aa:2");
  }

  @Test
  void shouldReplaceAStoryIndexedAgainWithoutLeavingItsOldBands() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    byte[] rail = sig("Rail link opens", NearDuplicatesTest.LEAD);
    byte[] floods =
        sig(
            "Floods",
            "Heavy rain caused rivers to burst their banks across the region on Monday morning");
    index.add(entry("urn:wire:aa:1", rail, NOW));

    index.add(entry("urn:wire:aa:1", floods, NOW.plusSeconds(1)));

    assertThat(index.candidates(rail, NOW)).isEmpty();
    assertThat(index.candidates(floods, NOW))
        .extracting(StorySignature::uri)
        .containsExactly("urn:wire:aa:1");
  }

  @Test
  void shouldKeepOnlyTheNewestStoriesOfAHotBand() {
    // one story re-published by many outlets: every band holds the same stories
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    byte[] s = sig("Rail link opens", NearDuplicatesTest.LEAD);
    for (int i = 0; i < 10; i++) {
      index.add(entry("urn:wire:outlet" + i + ":1", s, NOW.plusSeconds(i)));
    }

    assertThat(index.candidates(s, NOW))
        .extracting(StorySignature::uri)
        .hasSize(SignatureIndex.MAX_PER_BAND)
        .containsExactlyInAnyOrder(
            "urn:wire:outlet6:1", "urn:wire:outlet7:1", "urn:wire:outlet8:1", "urn:wire:outlet9:1");
    assertThat(index.get("urn:wire:outlet0:1"))
        .as("still indexed, only out of the bands")
        .isNotNull();
  }

  @Test
  void shouldFindOnlyStoriesFirstCreatedWithinTheWindow() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    byte[] s = sig("Rail link opens", NearDuplicatesTest.LEAD);
    index.add(entry("urn:wire:aa:1", s, NOW));

    assertThat(index.candidates(s, NOW.plus(Duration.ofDays(2)))).hasSize(1);
    assertThat(index.candidates(s, NOW.plus(Duration.ofDays(3))))
        .as("a replay's later story")
        .isEmpty();
    assertThat(index.candidates(s, NOW.minus(Duration.ofDays(3))))
        .as("a backlog's older story")
        .isEmpty();
  }

  @Test
  void shouldForgetTheOldestStoriesBeyondItsSize() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 3, CLOCK);
    for (int i = 0; i < 5; i++) {
      index.add(
          entry(
              "urn:wire:aa:" + i,
              sig("Story " + i, NearDuplicatesTest.LEAD + " number " + i),
              NOW.plusSeconds(i)));
    }

    assertThat(index.size()).isEqualTo(3);
    assertThat(index.get("urn:wire:aa:1")).isNull();
    assertThat(index.get("urn:wire:aa:2")).isNotNull();
  }

  @Test
  void shouldTakeTheSameStoryAddedAgainAsANoOp() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    StorySignature e = entry("urn:wire:aa:1", sig("Rail link opens", NearDuplicatesTest.LEAD), NOW);
    index.add(e);

    index.add(new StorySignature(e.uri(), e.clusterId(), e.signature().clone(), e.firstCreated()));

    assertThat(index.size()).isEqualTo(1);
    assertThat(index.candidates(e.signature(), NOW)).containsExactly(e);
  }

  @Test
  void shouldKeepTheStoriesOfTheWindowWhateverOrderTheyComeIn() {
    // regression: the global store is restored one partition after another, each from its
    // beginning; expiry by order of arrival kept old stories and dropped recent ones
    List<StorySignature> stories = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      for (int day = 0; day < 7; day++) {
        for (int i = 0; i < 10; i++) {
          stories.add(
              entry(
                  "urn:wire:p" + p + ":" + day + "-" + i,
                  sig(
                      "Story " + p + " " + day + " " + i,
                      NearDuplicatesTest.LEAD + " " + p + " " + day + " " + i),
                  NOW.plus(Duration.ofDays(day)).plusSeconds(i)));
        }
      }
    }
    SignatureIndex byPartition = new SignatureIndex(Duration.ofDays(2), 90, CLOCK);
    stories.forEach(byPartition::add);
    SignatureIndex byTime = new SignatureIndex(Duration.ofDays(2), 90, CLOCK);
    stories.stream()
        .sorted(Comparator.comparing(StorySignature::firstCreated))
        .forEach(byTime::add);

    // the window of the newest story (day 6) holds days 4 to 6 at its edges: at most 90 stories
    assertThat(byPartition.size()).isEqualTo(byTime.size());
    for (StorySignature s : stories) {
      assertThat(byPartition.get(s.uri()) != null)
          .as(s.uri())
          .isEqualTo(byTime.get(s.uri()) != null);
    }
    assertThat(byPartition.get("urn:wire:p0:6-9")).isNotNull();
    assertThat(byPartition.get("urn:wire:p2:0-0")).isNull();
  }

  @Test
  void shouldPlaceANearDuplicateInTheClusterOfTheStoryItResembles() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    NearDuplicates.Placement first =
        index.place(
            "urn:wire:trtworld:1",
            sig("New rail link joins Kars and Nakhchivan", NearDuplicatesTest.LEAD),
            NOW);
    NearDuplicates.Placement second =
        index.place(
            "urn:wire:aa:1",
            sig("Türkiye, Azerbaijan open Kars-Nakhchivan rail link", NearDuplicatesTest.LEAD),
            NOW.plusSeconds(60));

    assertThat(first.story().cluster())
        .isEqualTo(
            new ArticleEvent.Cluster(
                NearDuplicates.clusterIdOf("urn:wire:trtworld:1"), null, null));
    assertThat(second.story().clusterId()).isEqualTo(first.story().clusterId());
    assertThat(second.story().nearDuplicateOf()).isEqualTo("urn:wire:trtworld:1");
    assertThat(second.story().similarity()).isGreaterThanOrEqualTo(NearDuplicates.THRESHOLD);
    assertThat(index.get("urn:wire:aa:1"))
        .as("placing indexes the story")
        .isEqualTo(second.story());
  }

  @Test
  void shouldClusterButRefuseAStoryPlacedMoreThanTheWindowBeforeTheNewest() {
    // a feed backfilling old-dated stories (soak finding 3.1): the story is compared with the
    // stories indexed, but not kept, and the placement says so
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    Instant indexedAt = NOW.minus(Duration.ofHours(47)); // within the window of the newest
    Instant backfilledAt = NOW.minus(Duration.ofHours(49)); // out of it, 2 h from the first
    index.place(
        "urn:wire:trtworld:1",
        sig("New rail link joins Kars and Nakhchivan", NearDuplicatesTest.LEAD),
        indexedAt);
    index.place(
        "urn:wire:bb:1",
        sig(
            "Floods",
            "Heavy rain caused rivers to burst their banks across the region on Monday morning"),
        NOW);
    byte[] aa = sig("Türkiye, Azerbaijan open Kars-Nakhchivan rail link", NearDuplicatesTest.LEAD);

    NearDuplicates.Placement late = index.place("urn:wire:aa:1", aa, backfilledAt);

    assertThat(late.refused()).isTrue();
    assertThat(late.forgotten()).isZero();
    assertThat(late.story().nearDuplicateOf())
        .as("compared with the stories indexed")
        .isEqualTo("urn:wire:trtworld:1");
    assertThat(index.get("urn:wire:aa:1")).as("not kept").isNull();
    assertThat(index.candidates(aa, backfilledAt))
        .extracting(StorySignature::uri)
        .containsExactly("urn:wire:trtworld:1");
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.add(late.story()))
        .as("read back by the global store: refused again, counted as nothing")
        .isZero();
    assertThat(index.get("urn:wire:aa:1")).isNull();
  }

  @Test
  void shouldRefuseAStoryFirstCreatedMoreThanTheToleranceAfterTheClock() {
    SignatureIndex index =
        new SignatureIndex(Duration.ofDays(2), 1000, Clock.fixed(NOW, ZoneOffset.UTC));
    byte[] rail = sig("Rail link opens", NearDuplicatesTest.LEAD);
    Instant yearsAhead = NOW.plus(Duration.ofDays(5 * 365));

    NearDuplicates.Placement ahead = index.place("urn:wire:bb:1", rail, yearsAhead);

    assertThat(ahead.refused()).isTrue();
    assertThat(index.get("urn:wire:bb:1")).isNull();
    assertThat(index.add(ahead.story())).as("read back by the global store").isZero();
    assertThat(index.get("urn:wire:bb:1")).isNull();

    NearDuplicates.Placement present =
        index.place("urn:wire:aa:1", rail, NOW.minus(Duration.ofHours(3)));
    assertThat(present.refused()).as("the story dated ahead did not become the newest").isFalse();
    assertThat(index.get("urn:wire:aa:1")).isEqualTo(present.story());

    Instant withinTolerance = NOW.plus(SignatureIndex.FUTURE_TOLERANCE);
    NearDuplicates.Placement skewed =
        index.place(
            "urn:wire:cc:1",
            sig("Central bank holds rates", "The central bank " + NearDuplicatesTest.LEAD),
            withinTolerance);
    assertThat(skewed.refused()).as("a poller's clock a little ahead").isFalse();
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void shouldKeepAStoryPlacedWithinTheWindowOfTheNewest() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    index.place(
        "urn:wire:bb:1",
        sig(
            "Floods",
            "Heavy rain caused rivers to burst their banks across the region on Monday morning"),
        NOW);

    NearDuplicates.Placement older =
        index.place(
            "urn:wire:aa:1",
            sig("Rail link opens", NearDuplicatesTest.LEAD),
            NOW.minus(Duration.ofDays(2)));

    assertThat(older.refused()).as("exactly the window before the newest").isFalse();
    assertThat(index.get("urn:wire:aa:1")).isEqualTo(older.story());

    NearDuplicates.Placement newer =
        index.place(
            "urn:wire:aa:2",
            sig("Central bank holds rates", "The central bank " + NearDuplicatesTest.LEAD),
            NOW.plusSeconds(60));

    assertThat(newer.refused()).isFalse();
    assertThat(newer.forgotten()).as("aa:1, now out of the window").isEqualTo(1);
    assertThat(index.get("urn:wire:aa:2")).isEqualTo(newer.story());
  }

  @Test
  void shouldNeverRefuseAPlacementInTheEmptyIndex() {
    NearDuplicates.Placement placed =
        NearDuplicates.Index.EMPTY.place(
            "urn:wire:aa:1", sig("Rail link opens", NearDuplicatesTest.LEAD), NOW);

    assertThat(placed.refused()).isFalse();
    assertThat(placed.forgotten()).isZero();
  }

  @Test
  void shouldGiveAStoryPlacedAgainTheClusterItWasGivenFirst() {
    // an aborted transaction: the first version of trtworld:1 was placed (and indexed), aa:1 then
    // joined its cluster through it, and trtworld:1 is decided again. Before, it joined aa:1 (a
    // nearDuplicateOf cycle); now it keeps the cluster it started.
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    byte[] trt = sig("New rail link joins Kars and Nakhchivan", NearDuplicatesTest.LEAD);
    NearDuplicates.Placement first = index.place("urn:wire:trtworld:1", trt, NOW);
    index.place(
        "urn:wire:aa:1",
        sig("Türkiye, Azerbaijan open Kars-Nakhchivan rail link", NearDuplicatesTest.LEAD),
        NOW);

    NearDuplicates.Placement again = index.place("urn:wire:trtworld:1", trt.clone(), NOW);

    assertThat(again.story()).isEqualTo(first.story());
    assertThat(again.story().nearDuplicateOf()).isNull();
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void shouldGiveAStoryPlacedAgainAfterItLeftTheWindowTheClusterItStarted() {
    // trtworld:1 started a cluster, aa:1 joined it ten minutes later, a newer story pushed
    // trtworld:1 (only) out of the window, and trtworld:1 is decided again (aborted transaction):
    // its own entry is gone, and it joined aa:1, a nearDuplicateOf cycle in its own cluster
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    byte[] trt = sig("New rail link joins Kars and Nakhchivan", NearDuplicatesTest.LEAD);
    NearDuplicates.Placement first = index.place("urn:wire:trtworld:1", trt, NOW);
    index.place(
        "urn:wire:aa:1",
        sig("Türkiye, Azerbaijan open Kars-Nakhchivan rail link", NearDuplicatesTest.LEAD),
        NOW.plus(Duration.ofMinutes(10)));
    index.place(
        "urn:wire:bb:1",
        sig(
            "Floods",
            "Heavy rain caused rivers to burst their banks across the region on Monday morning"),
        NOW.plus(Duration.ofDays(2)).plusSeconds(300));
    assertThat(index.get("urn:wire:trtworld:1")).isNull();

    NearDuplicates.Placement again = index.place("urn:wire:trtworld:1", trt.clone(), NOW);

    assertThat(again.story().cluster()).isEqualTo(first.story().cluster());
    assertThat(again.refused()).as("still out of the window").isTrue();
  }

  @Test
  void shouldGiveAStoryPlacedAgainAfterTheIndexForgotItForRoomTheClusterItStarted() {
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 2, CLOCK);
    byte[] trt = sig("New rail link joins Kars and Nakhchivan", NearDuplicatesTest.LEAD);
    NearDuplicates.Placement first = index.place("urn:wire:trtworld:1", trt, NOW);
    index.place(
        "urn:wire:aa:1",
        sig("Türkiye, Azerbaijan open Kars-Nakhchivan rail link", NearDuplicatesTest.LEAD),
        NOW.plusSeconds(1));
    index.place(
        "urn:wire:bb:1",
        sig(
            "Floods",
            "Heavy rain caused rivers to burst their banks across the region on Monday morning"),
        NOW.plusSeconds(2));
    assertThat(index.get("urn:wire:trtworld:1")).isNull();

    NearDuplicates.Placement again = index.place("urn:wire:trtworld:1", trt.clone(), NOW);

    assertThat(again.story().cluster()).isEqualTo(first.story().cluster());
    // From a review: indexed and forgotten at once, it was counted as forgotten, never as refused
    assertThat(again.refused()).as("older than every story of the full index").isTrue();
    assertThat(again.forgotten()).as("no other story").isZero();
    assertThat(index.get("urn:wire:trtworld:1")).isNull();
    assertThat(index.size()).isEqualTo(2);
  }

  @Test
  void shouldNameTheStoryJoinedThroughForAnEntryWrittenBeforeNearDuplicateOfWas() {
    // session 14's records: a story that joined a cluster, without nearDuplicateOf
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 1000, CLOCK);
    byte[] trt = sig("New rail link joins Kars and Nakhchivan", NearDuplicatesTest.LEAD);
    index.add(
        entry(
            "urn:wire:aa:1",
            sig("Türkiye, Azerbaijan open Kars-Nakhchivan rail link", NearDuplicatesTest.LEAD),
            NOW));
    index.add(
        new StorySignature(
            "urn:wire:trtworld:1",
            NearDuplicates.clusterIdOf("urn:wire:aa:1"),
            trt,
            NOW.plusSeconds(60)));

    NearDuplicates.Placement again = index.place("urn:wire:trtworld:1", trt, NOW.plusSeconds(60));

    assertThat(again.story().clusterId()).isEqualTo(NearDuplicates.clusterIdOf("urn:wire:aa:1"));
    assertThat(again.story().nearDuplicateOf())
        .as("not a story that started a cluster of another's id")
        .isEqualTo("urn:wire:aa:1");
    assertThat(again.story().similarity()).isGreaterThanOrEqualTo(NearDuplicates.THRESHOLD);
  }

  @Test
  void shouldPutNearDuplicatesPlacedByTwoThreadsAtOnceInOneCluster() throws Exception {
    // lookup and add are one step: with a lookup outside the lock, both threads could see an
    // empty index and each start a cluster
    SignatureIndex index = new SignatureIndex(Duration.ofDays(2), 100_000, CLOCK);
    int pairs = 300;
    byte[][] left = new byte[pairs][];
    byte[][] right = new byte[pairs][];
    for (int i = 0; i < pairs; i++) {
      Random random =
          new Random(i); // a lead of its own: pairs are not near-duplicates of each other
      StringBuilder lead = new StringBuilder();
      for (int w = 0; w < 30; w++) {
        lead.append("w").append(Integer.toString(random.nextInt(1_000_000), 36)).append(' ');
      }
      left[i] = sig("Rail link opens", lead.toString());
      right[i] = sig("New rail link", lead.toString());
    }
    CyclicBarrier barrier = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> a =
          pool.submit(
              () -> {
                for (int i = 0; i < pairs; i++) {
                  await(barrier);
                  index.place("urn:wire:aa:" + i, left[i], NOW);
                }
                return null;
              });
      Future<?> b =
          pool.submit(
              () -> {
                for (int i = 0; i < pairs; i++) {
                  await(barrier);
                  index.place("urn:wire:trtworld:" + i, right[i], NOW);
                }
                return null;
              });
      a.get();
      b.get();
    } finally {
      pool.shutdownNow();
    }

    for (int i = 0; i < pairs; i++) {
      StorySignature aa = index.get("urn:wire:aa:" + i);
      StorySignature trt = index.get("urn:wire:trtworld:" + i);
      assertThat(aa.clusterId()).as("pair " + i).isEqualTo(trt.clusterId());
      assertThat(aa.nearDuplicateOf() == null)
          .as("pair " + i + ": exactly one started the cluster")
          .isNotEqualTo(trt.nearDuplicateOf() == null);
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldRefuseANonPositiveWindow() {
    assertThatThrownBy(() -> new SignatureIndex(Duration.ZERO, 1000, CLOCK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
