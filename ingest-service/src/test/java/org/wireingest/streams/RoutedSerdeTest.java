package org.wireingest.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The repartition topic's envelope keeps the raw bytes and position exactly. */
class RoutedSerdeTest {

  private final RoutedSerde serde = new RoutedSerde();

  private NormalizerSteps.Routing.Routed roundTrip(NormalizerSteps.Routing.Routed r) {
    byte[] bytes = serde.serializer().serialize("t", r);
    return serde.deserializer().deserialize("t", bytes);
  }

  @Test
  void shouldRoundTripEveryField() {
    byte[] raw = {0, (byte) 0xff, '{', '}', (byte) 0xc3, (byte) 0xbc};
    var r =
        new NormalizerSteps.Routing.Routed(
            "urn:wire:trtworld:" + "0".repeat(32),
            "a".repeat(64),
            new NormalizerSteps.Position("wire.raw-items.v1", 7, 1L << 40, "trtworld-türkiye/ab"),
            raw,
            null);

    var back = roundTrip(r);

    assertThat(back.uri()).isEqualTo(r.uri());
    assertThat(back.inputHash()).isEqualTo(r.inputHash());
    assertThat(back.at()).isEqualTo(r.at());
    assertThat(back.value()).isEqualTo(raw);
    assertThat(back.item()).isNull();
  }

  @Test
  void shouldKeepNullKeyAndHashApartFromEmptyOnes() {
    var nulls =
        new NormalizerSteps.Routing.Routed(
            "urn:wire:a:b", null, new NormalizerSteps.Position("t", 0, 0, null), new byte[0], null);
    var empties =
        new NormalizerSteps.Routing.Routed(
            "urn:wire:a:b", "", new NormalizerSteps.Position("t", 0, 0, ""), new byte[0], null);

    assertThat(roundTrip(nulls).at().key()).isNull();
    assertThat(roundTrip(nulls).inputHash()).isNull();
    assertThat(roundTrip(empties).at().key()).isEmpty();
    assertThat(roundTrip(empties).inputHash()).isEmpty();
  }

  @Test
  void shouldRejectTruncatedOrForeignBytes() {
    var r =
        new NormalizerSteps.Routing.Routed(
            "urn:wire:a:b",
            null,
            new NormalizerSteps.Position("t", 0, 0, "k"),
            "{}".getBytes(UTF_8),
            null);
    byte[] bytes = serde.serializer().serialize("t", r);

    assertThatThrownBy(
            () -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(
            () -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(
            () -> serde.deserializer().deserialize("t", "{\"uri\":\"x\"}".getBytes(UTF_8)))
        .isInstanceOf(SerializationException.class);
  }
}
