package org.wireingest.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimestampMergeTest {

  private static HistoryRecord at(int partition, long offset, long timestamp) {
    return new HistoryRecord("t", partition, offset, timestamp, null, null);
  }

  private static List<String> drain(TimestampMerge merge) {
    List<String> out = new ArrayList<>();
    for (var next = merge.next(); next.isPresent(); next = merge.next()) {
      out.add(next.get().partition() + "@" + next.get().offset());
    }
    return out;
  }

  @Test
  void shouldOrderAcrossPartitionsByTimestampThenPartitionThenOffset() {
    TimestampMerge merge = new TimestampMerge(List.of(0, 1));
    merge.add(at(0, 0, 20));
    merge.add(at(0, 1, 30));
    merge.add(at(1, 0, 10));
    merge.add(at(1, 1, 20));
    merge.finish(0);
    merge.finish(1);

    assertThat(drain(merge)).containsExactly("1@0", "0@0", "1@1", "0@1");
  }

  @Test
  void shouldKeepAPartitionsOffsetOrderWhenItsTimestampsGoBack() {
    TimestampMerge merge = new TimestampMerge(List.of(0));
    merge.add(at(0, 0, 50));
    merge.add(at(0, 1, 40));
    merge.finish(0);

    assertThat(drain(merge)).containsExactly("0@0", "0@1");
  }

  @Test
  void shouldWaitWhileAnUnfinishedPartitionHasNothingBuffered() {
    TimestampMerge merge = new TimestampMerge(List.of(0, 1));
    merge.add(at(0, 0, 99));

    assertThat(merge.next()).isEmpty();
  }

  @Test
  void shouldReleaseRecordsOnceTheEmptyPartitionIsFinished() {
    TimestampMerge merge = new TimestampMerge(List.of(0, 1));
    merge.add(at(0, 0, 99));
    merge.finish(1);

    assertThat(drain(merge)).containsExactly("0@0");
  }

  @Test
  void shouldBeDoneOnlyWhenEveryPartitionIsFinishedAndDrained() {
    TimestampMerge merge = new TimestampMerge(List.of(0, 1));
    merge.add(at(0, 0, 1));
    merge.finish(0);
    merge.finish(1);
    boolean doneBeforeDrain = merge.isDone();

    drain(merge);

    assertThat(doneBeforeDrain).isFalse();
    assertThat(merge.isDone()).isTrue();
  }

  @Test
  void shouldRejectAnOffsetNotAfterTheLastOfItsPartition() {
    TimestampMerge merge = new TimestampMerge(List.of(0));
    merge.add(at(0, 5, 1));

    assertThatThrownBy(() -> merge.add(at(0, 5, 2))).isInstanceOf(IllegalArgumentException.class);
  }
}
