package org.wireingest.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.Durations;
import org.wireingest.kafka.KafkaSetupException;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.model.Counted;
import org.wireingest.model.ErrorText;
import org.wireingest.poll.FeedAssignment;

/**
 * The readiness probes of a wire-ingest process: the broker answers ({@link #broker}), the topics
 * exist with the cleanup policies, and the partition counts where keys are placed by them, the
 * service creates them with ({@link #topics}), the normalizer's Kafka Streams application has
 * started every stream thread and is {@code RUNNING} or {@code REBALANCING} ({@link #streams}), a
 * continuous poller polls its share of the feeds, or is a standby in its group ({@link
 * #pollerGroup}). Each Kafka call is bounded by the given timeout; a probe never throws for a Kafka
 * failure, it answers down with the reason.
 */
public final class KafkaProbes {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaProbes.class);

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
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
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
   * The check that the service's topics exist as it creates them ({@link TopicAdmin#compare}): a
   * topic re-created with the broker's defaults (deleted, then auto-created by a client, or made by
   * hand) has the wrong partition count or {@code cleanup.policy}, and the pipeline would go on
   * with it, losing feed states or spreading keys over other partitions than its state was made
   * for. A topic whose {@code max.message.bytes} is below the largest records the service writes to
   * it ({@link TopicSpec#undersized}: a feed-state topic made with 2 MiB before its states could
   * reach 16 MiB) refuses those one by one, later; as the limit may be an operator's choice, it is
   * named in the detail and logged, but leaves the check up. Each mismatch and each such topic is
   * logged once at WARN when the check first finds it (again only if it goes away and comes back),
   * however often the check runs.
   *
   * @param admin an admin client of the cluster
   * @param specs the topics that must exist, as the service creates them; never null
   * @param timeout longest wait for the whole check (three requests for all the topics)
   * @return probe {@code topics}: up, {@code 6 topics exist}, when every topic exists with its
   *     cleanup policy and, where keys are placed by it ({@link TopicSpec#partitionedFor}), its
   *     partition count (with {@code ; <undersized>} for each topic whose {@code max.message.bytes}
   *     is too small ({@link TopicSpec.Undersized#message}), and {@code ; cleanup.policy and
   *     max.message.bytes not checked: <error>} when the cluster refuses to describe topic
   *     configs); down, {@code missing: <names>} and/or {@code differs from what wire-ingest
   *     creates: <mismatch>; <mismatch>} ({@link TopicSpec.Mismatch#message}: the topic, both
   *     values and the repair), then any {@code ; <undersized>}, or {@code cannot describe topics:
   *     <error>}
   */
  public static Readiness.Probe topics(Admin admin, List<TopicSpec> specs, Duration timeout) {
    List<TopicSpec> wanted = List.copyOf(specs);
    Set<TopicSpec.Mismatch> warned = ConcurrentHashMap.newKeySet();
    Set<TopicSpec.Undersized> warnedUndersized = ConcurrentHashMap.newKeySet();
    return Readiness.Probe.of(
        Readiness.TOPICS,
        () -> {
          TopicAdmin.Comparison comparison;
          try {
            comparison = TopicAdmin.compare(admin, wanted, timeout);
          } catch (KafkaSetupException e) {
            if (e.getCause() instanceof InterruptedException) {
              Thread.currentThread().interrupt();
              return new Readiness.Check(Readiness.TOPICS, false, "interrupted");
            }
            return new Readiness.Check(
                Readiness.TOPICS, false, "cannot describe topics: " + describe(e, timeout));
          }
          List<TopicSpec.Mismatch> mismatches = comparison.mismatches();
          for (TopicSpec.Mismatch m : mismatches) {
            if (warned.add(m)) {
              LOG.warn("{}", m.message());
            }
          }
          warned.retainAll(mismatches);
          List<TopicSpec.Undersized> undersized = comparison.undersized();
          for (TopicSpec.Undersized u : undersized) {
            if (warnedUndersized.add(u)) {
              LOG.warn("{}", u.message());
            }
          }
          warnedUndersized.retainAll(undersized);
          String undersizedNote =
              undersized.stream().map(u -> "; " + u.message()).collect(Collectors.joining());
          List<String> parts = new ArrayList<>();
          if (!comparison.missing().isEmpty()) {
            parts.add("missing: " + String.join(", ", comparison.missing()));
          }
          if (!mismatches.isEmpty()) {
            parts.add(
                "differs from what wire-ingest creates: "
                    + mismatches.stream()
                        .map(TopicSpec.Mismatch::message)
                        .collect(Collectors.joining("; ")));
          }
          if (!parts.isEmpty()) {
            return new Readiness.Check(
                Readiness.TOPICS, false, String.join("; ", parts) + undersizedNote);
          }
          return new Readiness.Check(
              Readiness.TOPICS,
              true,
              wanted.size()
                  + " topics exist"
                  + undersizedNote
                  + (comparison.configsUnchecked() == null
                      ? ""
                      : "; cleanup.policy and max.message.bytes not checked: "
                          + comparison.configsUnchecked()));
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
   * The readiness of a continuous poller: ready when it polls its share of the feeds, or when it
   * legitimately has none. A poller holds the feeds of the feed-state partitions the group assigns
   * it ({@link FeedAssignment}); a new member is given none at first while the cooperative assignor
   * takes its share from the others, and a partition assigned is read to its end before its feeds
   * are polled. A group with more pollers than partitions leaves some with none for good: those
   * standbys are ready, since each takes feeds over at once when another leaves.
   *
   * @param admin an admin client of the cluster: asked, only when the poller polls no partition,
   *     which partitions the group's other members hold ({@code describeConsumerGroups})
   * @param group the poller's consumer group ({@code --poller-group}); never null
   * @param topic the feed-state topic the group shares; never null
   * @param membership the poller's place in the group now ({@link FeedAssignment#membership})
   * @param timeout longest wait for the group's description
   * @return probe {@code poller-group}, details in ascending partition order, each naming the
   *     feed-state topic ({@code <topic>}) whose partitions it counts:
   *     <ul>
   *       <li>up, {@code in group <group>, partitions [0, 3] of <topic>} while it polls the feeds
   *           of some partitions (with {@code , restoring the feed states of [4]} while it reads
   *           others it was just given);
   *       <li>up, {@code in group <group>, a standby: its 6 other pollers hold all 6 partitions of
   *           <topic>} when it has none and the others hold them all;
   *       <li>down, {@code joining group <group>} before it is a member (or after it left), with
   *           {@code ; the last attempt failed: <error>} when its consumer failed since it was last
   *           a member (e.g. a {@code GroupAuthorizationException}: it tries again, 1 s to 30 s
   *           later);
   *       <li>down, {@code in group <group>, restoring the feed states of partitions [0, 1] of
   *           <topic>: polling no feed yet} while its first partitions are read;
   *       <li>down, {@code in group <group>, no partition of <topic> assigned yet: [3, 4, 5] of the
   *           6 are held by no other poller (a rebalance is under way)} when it has none and some
   *           are not held by another member (the group is rebalancing: the coordinator lists
   *           assignments only once the group is stable), or {@code ...; cannot tell whether it is
   *           a standby: <error>} when the group cannot be described
   *     </ul>
   */
  public static Readiness.Probe pollerGroup(
      Admin admin,
      String group,
      String topic,
      Supplier<FeedAssignment.Membership> membership,
      Duration timeout) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(topic, "topic");
    return Readiness.Probe.of(
        Readiness.POLLER_GROUP,
        () -> {
          FeedAssignment.Membership m = membership.get();
          if (!m.joined()) {
            return new Readiness.Check(
                Readiness.POLLER_GROUP,
                false,
                "joining group "
                    + group
                    + (m.lastFailure() == null
                        ? ""
                        : "; the last attempt failed: " + m.lastFailure()));
          }
          String in = "in group " + group + ", ";
          if (!m.owned().isEmpty()) {
            return new Readiness.Check(
                Readiness.POLLER_GROUP,
                true,
                in
                    + "partitions "
                    + new TreeSet<>(m.owned())
                    + " of "
                    + topic
                    + (m.restoring().isEmpty()
                        ? ""
                        : ", restoring the feed states of " + new TreeSet<>(m.restoring())));
          }
          if (!m.restoring().isEmpty()) {
            return new Readiness.Check(
                Readiness.POLLER_GROUP,
                false,
                in
                    + "restoring the feed states of partitions "
                    + new TreeSet<>(m.restoring())
                    + " of "
                    + topic
                    + ": polling no feed yet");
          }
          return standby(admin, group, topic, m, timeout, in);
        });
  }

  /** The check of a member that holds no feed-state partition: a standby, or waiting for some. */
  private static Readiness.Check standby(
      Admin admin,
      String group,
      String topic,
      FeedAssignment.Membership m,
      Duration timeout,
      String in) {
    Collection<MemberDescription> members;
    try {
      members =
          admin
              .describeConsumerGroups(
                  List.of(group),
                  new DescribeConsumerGroupsOptions().timeoutMs((int) timeout.toMillis()))
              .describedGroups()
              .get(group)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .members();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        return cannotTell(in, topic, e, timeout);
      }
      members = List.of(); // no member holds anything
    } catch (TimeoutException e) {
      return cannotTell(in, topic, e, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Readiness.Check(Readiness.POLLER_GROUP, false, "interrupted");
    }
    Set<Integer> held = new TreeSet<>();
    int others = 0;
    for (MemberDescription member : members) {
      if (member.consumerId().equals(m.memberId())) {
        continue;
      }
      others++;
      member.assignment().topicPartitions().stream()
          .filter(tp -> tp.topic().equals(topic))
          .forEach(tp -> held.add(tp.partition()));
    }
    Set<Integer> missing = new TreeSet<>();
    for (int p = 0; p < m.partitions(); p++) {
      if (!held.contains(p)) {
        missing.add(p);
      }
    }
    if (m.partitions() > 0 && missing.isEmpty()) {
      return new Readiness.Check(
          Readiness.POLLER_GROUP,
          true,
          in
              + "a standby: its "
              + Counted.of(others, "other poller holds", "other pollers hold")
              + " all "
              + Counted.of(m.partitions(), "partition", "partitions")
              + " of "
              + topic);
    }
    return new Readiness.Check(
        Readiness.POLLER_GROUP,
        false,
        in
            + "no partition of "
            + topic
            + " assigned yet: "
            + (m.partitions() > 0
                ? missing + " of the " + m.partitions() + " are held by no other poller"
                : "its partitions are not known yet")
            + " (a rebalance is under way)");
  }

  private static Readiness.Check cannotTell(
      String in, String topic, Exception e, Duration timeout) {
    return new Readiness.Check(
        Readiness.POLLER_GROUP,
        false,
        in
            + "no partition of "
            + topic
            + " assigned; cannot tell whether it is a standby: "
            + describe(e, timeout));
  }

  /**
   * @return {@code no answer within <timeout>} when {@code e} is, or wraps, a timeout; else the
   *     error described
   */
  private static String describe(Exception e, Duration timeout) {
    Throwable t =
        (e instanceof ExecutionException || e instanceof KafkaSetupException)
                && e.getCause() != null
            ? e.getCause()
            : e;
    return t instanceof TimeoutException
            || t instanceof org.apache.kafka.common.errors.TimeoutException
        ? "no answer within " + Durations.format(timeout)
        : e instanceof KafkaSetupException ? ErrorText.message(e) : ErrorText.describe(t);
  }
}
