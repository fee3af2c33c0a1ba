package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LongArgumentsTest {

  @Test
  void shouldLeaveAMessageAsItIsWhenNoArgumentIsLongerThanItsLimit() {
    String eighty = "y".repeat(80);

    assertThat(LongArguments.shortened("Unknown option: '" + eighty + "'", List.of(eighty)))
        .isEqualTo("Unknown option: '" + eighty + "'");
  }

  /** A cut between the two halves of an emoji would leave half a character, shown as '?'. */
  @Test
  void shouldNotSplitASurrogatePairAtTheCut() {
    String argument = "y".repeat(79) + "\uD83D\uDCF0" + "y".repeat(20);

    assertThat(LongArguments.shortened("'" + argument + "'", List.of(argument)))
        .isEqualTo("'" + "y".repeat(79) + "…'");
  }
}
