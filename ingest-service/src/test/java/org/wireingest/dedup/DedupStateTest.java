package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;

/** The stored state's JSON: a state written before a field existed still reads, as "unknown". */
class DedupStateTest {

  private static final String URI = "urn:wire:trtworld:0123456789abcdef0123456789abcdef";
  private static final Instant T = Instant.parse("2026-11-30T08:00:00Z");

  private static final DedupState FULL =
      DedupState.builder(URI, 3, "ab".repeat(32))
          .firstCreated(T)
          .lastVersionCreated(T.plusSeconds(60))
          .inputHash("cd".repeat(32))
          .earlierFingerprints(List.of("ef".repeat(32)))
          .lastEventVersionCreated(T.plusSeconds(30))
          .lastSourceId("trtworld-world")
          .lastSeenAt(T.plusSeconds(90))
          .headlineHash("0badcafe")
          .textLength(120)
          .leadHashes(List.of("00000001"))
          .earlierLeads(List.of("00000002"))
          .earlierHeadlines(List.of("00000003"))
          .lastPubStatus("usable")
          .lastWithdrawals(Map.of("canceled", T))
          .leadStart("Talks resumed")
          .bodyHash("00000004")
          .mediaHashes(List.of("00000005"))
          .cluster(new ArticleEvent.Cluster("urn:wire:cluster:" + "0".repeat(32), null, null))
          .fieldHashes(new DedupState.FieldHashes("1", "2", "3", "4", "5"))
          .build();

  /** The record's components whose values differ between two states. */
  private static List<String> changed(DedupState a, DedupState b) throws Exception {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : DedupState.class.getRecordComponents()) {
      if (!Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
        names.add(c.getName());
      }
    }
    return names;
  }

  // Each with... method replaces its one field and carries every other, the cluster and field
  // hashes too (the copies were written out by hand, field by field).
  @Test
  void shouldReplaceOnlyItsOwnFieldInEachCopy() throws Exception {
    ArticleEvent.Cluster other =
        new ArticleEvent.Cluster("urn:wire:cluster:" + "1".repeat(32), null, null);

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
    DedupState none =
        DedupState.builder(URI, 1, "ab".repeat(32))
            .firstCreated(T)
            .lastVersionCreated(T)
            .build()
            .withMediaHashes(List.of());
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
        DedupState.builder(URI, 1, "ab".repeat(32))
            .firstCreated(T)
            .lastVersionCreated(T)
            .build()
            .withMediaHashes(List.of("0000002a"));

    assertThat(state.withInputHash("cd".repeat(32)).mediaHashes()).containsExactly("0000002a");
    assertThat(state.withLastSeenAt(T).mediaHashes()).containsExactly("0000002a");
    assertThat(state.withEarlierFingerprint("ef".repeat(32)).mediaHashes())
        .containsExactly("0000002a");
  }
}
