package org.wireingest.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code wire-ingest poll}: the feed poller alone, with the ops HTTP server, until Ctrl-C. Poller
 * processes of one {@code --poller-group} share the feeds (see {@link
 * org.wireingest.poll.FeedAssignment}).
 */
@Command(
    name = "poll",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the feed poller only, until Ctrl-C; start several to share the feeds (one consumer group on the feed-state topic).",
      "Pair it with 'wire-ingest normalize' processes."
    })
final class PollCommand extends ServiceCommand {

  @Mixin PollerOptions poller;

  @Override
  PollerOptions pollerOptions() {
    return poller;
  }

  @Override
  NormalizerOptions normalizerOptions() {
    return null;
  }
}
