package org.wireingest.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.Durations;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;

/**
 * Restores feed states from the compacted {@code wire.feed-state.v1} topic: reads every partition
 * from the beginning to its end offset at start, the last value per source id winning (a null value
 * is a tombstone). Unreadable values are skipped with a warning: the feed then starts fresh, which
 * costs a refetch and republish, never a loss.
 */
public final class FeedStateReader {

  private static final Logger LOG = LoggerFactory.getLogger(FeedStateReader.class);

  private FeedStateReader() {}

  /**
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param topic the feed-state topic
   * @param timeout bound for the whole read
   * @return the latest state per source id
   * @throws IllegalStateException when the topic cannot be read to its end within {@code timeout}
   */
  public static Map<String, FeedState> readAll(
      Map<String, Object> clientProperties, String topic, Duration timeout) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "wire-ingest-state-restore");
    Map<String, FeedState> out = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, timeout).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, timeout);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read feed states from " + topic + " within " + Durations.format(timeout));
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          apply(out, r);
        }
      }
    }
    return out;
  }

  /**
   * Applies one record of the feed-state topic to a map of states: a value replaces the source's
   * state, a null value (tombstone) removes it, an unreadable value removes it with a warning (the
   * feed then starts fresh); a record without key is ignored.
   *
   * @param states latest state per source id; changed in place
   * @param r a record of the feed-state topic
   */
  static void apply(Map<String, FeedState> states, ConsumerRecord<String, byte[]> r) {
    if (r.key() == null) {
      return;
    }
    if (r.value() == null) {
      states.remove(r.key());
      return;
    }
    try {
      states.put(r.key(), Json.MAPPER.readValue(r.value(), FeedState.class));
    } catch (IOException e) {
      LOG.warn(
          "feed state of {} at {}-{}@{} unreadable, the feed starts fresh: {}",
          r.key(),
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
      states.remove(r.key());
    }
  }

  /**
   * Decodes a record value of the feed-state topic.
   *
   * @param sourceId the record's key, for the warning
   * @param value the record's value (JSON); not null
   * @param topic the topic read, for the warning
   * @return the state, or null (with a warning: the feed then starts fresh) when unreadable
   */
  static FeedState decode(String sourceId, byte[] value, String topic) {
    try {
      return Json.MAPPER.readValue(value, FeedState.class);
    } catch (IOException e) {
      LOG.warn(
          "feed state of {} in {} unreadable, the feed starts fresh: {}",
          sourceId,
          topic,
          e.getMessage());
      return null;
    }
  }

  /**
   * @param state a feed state
   * @return its value in the feed-state topic (JSON, as {@link KafkaPollSink} writes it)
   */
  static byte[] encode(FeedState state) {
    try {
      return Json.MAPPER.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("feed states always serialise", e);
    }
  }
}
