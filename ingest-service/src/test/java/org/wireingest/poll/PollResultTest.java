package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollResultTest {

  @Test
  void shouldListParseWarningsInTheAlphabeticalOrderOfTheirKindsWhateverOrderTheyCameIn() {
    Map<String, Integer> given = new LinkedHashMap<>();
    given.put("missing-rss-version", 1);
    given.put("identity-degraded", 1);
    given.put("charset-mismatch", 2);

    PollResult r =
        new PollResult("src", PollResult.Outcome.OK, "ok", null, 3, 3, 100, 5, null, 4, given);

    // check-feed prints the map in iteration order: the same line on every run of the JVM
    assertThat(r.warnings().keySet())
        .containsExactly("charset-mismatch", "identity-degraded", "missing-rss-version");
    assertThat(r.warnings()).containsEntry("charset-mismatch", 2);
    assertThatThrownBy(() -> r.warnings().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    given.put("x", 1);
    assertThat(r.warnings()).doesNotContainKey("x");
  }

  @Test
  void shouldHaveNoWarningsWhenNoneAreGiven() {
    assertThat(
            new PollResult("src", PollResult.Outcome.OK, "ok", null, 0, 0, 0, 0, null, 0, null)
                .warnings())
        .isEmpty();
  }
}
