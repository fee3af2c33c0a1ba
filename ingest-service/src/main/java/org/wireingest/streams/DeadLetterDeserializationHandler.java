package org.wireingest.streams;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.wireingest.kafka.JsonSerde;
import org.wireingest.model.DeadLetter;

/**
 * The normalizer's Kafka Streams deserialization exception handler: a record a source of the
 * topology cannot deserialise becomes a dead letter (stage {@value
 * NormalizerSteps#STAGE_DESERIALIZE}, the input's bytes, key and coordinates, {@link
 * DeadLetters#of}) on the dead-letter topic, written by Streams with the task's output (under
 * exactly-once in its transaction), and the stream goes on. Only the repartition topic's values can
 * fail ({@link RoutedSerde}; the raw-items and story-signatures sources read bytes): a record
 * written there by hand made the default handler fail the stream thread, again on every restart,
 * until the normalizer stopped.
 *
 * <p>Configured by {@link #configure(Properties, String, NormalizerListener)}: Streams makes one
 * instance per stream thread and hands it the application's configuration. Thread-safe.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

  /** Configuration key: the dead-letter topic's name (a {@link String}). */
  static final String DEAD_LETTER_TOPIC = "wire.dead.letters.topic";

  /** Configuration key: the {@link NormalizerListener} told of each dead letter. */
  static final String LISTENER = "wire.normalizer.listener";

  private static final Serializer<DeadLetter> SERIALIZER =
      new JsonSerde<>(DeadLetter.class).serializer();

  private String topic;
  private int maxBytes = DeadLetters.MAX_DEAD_LETTER_BYTES;
  private NormalizerListener listener = NormalizerListener.NONE;
  private final Clock clock = Clock.systemUTC();

  /**
   * Makes Streams use this handler, writing dead letters to {@code deadLetterTopic} and telling
   * {@code listener}, unless the properties name another handler ({@code -K
   * deserialization.exception.handler=...}, or {@code -K
   * default.deserialization.exception.handler=...}, the name Kafka Streams reads too, deprecated
   * since 4.0: Streams ignores it once the newer one is set).
   *
   * @param streams the Streams properties; changed in place
   * @param deadLetterTopic the dead-letter topic; never null
   * @param listener told of each dead letter ({@link NormalizerListener#deadLettered}); never null
   */
  @SuppressWarnings("deprecation") // reads the deprecated name, to leave its handler in place
  public static void configure(
      Properties streams, String deadLetterTopic, NormalizerListener listener) {
    if (!streams.containsKey(
        StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG)) {
      streams.putIfAbsent(
          StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
          DeadLetterDeserializationHandler.class.getName());
    }
    streams.put(DEAD_LETTER_TOPIC, deadLetterTopic);
    streams.put(LISTENER, listener);
  }

  @Override
  public void configure(Map<String, ?> configs) {
    Object name = configs.get(DEAD_LETTER_TOPIC);
    if (name == null) {
      throw new IllegalStateException(DEAD_LETTER_TOPIC + " is not set");
    }
    topic = name.toString();
    maxBytes = NormalizerTopology.deadLetterMaxBytes(configs);
    if (configs.get(LISTENER) instanceof NormalizerListener l) {
      listener = l;
    }
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    listener.deadLettered(NormalizerSteps.STAGE_DESERIALIZE, exception.getClass().getSimpleName());
    DeadLetter letter =
        DeadLetters.of(
            NormalizerSteps.STAGE_DESERIALIZE,
            exception,
            record.topic(),
            record.partition(),
            record.offset(),
            key,
            record.value(),
            clock.instant());
    letter = DeadLetters.fit(letter, maxBytes);
    NormalizerSteps.logDeadLetter(letter);
    byte[] value = SERIALIZER.serialize(topic, letter);
    byte[] letterKey = letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8);
    // the input's headers, as every dead letter of the normalizer keeps them
    return Response.resume(
        List.of(
            new ProducerRecord<>(
                topic, null, null, letterKey, value, DeadLetters.headers(record.headers()))));
  }
}
