package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wireingest.model.Json;

/** The stored state's JSON: a state written before a field existed still reads, as "unknown". */
class DedupStateTest {

  private static final String URI = "urn:wire:trtworld:0123456789abcdef0123456789abcdef";
  private static final Instant T = Instant.parse("2026-11-30T08:00:00Z");

  private static final DedupState FULL =
      new DedupState(
          URI,
          3,
          "ab".repeat(32),
          T,
          T.plusSeconds(60),
          "cd".repeat(32),
          List.of("ef".repeat(32)),
          T.plusSeconds(30),
          "trtworld-world",
          T.plusSeconds(90),
          "0badcafe",
          120,
          List.of("00000001"),
          List.of("00000002"),
          List.of("00000003"),
          "usable",
          java.util.Map.of("canceled", T),
          "Talks resumed",
          "00000004",
          List.of("00000005"),
          new org.wireingest.model.ArticleEvent.Cluster(
              "urn:wire:cluster:" + "0".repeat(32), null, null),
          new DedupState.FieldHashes("1", "2", "3", "4", "5"),
          null);

  /** The record's components whose values differ between two states. */
  private static List<String> changed(DedupState a, DedupState b) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (java.lang.reflect.RecordComponent c : DedupState.class.getRecordComponents()) {
      if (!java.util.Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
        names.add(c.getName());
      }
    }
    return names;
  }

  // Each with... method replaces its one field and carries every other, the cluster and field
  // hashes too (the copies were written out by hand, field by field).
  @Test
  void shouldReplaceOnlyItsOwnFieldInEachCopy() throws Exception {
    org.wireingest.model.ArticleEvent.Cluster other =
        new org.wireingest.model.ArticleEvent.Cluster(
            "urn:wire:cluster:" + "1".repeat(32), null, null);

    assertThat(changed(FULL, FULL.withCluster(other))).containsExactly("cluster");
    assertThat(FULL.withCluster(other).cluster()).isEqualTo(other);
    assertThat(changed(FULL, FULL.withInputHash("ff".repeat(32)))).containsExactly("inputHash");
    assertThat(changed(FULL, FULL.withMediaHashes(List.of()))).containsExactly("mediaHashes");
    assertThat(changed(FULL, FULL.withLastSeenAt(T.plusSeconds(3600))))
        .containsExactly("lastSeenAt");
    assertThat(changed(FULL, FULL.withEarlierFingerprint("12".repeat(32))))
        .containsExactly("earlierFingerprints");
  }

  @Test
  void shouldReadAStateWrittenBeforeMediaWereKeptAsNotKnowingThem() throws JsonProcessingException {
    String before =
        "{\"uri\":\""
            + URI
            + "\",\"version\":2,\"fingerprint\":\""
            + "ab".repeat(32)
            + "\",\"lastSourceId\":\"trtworld-world\",\"bodyHash\":\"0badcafe\"}";

    DedupState state = Json.MAPPER.readValue(before, DedupState.class);

    assertThat(state.mediaHashes()).isNull();
    assertThat(Json.MAPPER.writeValueAsString(state)).doesNotContain("mediaHashes");
  }

  @Test
  void shouldKeepNoMediaApartFromUnknownMedia() throws JsonProcessingException {
    DedupState none = new DedupState(URI, 1, "ab".repeat(32), T, T).withMediaHashes(List.of());
    DedupState two = none.withMediaHashes(List.of("0000002a", "ffffffff"));

    String json = Json.MAPPER.writeValueAsString(none);

    assertThat(json).contains("\"mediaHashes\":[]");
    assertThat(Json.MAPPER.readValue(json, DedupState.class).mediaHashes()).isNotNull().isEmpty();
    assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(two), DedupState.class))
        .isEqualTo(two);
  }

  @Test
  void shouldCarryTheMediaHashesThroughEveryWither() {
    DedupState state =
        new DedupState(URI, 1, "ab".repeat(32), T, T).withMediaHashes(List.of("0000002a"));

    assertThat(state.withInputHash("cd".repeat(32)).mediaHashes()).containsExactly("0000002a");
    assertThat(state.withLastSeenAt(T).mediaHashes()).containsExactly("0000002a");
    assertThat(state.withEarlierFingerprint("ef".repeat(32)).mediaHashes())
        .containsExactly("0000002a");
  }
}
