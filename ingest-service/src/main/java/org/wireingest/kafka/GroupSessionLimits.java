package org.wireingest.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session timeouts a cluster allows a member of a classic consumer group, as its brokers'
 * {@value #MIN_CONFIG} and {@value #MAX_CONFIG} say (Kafka's defaults: 6 s and 30 min). A member
 * asking for a timeout outside them is refused at every join ({@code
 * InvalidSessionTimeoutException}), so a poller given one would retry for ever without polling.
 *
 * @param min the shortest session timeout allowed; positive
 * @param max the longest; at least {@code min}
 */
public record GroupSessionLimits(Duration min, Duration max) {

  /** Broker setting: the shortest session timeout of a classic group member, in milliseconds. */
  public static final String MIN_CONFIG = "group.min.session.timeout.ms";

  /** Broker setting: the longest session timeout of a classic group member, in milliseconds. */
  public static final String MAX_CONFIG = "group.max.session.timeout.ms";

  private static final Logger LOG = LoggerFactory.getLogger(GroupSessionLimits.class);

  /**
   * @param timeout a session timeout; never null
   * @return whether it is within {@link #min} and {@link #max}, both included
   */
  public boolean allows(Duration timeout) {
    return timeout.compareTo(min) >= 0 && timeout.compareTo(max) <= 0;
  }

  /**
   * Reads the limits from one broker of the cluster (brokers of one cluster are configured alike;
   * the group's coordinator is one of them).
   *
   * @param admin the admin client; not closed here
   * @param timeout the longest wait for the two admin calls together; positive
   * @return the limits, or empty when the cluster does not say within {@code timeout} (no broker
   *     listed, DescribeConfigs not authorised, no answer, a value that is not a number): the
   *     caller then goes on without the check; never null
   */
  public static Optional<GroupSessionLimits> read(Admin admin, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Collection<Node> nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(remainingMs(deadline)))
              .nodes()
              .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        return Optional.empty();
      }
      ConfigResource broker =
          new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(
                  List.of(broker), new DescribeConfigsOptions().timeoutMs(remainingMs(deadline)))
              .all()
              .get(remainingMs(deadline), TimeUnit.MILLISECONDS);
      Config config = configs.get(broker);
      Optional<Duration> min = millis(config, MIN_CONFIG);
      Optional<Duration> max = millis(config, MAX_CONFIG);
      return min.isPresent() && max.isPresent()
          ? Optional.of(new GroupSessionLimits(min.get(), max.get()))
          : Optional.empty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debug("could not read the cluster's group session timeout limits", e);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static Optional<Duration> millis(Config config, String name) {
    ConfigEntry entry = config == null ? null : config.get(name);
    if (entry == null || entry.value() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofMillis(Long.parseLong(entry.value().strip())));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static int remainingMs(long deadline) {
    long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(remaining, Integer.MAX_VALUE));
  }
}
