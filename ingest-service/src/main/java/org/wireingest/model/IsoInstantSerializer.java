package org.wireingest.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Writes {@link Instant}s as the JSR-310 module's default serializer does in wire-ingest's
 * configuration, the text of {@link Instant#toString()} ({@code
 * uuuu-MM-ddTHH:mm:ss[.SSS[SSS[SSS]]]Z}: the fraction in groups of three digits, none when zero),
 * without going through {@code DateTimeFormatter.ISO_INSTANT}; the mirror of {@link
 * IsoInstantDeserializer}.
 *
 * <p>Hands to the module's serializer: instants outside the years 0000–9999 (whose text has a sign
 * or more digits), every call while {@link SerializationFeature#WRITE_DATES_AS_TIMESTAMPS} is on,
 * and every property with its own format ({@code @JsonFormat} or a config override), so the bytes
 * are the module's for every instant and setting.
 *
 * <p>Why: {@code Instant.toString()} goes through {@code DateTimeFormatter}, a {@code
 * LocalDateTime} and a {@code StringBuilder}; with three instants per article event it was about a
 * sixth of the CPU of writing one, and a third of writing a dedup state (benchmarks module,
 * JsonCodecCpu). Thread-safe and immutable.
 */
final class IsoInstantSerializer extends StdSerializer<Instant> implements ContextualSerializer {

  private static final long serialVersionUID = 1L;
  private static final int SECONDS_PER_DAY = 86_400;

  /**
   * 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z in epoch seconds: the years written with four
   * digits.
   */
  private static final long MIN_SECOND = -62_167_219_200L;

  private static final long MAX_SECOND = 253_402_300_799L;

  private final JsonSerializer<Instant> fallback;

  /**
   * @param fallback the JSR-310 module's serializer; never null
   */
  IsoInstantSerializer(JsonSerializer<Instant> fallback) {
    super(Instant.class);
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  @Override
  public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
      throws JsonMappingException {
    JsonFormat.Value format = findFormatOverrides(provider, property, Instant.class);
    if (format == null || format.equals(JsonFormat.Value.empty())) {
      // No shape, pattern, zone, locale or feature for this property: the module would write
      // toString().
      return this;
    }
    return fallback instanceof ContextualSerializer c
        ? c.createContextual(provider, property)
        : fallback;
  }

  @Override
  public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    if (provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)) {
      fallback.serialize(value, gen, provider);
      return;
    }
    char[] text = new char[30];
    int length = format(value, text);
    if (length < 0) {
      fallback.serialize(value, gen, provider);
    } else {
      gen.writeString(text, 0, length);
    }
  }

  @Override
  public void serializeWithType(
      Instant value, JsonGenerator gen, SerializerProvider provider, TypeSerializer typeSer)
      throws IOException {
    fallback.serializeWithType(value, gen, provider, typeSer);
  }

  @Override
  public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType typeHint)
      throws JsonMappingException {
    fallback.acceptJsonFormatVisitor(visitor, typeHint);
  }

  /**
   * Writes {@code value}'s {@link Instant#toString()} text into {@code out}.
   *
   * @param value the instant; never null
   * @param out at least 30 characters
   * @return the number of characters written (20 to 30); -1 when the year is outside 0000–9999 and
   *     nothing was written
   */
  static int format(Instant value, char[] out) {
    long seconds = value.getEpochSecond();
    if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
      return -1;
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    int at = digits(out, 0, date.getYear(), 4);
    out[at++] = '-';
    at = digits(out, at, date.getMonthValue(), 2);
    out[at++] = '-';
    at = digits(out, at, date.getDayOfMonth(), 2);
    out[at++] = 'T';
    at = digits(out, at, secondOfDay / 3600, 2);
    out[at++] = ':';
    at = digits(out, at, secondOfDay / 60 % 60, 2);
    out[at++] = ':';
    at = digits(out, at, secondOfDay % 60, 2);
    int nano = value.getNano();
    if (nano != 0) {
      out[at++] = '.';
      if (nano % 1_000_000 == 0) {
        at = digits(out, at, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        at = digits(out, at, nano / 1_000, 6);
      } else {
        at = digits(out, at, nano, 9);
      }
    }
    out[at++] = 'Z';
    return at;
  }

  /**
   * Writes {@code value} (not negative) as exactly {@code width} decimal digits, zero-padded;
   * returns the next index.
   */
  private static int digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
