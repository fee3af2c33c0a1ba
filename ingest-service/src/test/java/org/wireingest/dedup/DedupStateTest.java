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
