package org.wireingest.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Reads {@link Instant}s written in the form wire-ingest itself writes them ({@link
 * Instant#toString()}: {@code uuuu-MM-ddTHH:mm:ss[.fffffffff]Z}, RFC 3339 in UTC) without going
 * through {@code DateTimeFormatter.ISO_INSTANT}, and hands every other token or text (numbers,
 * offsets, leap seconds, whitespace, out-of-range fields, errors) to the JSR-310 module's own
 * deserializer, so the result and the errors are those of that deserializer for every input.
 *
 * <p>Why: on Java 17, {@code ISO_INSTANT.parse} builds a new {@code DateTimeFormatter} for each
 * call; with several instants per event it was the largest single cost of reading a raw item in the
 * normalizer (docs/benchmarks-history.md). Thread-safe and immutable.
 */
final class IsoInstantDeserializer extends StdScalarDeserializer<Instant>
    implements ContextualDeserializer {

  private static final long serialVersionUID = 1L;
  private static final int SECONDS_PER_DAY = 86_400;

  private final JsonDeserializer<Instant> fallback;

  /**
   * @param fallback the JSR-310 module's deserializer; never null
   */
  IsoInstantDeserializer(JsonDeserializer<Instant> fallback) {
    super(Instant.class);
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
      throws JsonMappingException {
    JsonDeserializer<?> contextual =
        fallback instanceof ContextualDeserializer c
            ? c.createContextual(ctxt, property)
            : fallback;
    if (contextual == fallback) {
      return this;
    }
    // A per-property format (@JsonFormat) or setting: keep the module's behaviour for it.
    return contextual;
  }

  @Override
  public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.hasToken(JsonToken.VALUE_STRING)) {
      Instant fast = parseUtc(p.getText());
      if (fast != null) {
        return fast;
      }
    }
    return fallback.deserialize(p, ctxt);
  }

  /**
   * @param s text; never null
   * @return the instant when {@code s} is exactly {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z} with fields
   *     in their ordinary ranges (no leap second); null otherwise
   */
  static Instant parseUtc(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.' || n == 21) {
        return null;
      }
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (day > LocalDate.of(year, month, 1).lengthOfMonth()) {
      return null;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(
        epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
  }

  /**
   * @return the non-negative value of the ASCII digits in [from, to) (at most 9), or -1 when one is
   *     not a digit
   */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
