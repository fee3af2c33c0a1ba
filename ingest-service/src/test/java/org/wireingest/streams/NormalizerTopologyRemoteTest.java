package org.wireingest.streams;

/**
 * Every case of {@link NormalizerTopologyTest} with 64 repartition partitions: the driver reads all
 * raw items from partition 0, so all items but those whose uri falls on partition 0 go through the
 * repartition topic ("remote"), and the outcomes must be the same as on the local path.
 */
class NormalizerTopologyRemoteTest extends NormalizerTopologyTest {

  @Override
  int partitions() {
    return 64;
  }
}
