package org.wireingest.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.wireingest.model.ErrorText;
import org.wireingest.model.Json;

/**
 * Writes replay output: JSON values with a key, the source record's timestamp and optional headers,
 * through one idempotent producer ({@code acks=all}). Sends are asynchronous; {@link #close()}
 * flushes and fails if any send failed. Not thread-safe.
 */
final class HistoryWriter implements AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;

  /** The first send that failed: its topic, which a later send's message must not stand in for. */
  private final AtomicReference<Failure> failure = new AtomicReference<>();

  private record Failure(String topic, Exception error) {}

  HistoryWriter(Map<String, Object> clientProperties) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "wire-ingest-replay");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * @param topic target topic
   * @param key record key
   * @param timestampMs record timestamp, epoch ms (the history record's, so time ranges carry over)
   * @param value serialised with {@link Json#MAPPER}
   * @param headers UTF-8 header values; empty for none
   * @throws HistoryReadException when an earlier send already failed, naming that send's topic
   */
  void send(String topic, String key, long timestampMs, Object value, Map<String, String> headers) {
    RecordHeaders h = new RecordHeaders();
    headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
    send(topic, key, timestampMs, value, h);
  }

  /**
   * As {@link #send(String, String, long, Object, Map)}, with headers as they are: names repeated,
   * values of any bytes (a raw record's, kept on its dead letter).
   *
   * @param headers the record's headers; empty for none; made read-only by the producer
   */
  void send(String topic, String key, long timestampMs, Object value, Headers headers) {
    write(topic, key, timestampMs, json(value), headers);
  }

  /**
   * As {@link #send(String, String, long, Object, Map)}, for a value already serialised, without
   * headers.
   *
   * @param jsonValue the value's JSON bytes, written as they are
   */
  void sendJson(String topic, String key, long timestampMs, byte[] jsonValue) {
    write(topic, key, timestampMs, jsonValue, new RecordHeaders());
  }

  private void write(String topic, String key, long timestampMs, byte[] value, Headers headers) {
    Failure earlier = failure.get();
    if (earlier != null) {
      throw new HistoryReadException(
          "could not write to " + earlier.topic() + ": " + ErrorText.message(earlier.error()),
          earlier.error());
    }
    try {
      producer.send(
          new ProducerRecord<>(topic, null, timestampMs, key, value, headers),
          (md, e) -> {
            if (e != null) {
              failure.compareAndSet(null, new Failure(topic, e));
            }
          });
    } catch (KafkaException e) {
      throw new HistoryReadException(
          "could not write to " + topic + ": " + ErrorText.message(e), e);
    }
  }

  private static byte[] json(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event records always serialise", e);
    }
  }

  /**
   * Flushes, then closes the producer.
   *
   * @throws HistoryReadException when any send failed, naming the first failed send's topic
   */
  @Override
  public void close() {
    try {
      producer.flush();
    } finally {
      producer.close(Duration.ofSeconds(10));
    }
    Failure f = failure.get();
    if (f != null) {
      throw new HistoryReadException(
          "a replayed record was not written to " + f.topic() + ": " + ErrorText.message(f.error()),
          f.error());
    }
  }
}
