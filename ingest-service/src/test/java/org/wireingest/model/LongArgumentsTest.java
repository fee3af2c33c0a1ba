package org.wireingest.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LongArgumentsTest {

  @Test
  void shouldLeaveAMessageAsItIsWhenNoArgumentIsLongerThanItsLimit() {
    String longest = "y".repeat(LongArguments.MOST_SHOWN);

    assertThat(LongArguments.shortened("Unknown option: '" + longest + "'", List.of(longest)))
        .isEqualTo("Unknown option: '" + longest + "'");
  }

  /** A cut between the two halves of an emoji would leave half a character, shown as '?'. */
  @Test
  void shouldNotSplitASurrogatePairAtTheCut() {
    String argument = "y".repeat(LongArguments.MOST_SHOWN - 1) + "\uD83D\uDCF0" + "y".repeat(20);

    assertThat(LongArguments.shortened("'" + argument + "'", List.of(argument)))
        .isEqualTo("'" + "y".repeat(LongArguments.MOST_SHOWN - 1) + "…'");
  }
}
