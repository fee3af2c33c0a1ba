package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.wireingest.kafka.Topics;
import org.wireingest.kafka.UriPartitioner;
import org.wireingest.normalize.Normalizer;

/**
 * What the "local" path relies on: the raw-items source, the repartition source and the version
 * store are one sub-topology (so task p reads raw partition p and repartition partition p and owns
 * the store of p), and the repartition topic places a uri where the route stage's test expects it.
 */
class NormalizerTopologyShapeTest {

  @Test
  void keepsBothSourcesAndTheVersionStoreInOneSubTopology() {
    Topics topics = Topics.defaults();
    TopologyDescription description =
        NormalizerTopology.build(
                topics,
                new Normalizer(Clock.systemUTC()),
                NormalizerListener.NONE,
                Clock.systemUTC(),
                3)
            .describe();

    assertThat(description.subtopologies())
        .singleElement()
        .satisfies(
            sub -> {
              assertThat(sub.nodes())
                  .filteredOn(n -> n instanceof TopologyDescription.Source)
                  .flatExtracting(n -> ((TopologyDescription.Source) n).topicSet())
                  .containsExactlyInAnyOrder(
                      topics.rawItems(), NormalizerTopology.REPARTITION + "-repartition");
              assertThat(sub.nodes())
                  .filteredOn(n -> n instanceof TopologyDescription.Processor)
                  .filteredOn(
                      n ->
                          ((TopologyDescription.Processor) n)
                              .stores()
                              .contains(NormalizerTopology.STORE))
                  .extracting(TopologyDescription.Node::name)
                  .containsExactlyInAnyOrder("dedup-local", "dedup");
            });
  }

  @Test
  void repartitionsEachUriToThePartitionTheRouteStageExpects() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int i = 0; i < 5_000; i++) {
      String uri = "urn:wire:agency-" + rnd.nextInt(20) + ":" + Long.toHexString(rnd.nextLong());
      int partitions = 1 + rnd.nextInt(48);
      assertThat(NormalizerTopology.uriPartition("t", uri, null, partitions))
          .contains(Set.of(UriPartitioner.partition(uri, partitions)));
    }
  }
}
