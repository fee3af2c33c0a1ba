package org.wireingest.ops;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.wireingest.model.ErrorText;

/**
 * The readiness probes of a wire-ingest process: the broker answers ({@link #broker}), the topics
 * exist ({@link #topics}), the normalizer's Kafka Streams application has started every stream
 * thread and is {@code RUNNING} or {@code REBALANCING} ({@link #streams}), a continuous poller has
 * joined its group ({@link #pollerGroup}). Each Kafka call is bounded by the given timeout; a probe
 * never throws for a Kafka failure, it answers down with the reason.
 */
public final class KafkaProbes {

  private KafkaProbes() {}

  /**
   * @param admin an admin client of the cluster
   * @param bootstrapServers the address {@code admin} connects to, {@code host:port[,...]}: named
   *     in the detail when the cluster does not answer; never null
   * @param timeout longest wait for the answer
   * @return probe {@code broker}: up when the cluster answers with at least one broker; down with
   *     the detail {@code unreachable at <bootstrapServers>: no answer within <timeout>} (or the
   *     client's error) when it does not
   */
  public static Readiness.Probe broker(Admin admin, String bootstrapServers, Duration timeout) {
    java.util.Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    return Readiness.Probe.of(
        Readiness.BROKER,
        () -> {
          try {
            int n =
                admin
                    .describeCluster(
                        new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            return new Readiness.Check(Readiness.BROKER, n > 0, n + " broker(s) reachable");
          } catch (ExecutionException | TimeoutException e) {
            return new Readiness.Check(
                Readiness.BROKER,
                false,
                "unreachable at " + bootstrapServers + ": " + describe(e, timeout));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Readiness.Check(Readiness.BROKER, false, "interrupted");
          }
        });
  }

  /**
   * @param admin an admin client of the cluster
   * @param topics the topics that must exist
   * @param timeout longest wait for the answer
   * @return probe {@code topics}: up when every topic exists; the detail names the missing ones
   */
  public static Readiness.Probe topics(Admin admin, Collection<String> topics, Duration timeout) {
    List<String> wanted = List.copyOf(topics);
    return Readiness.Probe.of(
        Readiness.TOPICS,
        () -> {
          try {
            Set<String> names =
                admin
                    .listTopics(new ListTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .names()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<String> missing = wanted.stream().filter(t -> !names.contains(t)).toList();
            return missing.isEmpty()
                ? new Readiness.Check(Readiness.TOPICS, true, wanted.size() + " topics exist")
                : new Readiness.Check(
                    Readiness.TOPICS, false, "missing: " + String.join(", ", missing));
          } catch (ExecutionException | TimeoutException e) {
            return new Readiness.Check(
                Readiness.TOPICS, false, "cannot list topics: " + describe(e, timeout));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Readiness.Check(Readiness.TOPICS, false, "interrupted");
          }
        });
  }

  /**
   * @param state the normalizer's current Kafka Streams state
   * @param started whether start-up is over: every stream thread has been running ({@code
   *     NormalizerApp#started})
   * @return probe {@code normalizer}: down until {@code started}; then up while the state is {@code
   *     RUNNING} or {@code REBALANCING} (partitions moving between threads or instances is routine
   *     and short, and must not make readiness flap), down in every other state ({@code
   *     PENDING_SHUTDOWN}, {@code NOT_RUNNING}, {@code PENDING_ERROR}, {@code ERROR}); the detail
   *     is {@code Kafka Streams <state>}, in {@code ERROR} {@link
   *     NormalizerStatus#STOPPED_FOR_GOOD}
   */
  public static Readiness.Probe streams(
      Supplier<KafkaStreams.State> state, BooleanSupplier started) {
    return Readiness.Probe.of(
        Readiness.NORMALIZER,
        () -> {
          KafkaStreams.State s = state.get();
          boolean live = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
          if (live && !started.getAsBoolean()) {
            return new Readiness.Check(
                Readiness.NORMALIZER,
                false,
                "Kafka Streams " + s + ", starting: not every stream thread runs yet");
          }
          return new Readiness.Check(
              Readiness.NORMALIZER,
              live,
              s == KafkaStreams.State.ERROR
                  ? NormalizerStatus.STOPPED_FOR_GOOD
                  : "Kafka Streams " + s);
        });
  }

  /**
   * @param group the poller's consumer group ({@code --poller-group}); never null
   * @param joined whether the poller is a member of the group now
   * @param ownedPartitions the feed-state partitions whose feeds it polls now
   * @return probe {@code poller-group}: up while the poller is a member of its group, detail {@code
   *     in group <group>, feed-state partitions [0, 3]} (ascending); down with {@code joining group
   *     <group>} before it has joined, or after it has left
   */
  public static Readiness.Probe pollerGroup(
      String group, BooleanSupplier joined, Supplier<Set<Integer>> ownedPartitions) {
    java.util.Objects.requireNonNull(group, "group");
    return Readiness.Probe.of(
        Readiness.POLLER_GROUP,
        () ->
            joined.getAsBoolean()
                ? new Readiness.Check(
                    Readiness.POLLER_GROUP,
                    true,
                    "in group "
                        + group
                        + ", feed-state partitions "
                        + new java.util.TreeSet<>(ownedPartitions.get()))
                : new Readiness.Check(Readiness.POLLER_GROUP, false, "joining group " + group));
  }

  private static String describe(Exception e, Duration timeout) {
    Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return t instanceof TimeoutException
            || t instanceof org.apache.kafka.common.errors.TimeoutException
        ? "no answer within " + org.wireingest.config.Durations.format(timeout)
        : ErrorText.describe(t);
  }
}
