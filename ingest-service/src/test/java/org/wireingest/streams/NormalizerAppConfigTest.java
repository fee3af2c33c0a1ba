package org.wireingest.streams;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.ConfigException;
import org.wireingest.kafka.Topics;

class NormalizerAppConfigTest {

  @TempDir Path dir;

  // Regression (fresh-eyes review): --application-id 'a b' made every stream thread fail at start,
  // replaced ~1,000 times a minute, and the process ignored SIGTERM; it is now refused up front.
  @Test
  void shouldRefuseAnApplicationIdKafkaCannotUse() {
    assertThatThrownBy(() -> new NormalizerApp(Map.of("bootstrap.servers", "127.0.0.1:1"), "a b", dir, Topics.defaults(), NormalizerListener.NONE, 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--application-id")
        .hasMessageContaining("'a b'");
  }
}
