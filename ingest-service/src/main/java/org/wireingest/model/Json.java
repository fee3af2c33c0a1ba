package org.wireingest.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;

/**
 * The one Jackson configuration for every event wire-ingest writes or reads: instants as ISO-8601
 * UTC strings ({@code 2026-11-30T08:00:00Z}), null fields omitted, unknown fields ignored on read
 * (so older readers accept newer events). Thread-safe.
 *
 * <p>Instants are written ({@link IsoInstantSerializer}) and, in the form {@link
 * Instant#toString()} writes, read ({@link IsoInstantDeserializer}) by fast paths with the module's
 * exact output and results; every other year, form or setting goes to the JSR-310 module as before.
 */
public final class Json {

  /** Shared mapper; thread-safe once configured, never reconfigure it. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(fastInstants())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private Json() {}

  /**
   * Wraps the JSR-310 module's {@link Instant} deserializer in {@link IsoInstantDeserializer} and
   * its serializer in {@link IsoInstantSerializer}.
   */
  private static SimpleModule fastInstants() {
    SimpleModule m = new SimpleModule("wire-ingest-iso-instants");
    m.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          @SuppressWarnings("unchecked")
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription desc,
              JsonDeserializer<?> deserializer) {
            return desc.getBeanClass() == Instant.class
                    && !(deserializer instanceof IsoInstantDeserializer)
                ? new IsoInstantDeserializer((JsonDeserializer<Instant>) deserializer)
                : deserializer;
          }
        });
    m.setSerializerModifier(
        new BeanSerializerModifier() {
          @Override
          @SuppressWarnings("unchecked")
          public JsonSerializer<?> modifySerializer(
              SerializationConfig config, BeanDescription desc, JsonSerializer<?> serializer) {
            return desc.getBeanClass() == Instant.class
                    && !(serializer instanceof IsoInstantSerializer)
                ? new IsoInstantSerializer((JsonSerializer<Instant>) serializer)
                : serializer;
          }
        });
    return m;
  }
}
