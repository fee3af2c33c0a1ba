package org.wireingest.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Json#MAPPER} reads instants exactly as the plain JSR-310 module does (same value, or an
 * error for the same inputs) and writes the same text; the fast paths ({@link
 * IsoInstantDeserializer}, {@link IsoInstantSerializer}) only change speed.
 */
class JsonInstantTest {

  /** The mapper as it was before the fast path: the JSR-310 module alone. */
  private static final ObjectMapper STOCK =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .build();

  record Holder(Instant at) {}

  @Test
  void shouldReadInstantsAsTheJsr310ModuleDoes() {
    List<String> texts =
        new ArrayList<>(
            List.of(
                "2026-11-30T08:00:00Z",
                "2026-11-30T08:00:00.1Z",
                "2026-11-30T08:00:00.123456789Z",
                "2026-11-30T08:00:00.000Z",
                "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "2024-02-29T12:00:00Z",
                // handed to the module: its answer (value or error) must come back unchanged
                "2025-02-29T12:00:00Z",
                "2026-04-31T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-00-10T00:00:00Z",
                "2026-11-30T24:00:00Z",
                "2026-11-30T23:60:00Z",
                "2016-12-31T23:59:60Z",
                "2026-11-30T08:00:00.Z",
                "2026-11-30T08:00:00.1234567890Z",
                "2026-11-30T08:00:00+01:00",
                "2026-11-30T08:00:00+00:00",
                " 2026-11-30T08:00:00Z",
                "2026-11-30T08:00:00Z ",
                "2026-11-30t08:00:00z",
                "2026-11-30 08:00:00Z",
                "+12026-11-30T08:00:00Z",
                "-0001-11-30T08:00:00Z",
                "2026-1-30T08:00:00Z",
                "",
                "not a date",
                "2026-11-30T08:00:0xZ",
                "2026-11-30T08:00:00.12a4Z"));
    SplittableRandom rnd = new SplittableRandom(6);
    for (int i = 0; i < 2000; i++) {
      texts.add(
          Instant.ofEpochSecond(
                  rnd.nextLong(-5_000_000_000L, 50_000_000_000L),
                  rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1_000_000_000))
              .toString());
    }

    for (String text : texts) {
      String json = "{\"at\":\"" + text + "\"}";
      Object expected = readOrError(STOCK, json);
      Object actual = readOrError(Json.MAPPER, json);
      assertThat(actual).as(text).isEqualTo(expected);
    }
  }

  @Test
  void shouldStillReadNumericInstantsAndNull() {
    for (String json :
        List.of("{\"at\":1764489600}", "{\"at\":1764489600.5}", "{\"at\":null}", "{}")) {
      assertThat(readOrError(Json.MAPPER, json)).as(json).isEqualTo(readOrError(STOCK, json));
    }
  }

  @Test
  void shouldInstallTheFastPathForInstants() throws Exception {
    var ctxt =
        ((DefaultDeserializationContext) Json.MAPPER.getDeserializationContext())
            .createDummyInstance(Json.MAPPER.getDeserializationConfig());

    assertThat(ctxt.findRootValueDeserializer(Json.MAPPER.constructType(Instant.class)))
        .isInstanceOf(IsoInstantDeserializer.class);
    assertThat(IsoInstantDeserializer.parseUtc("2026-11-30T08:00:00.5Z"))
        .isEqualTo(Instant.parse("2026-11-30T08:00:00.5Z"));
    assertThat(IsoInstantDeserializer.parseUtc("2026-11-30T08:00:00+01:00")).isNull();
  }

  @Test
  void shouldWriteInstantsAsTheJsr310ModuleDoes() throws Exception {
    ObjectMapper stockWriter =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    List<Instant> instants =
        new ArrayList<>(
            List.of(
                Instant.EPOCH,
                Instant.ofEpochSecond(-1),
                Instant.ofEpochSecond(0, 1),
                Instant.ofEpochSecond(0, 1_000),
                Instant.ofEpochSecond(0, 1_000_000),
                Instant.ofEpochSecond(0, 100_000_000),
                Instant.ofEpochSecond(0, 999_999_999),
                Instant.parse("2024-02-29T23:59:59.5Z"),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                // outside 0000-9999: the module's text (sign, five digits), through the fallback
                Instant.parse("0000-01-01T00:00:00Z").minusNanos(1),
                Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1),
                Instant.MIN,
                Instant.MAX));
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 5000; i++) {
      long seconds = rnd.nextLong(-70_000_000_000L, 260_000_000_000L);
      int nanos =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> rnd.nextInt(1000) * 1_000_000;
            case 2 -> rnd.nextInt(1_000_000) * 1_000;
            default -> rnd.nextInt(1_000_000_000);
          };
      instants.add(Instant.ofEpochSecond(seconds, nanos));
    }

    for (Instant at : instants) {
      assertThat(Json.MAPPER.writeValueAsString(new Holder(at)))
          .as(at.toString())
          .isEqualTo(stockWriter.writeValueAsString(new Holder(at)));
    }
    assertThat(IsoInstantSerializer.format(Instant.parse("2026-11-30T08:00:00.120Z"), new char[30]))
        .isEqualTo(24);
    assertThat(IsoInstantSerializer.format(Instant.MAX, new char[30])).isEqualTo(-1);
  }

  record Formatted(
      @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = "yyyy-MM-dd", timezone = "UTC")
          Instant day) {}

  @Test
  void shouldLeaveTimestampsAndPropertyFormatsToTheModule() throws Exception {
    Instant at = Instant.parse("2026-11-30T08:00:00.5Z");
    ObjectMapper stock = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    assertThat(
            Json.MAPPER
                .writer()
                .with(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(new Holder(at)))
        .isEqualTo(
            stock
                .writer()
                .with(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(new Holder(at)))
        .isEqualTo("{\"at\":1796025600.500000000}");
    assertThat(Json.MAPPER.writeValueAsString(new Formatted(at)))
        .isEqualTo("{\"day\":\"2026-11-30\"}");
    assertThat(Json.MAPPER.getSerializerProviderInstance().findValueSerializer(Instant.class))
        .isInstanceOf(IsoInstantSerializer.class);
  }

  /** The value read, or the class of the error (messages may differ only in wording). */
  private static Object readOrError(ObjectMapper mapper, String json) {
    Throwable error = catchThrowable(() -> mapper.readValue(json, Holder.class));
    if (error != null) {
      return error.getClass();
    }
    try {
      return mapper.readValue(json, Holder.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
