package org.wireingest.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code wire-ingest normalize}: the normalizer alone (Kafka Streams), with the ops HTTP server,
 * until Ctrl-C. Instances of one {@code --application-id} share the raw-items partitions; each
 * restores its share of the {@code article-versions} store from its changelog.
 */
@Command(
    name = "normalize",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the normalizer only, until Ctrl-C; start several with one --application-id to share the raw-items partitions.",
      "Pair it with 'wire-ingest poll' processes."
    })
final class NormalizeCommand extends ServiceCommand {

  @Mixin NormalizerOptions normalizer;

  @Override
  PollerOptions pollerOptions() {
    return null;
  }

  @Override
  NormalizerOptions normalizerOptions() {
    return normalizer;
  }
}
