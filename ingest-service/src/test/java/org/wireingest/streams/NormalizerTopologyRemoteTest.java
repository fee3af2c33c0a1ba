package org.wireingest.streams;

/**
 * Every case of {@link NormalizerTopologyTest} with 64 repartition partitions: the driver reads all
 * raw items from partition 0, so every item whose uri is not on partition 0 takes the remote path
 * (through the repartition topic) and must give the same outcomes as on the local path. The driver
 * has a single task, so this checks the remote path's encoding and rules, not which task owns a
 * uri: that is {@link NormalizerTopologyShapeTest} and {@code PipelineIntegrationTest} (real
 * broker).
 */
class NormalizerTopologyRemoteTest extends NormalizerTopologyTest {

  @Override
  int partitions() {
    return 64;
  }
}
