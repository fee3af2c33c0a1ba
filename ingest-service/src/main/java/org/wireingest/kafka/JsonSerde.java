package org.wireingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.wireingest.model.ErrorText;
import org.wireingest.model.Json;

/**
 * The Kafka serde of one event type: UTF-8 JSON (RFC 8259) written and read with {@link
 * Json#MAPPER} (instants as ISO-8601 UTC, nulls omitted, unknown fields ignored). A null value is a
 * null record value (a tombstone on compacted topics) both ways.
 *
 * <p>Errors: both directions throw {@link SerializationException} (Kafka's signal for a poison
 * record, which Kafka Streams routes to its deserialization handler); the message names the type
 * and topic and Jackson's reason with its line/column, never the record's bytes.
 *
 * <p>Immutable and thread-safe; {@link #configure} and {@link #close} do nothing.
 *
 * @param <T> the event type, e.g. {@code RawWireItem}, {@code ArticleEvent}
 */
public final class JsonSerde<T> implements Serde<T> {

  private final Class<T> type;
  private final Serializer<T> serializer;
  private final Deserializer<T> deserializer;

  /**
   * @param type the event type; never null
   */
  public JsonSerde(Class<T> type) {
    this.type = Objects.requireNonNull(type, "type");
    this.serializer = this::serialize;
    this.deserializer = this::deserialize;
  }

  /**
   * @param type the event type; never null
   * @return a serde of {@code type}
   */
  public static <T> JsonSerde<T> of(Class<T> type) {
    return new JsonSerde<>(type);
  }

  /**
   * @return the event type
   */
  public Class<T> type() {
    return type;
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  private byte[] serialize(String topic, T value) {
    if (value == null) {
      return null;
    }
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "cannot write a "
              + type.getSimpleName()
              + " as JSON for topic "
              + topic
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }

  private T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(bytes, type);
    } catch (JsonProcessingException e) {
      throw new SerializationException(
          "cannot read a "
              + type.getSimpleName()
              + " from "
              + bytes.length
              + " bytes of topic "
              + topic
              + ": "
              + e.getOriginalMessage()
              + location(e),
          e);
    } catch (IOException e) {
      throw new SerializationException(
          "cannot read a "
              + type.getSimpleName()
              + " from topic "
              + topic
              + ": "
              + ErrorText.describe(e),
          e);
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  @Override
  public String toString() {
    return "JsonSerde[" + type.getName() + "]";
  }
}
