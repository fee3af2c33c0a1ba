package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class UriPartitionerTest {

  /**
   * The normalizer's "local" test and the poller's placement must send a uri where Kafka's own
   * producer would send a record keyed by that uri (the repartition topic before 2026-11-30).
   */
  @Test
  void placesAUriWhereKafkasProducerPlacesTheSameKey() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      String uri =
          "urn:wire:agency-"
              + rnd.nextInt(50)
              + ":"
              + Long.toHexString(rnd.nextLong())
              + (i % 7 == 0 ? "ü" : "");
      int partitions = 1 + rnd.nextInt(64);
      assertThat(UriPartitioner.partition(uri, partitions))
          .isEqualTo(
              BuiltInPartitioner.partitionForKey(uri.getBytes(StandardCharsets.UTF_8), partitions))
          .isBetween(0, partitions - 1);
    }
  }

  @Test
  void spreadsUrisOverEveryPartition() {
    int[] counts = new int[6];
    for (int i = 0; i < 6_000; i++) {
      counts[UriPartitioner.partition("urn:wire:trtworld:" + i, 6)]++;
    }
    assertThat(Arrays.stream(counts).boxed()).allMatch(c -> c > 800 && c < 1_200);
  }

  @Test
  void refusesFewerThanOnePartition() {
    assertThatThrownBy(() -> UriPartitioner.partition("urn:wire:a:b", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
