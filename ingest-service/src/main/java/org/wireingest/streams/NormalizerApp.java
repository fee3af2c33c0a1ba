package org.wireingest.streams;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.kafka.Topics;
import org.wireingest.normalize.Normalizer;

/**
 * Runs the normalizer topology as a Kafka Streams application ({@code
 * processing.guarantee=exactly_once_v2}, state under {@code <dataDir>/streams}). All instances
 * with one {@code application.id} form one consumer group and share the raw-items partitions.
 */
public final class NormalizerApp implements AutoCloseable {

  /** Default {@code application.id} (also the consumer group id and internal topic prefix). */
  public static final String DEFAULT_APPLICATION_ID = "wire-ingest-normalizer";

  /** Gauge of the normalizer's consumer lag, in records (Prometheus {@code wire_normalizer_consumer_lag_records}). */
  public static final String CONSUMER_LAG = "wire.normalizer.consumer.lag";

  private static final Logger LOG = LoggerFactory.getLogger(NormalizerApp.class);

  /** The consumer's internal switch for sending LeaveGroup on close (removed in Kafka 4.2, KAFKA-18185). */
  private static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);

  /**
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param applicationId Streams application id
   * @param stateDir directory for RocksDB state (created if missing)
   * @param topics topic names
   * @param listener told of every outcome
   */
  public NormalizerApp(Map<String, Object> clientProperties, String applicationId, Path stateDir, Topics topics, NormalizerListener listener) {
    Properties p = new Properties();
    p.putAll(new HashMap<>(clientProperties));
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
    // Normalising is CPU-bound (HTML parsing per entry): one stream thread per core, overridable with -K num.stream.threads=N.
    p.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Math.max(1, Runtime.getRuntime().availableProcessors()));
    // A normalizer that dies without leaving the group (kill -9, power loss) holds its partitions
    // until its session times out: 10 s instead of the 45 s default keeps that pause short.
    p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
    p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 3_000);
    // KAFKA-16514: in Kafka Streams 4.1, close(leaveGroup) removes only static members; a dynamic
    // member leaves only if its consumer may send LeaveGroup on close, which Streams turns off
    // through this internal consumer setting. Without it a restarted normalizer waits for the
    // closed one's session to time out before it gets any partition.
    p.putIfAbsent(StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), true);
    Clock clock = Clock.systemUTC();
    this.streams = new KafkaStreams(NormalizerTopology.build(topics, new Normalizer(clock, Normalizer.DEFAULT_FUTURE_SKEW), listener, clock), p);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("normalizer stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener(
        (now, before) -> {
          LOG.debug("normalizer state {} -> {}", before, now);
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
  }

  /** Starts the stream threads (returns at once). */
  public void start() {
    streams.start();
  }

  /**
   * @param timeout bound
   * @return true once the application reached RUNNING within {@code timeout}
   * @throws InterruptedException when interrupted
   */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Binds the Kafka Streams metrics (its consumers, producers and admin client; Micrometer's
   * {@link KafkaStreamsMetrics}, names {@code kafka.*}) and the gauge {@value #CONSUMER_LAG}: records
   * the normalizer's main consumers are behind the log end, summed over the partitions they are
   * assigned (raw items and repartition topic), from the consumers' own {@code records-lag}
   * metric; NaN while no partition has been fetched yet.
   *
   * @param registry where the meters go
   * @return closes the binder (call before {@link #close()})
   */
  public AutoCloseable bindMetrics(MeterRegistry registry) {
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
    binder.bindTo(registry);
    Gauge.builder(CONSUMER_LAG, () -> consumerLag(streams.metrics()))
        .description("Records the normalizer's consumers are behind, summed over their partitions")
        .baseUnit("records")
        .register(registry);
    return binder::close;
  }

  static double consumerLag(Map<MetricName, ? extends Metric> metrics) {
    double sum = 0;
    boolean any = false;
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
      MetricName n = e.getKey();
      String clientId = n.tags().getOrDefault("client-id", "");
      if ("records-lag".equals(n.name())
          && "consumer-fetch-manager-metrics".equals(n.group())
          && n.tags().containsKey("partition")
          && !clientId.endsWith("restore-consumer")
          && e.getValue().metricValue() instanceof Number v
          && !Double.isNaN(v.doubleValue())) {
        sum += v.doubleValue();
        any = true;
      }
    }
    return any ? sum : Double.NaN;
  }

  /** @return the current Kafka Streams state (RUNNING, REBALANCING, ERROR, ...) */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Commits, leaves the consumer group and stops (waits up to 30 s). Leaving the group lets the
   * next instance take the partitions at once instead of after the session timeout (10 s).
   */
  @Override
  public void close() {
    streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
  }
}
