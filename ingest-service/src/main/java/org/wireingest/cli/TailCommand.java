package org.wireingest.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.wireingest.config.ConfigException;
import org.wireingest.config.Durations;
import org.wireingest.kafka.KafkaConnection;
import org.wireingest.model.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wire-ingest tail}: prints a topic's records, one JSON object per line: {@code
 * {"topic","partition","offset","timestamp","key","headers":{..},"value":..}} where {@code value}
 * is the parsed JSON, or a string when the bytes are not JSON, and {@code timestamp} is ISO-8601
 * UTC. Reads committed data only (read_committed). It stops once its output is closed (a broken
 * pipe: {@code tail ... | head} after {@code head} exited), which the JVM, ignoring SIGPIPE, does
 * not die of. On Ctrl-C / SIGTERM it stops reading and closes its consumer and connection (stopping
 * the embedded broker cleanly) before the JVM exits ({@link SignalStop}).
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the records of a topic as JSON lines.",
      "Exit 0 stopped (--max, --timeout, or its output closed: | head), 1 Kafka failed (also: no broker answered when --timeout ran out), 2 bad usage (e.g. a --topic that does not exist: the cluster's topics are named instead); stopped by Ctrl-C or SIGTERM, 130 or 143 (it still closes its consumer first)."
    })
final class TailCommand implements Callable<Integer> {

  /**
   * Reads a value as JSON only when all of it is JSON: {@code 404 Not Found} is text, not the
   * number 404.
   */
  private static final ObjectReader WHOLE_JSON_VALUE =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  @Spec CommandSpec spec;

  private volatile SignalStop stop;
  private final AtomicReference<KafkaConsumer<byte[], byte[]>> consumer = new AtomicReference<>();

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--topic",
      required = true,
      paramLabel = "TOPIC",
      description = "Topic to read, e.g. wire.articles.v1.")
  String topic;

  @Option(
      names = "--from-beginning",
      description = "Start at the oldest record instead of new ones only.")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
  Long max;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Stop once no record has arrived for this long (e.g. 20s or PT20S). Default: follow until Ctrl-C.")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    if (max != null && max < 1) {
      throw new ConfigException("--max must be at least 1 (got " + max + ")");
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      // 0s would stop before the first poll, printing nothing whatever the topic holds.
      throw new ConfigException(
          "--timeout must be positive (got "
              + Durations.format(timeout)
              + "); leave it out to follow until Ctrl-C");
    }
    try (SignalStop signal = new SignalStop("tail", this::wakeConsumer)) {
      stop = signal;
      return follow();
    }
  }

  /**
   * Asks a running {@link #call} to stop reading, as Ctrl-C does; it returns 0 once its consumer
   * and connection are closed. For tests.
   */
  void requestStop() {
    stop.request();
  }

  private void wakeConsumer() {
    KafkaConsumer<byte[], byte[]> c = consumer.get();
    if (c != null) {
      try {
        c.wakeup(); // the one consumer method meant for another thread
      } catch (RuntimeException closing) {
        // closed meanwhile: the command is ending anyway
      }
    }
  }

  private int follow() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (KafkaConnection conn = kafka.connectReachableToExisting()) {
      Map<String, Object> p = new HashMap<>(conn.clientProperties());
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "wire-ingest-tail");
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.set(c);
        if (stop.requested()) {
          return 0;
        }
        List<PartitionInfo> infos;
        try {
          infos = c.listTopics(Duration.ofSeconds(30)).get(topic);
        } catch (TimeoutException e) {
          throw new StartupException(
              "no Kafka broker answered at " + conn.bootstrapServers() + " within 30s", e);
        }
        if (infos == null) {
          throw MissingTopic.list(conn)
              .named(
                  "--topic",
                  topic,
                  MissingTopic.Kind.ANY); // a mistyped --topic: the cluster's topics instead
        }
        List<TopicPartition> parts =
            infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        if (fromBeginning) {
          c.seekToBeginning(parts);
        } else {
          c.seekToEnd(parts);
        }
        long printed = 0;
        long lastRecord = System.nanoTime();
        while (!stop.requested()) {
          ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(200));
          for (ConsumerRecord<byte[], byte[]> r : records) {
            out.println(line(r));
            printed++;
            if (max != null && printed >= max) {
              out.flush();
              return 0;
            }
          }
          if (out.checkError()) {
            // flushed, and the output is gone (`tail ... | head` after head exited: a broken
            // pipe, which the JVM does not die of): nobody reads on, so stop following.
            return 0;
          }
          if (!records.isEmpty()) {
            lastRecord = System.nanoTime();
          } else if (timeout != null && System.nanoTime() - lastRecord > timeout.toNanos()) {
            confirmQuiet(c, parts, conn.bootstrapServers());
            return 0;
          }
        }
        return 0;
      } catch (WakeupException woken) {
        return 0; // requestStop() woke a blocking call
      } finally {
        consumer.set(null);
      }
    }
  }

  /** How long {@link #confirmQuiet} waits for a broker to answer. */
  static final Duration QUIET_CHECK = Duration.ofSeconds(10);

  /**
   * At {@code --timeout}: a consumer's poll returns nothing alike when the topic is quiet and when
   * every broker has gone away, so the end offsets are asked for once before tail calls the topic
   * quiet (exit 0).
   *
   * @throws StartupException (exit 1) when no broker answers within {@link #QUIET_CHECK}
   */
  private void confirmQuiet(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, String bootstrapServers) {
    try {
      c.endOffsets(parts, QUIET_CHECK);
    } catch (TimeoutException e) {
      throw new StartupException(
          "no record for "
              + Durations.format(timeout)
              + ", and no Kafka broker answered at "
              + bootstrapServers
              + " within "
              + QUIET_CHECK.toSeconds()
              + "s: the topic is not known to be quiet",
          e);
    }
  }

  static String line(ConsumerRecord<byte[], byte[]> r) throws IOException {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("topic", r.topic());
    o.put("partition", r.partition());
    o.put("offset", r.offset());
    o.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
    o.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
    ObjectNode headers = o.putObject("headers");
    for (Header h : r.headers()) {
      headers.put(
          h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
    if (r.value() == null) {
      o.putNull("value");
    } else {
      JsonNode v;
      try {
        v = WHOLE_JSON_VALUE.readTree(r.value());
      } catch (IOException e) {
        v = null;
      }
      if (v == null || v.isMissingNode()) {
        o.put("value", new String(r.value(), StandardCharsets.UTF_8));
      } else {
        o.set("value", v);
      }
    }
    return Json.MAPPER.writeValueAsString(o);
  }
}
