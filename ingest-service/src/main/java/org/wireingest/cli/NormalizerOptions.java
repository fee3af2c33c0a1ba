package org.wireingest.cli;

import org.wireingest.streams.NormalizerApp;
import picocli.CommandLine.Option;

/** Options of the normalizer role ({@code run}, {@code normalize}). */
final class NormalizerOptions {

  @Option(names = "--application-id", paramLabel = "ID", defaultValue = NormalizerApp.DEFAULT_APPLICATION_ID, description = "Kafka Streams application id of the normalizer (default: ${DEFAULT-VALUE}); normalizer processes with one id share the raw-items partitions.")
  String applicationId;
}
