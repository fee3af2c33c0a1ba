package org.wireingest.poll;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Found in a newcomer's trial: the poll-cycle log line read "4 polls in the last 60s, 0 failed, 1
 * raw items published"; one poll and one raw item now take the singular, as check-feed's and
 * story's counts do.
 */
class PollSchedulerCycleLineTest {

  @Test
  void shouldCountOneRawItemAndOnePollInTheSingular() {
    assertThat(PollScheduler.cycleLine(4, 60, 0, 1))
        .isEqualTo("poll cycle: 4 polls in the last 60s, 0 failed, 1 raw item published");
    assertThat(PollScheduler.cycleLine(1, 60, 1, 0))
        .isEqualTo("poll cycle: 1 poll in the last 60s, 1 failed, 0 raw items published");
    assertThat(PollScheduler.cycleLine(0, 60, 0, 2))
        .isEqualTo("poll cycle: 0 polls in the last 60s, 0 failed, 2 raw items published");
  }
}
