package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.Topics;
import org.wireingest.model.Json;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerListener;
import org.wireingest.testing.KafkaBrokerExtension;

/**
 * {@code /health/ready} on a real broker: down until the topics exist and the normalizer runs, then
 * up.
 */
@Tag("integration")
class ReadinessKafkaTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private JsonNode ready(OpsServer server, int expectedStatus) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
    return Json.MAPPER.readTree(r.body());
  }

  private static String check(JsonNode body, String name) {
    for (JsonNode c : body.get("checks")) {
      if (c.get("name").asText().equals(name)) {
        return c.get("status").asText() + ": " + c.get("detail").asText();
      }
    }
    throw new AssertionError("no check " + name + " in " + body);
  }

  @Test
  void shouldTurnReadyOnlyOnceTheTopicsExistAndTheNormalizerRuns() throws Exception {
    Topics topics = new Topics("ready.");
    Admin admin = KAFKA.admin();
    Readiness readiness = new Readiness();
    FeedBoard board = new FeedBoard(List::of, null, id -> null, id -> 0, Clock.systemUTC());
    try (OpsServer server =
            OpsServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                OpsRegistry.prometheus(),
                readiness,
                board,
                null);
        NormalizerApp normalizer =
            new NormalizerApp(
                KAFKA.clientProperties(),
                "ready-normalizer",
                dir,
                topics,
                NormalizerListener.NONE,
                1)) {
      assertThat(check(ready(server, 503), "startup")).startsWith("down");

      readiness.use(
          List.of(
              KafkaProbes.broker(admin, KAFKA.bootstrapServers(), TIMEOUT),
              KafkaProbes.topics(admin, topics.all(1), TIMEOUT),
              KafkaProbes.streams(normalizer::state, normalizer::started)));
      JsonNode noTopics = ready(server, 503);
      assertThat(check(noTopics, "broker")).startsWith("up");
      assertThat(check(noTopics, "topics"))
          .isEqualTo(
              "down: missing: ready.raw-items.v1, ready.articles.v1, ready.feed-state.v1, ready.fetch-log.v1, ready.dead-letters.v1, ready.story-signatures.v1");

      TopicAdmin.ensureTopics(admin, topics.all(1), Duration.ofSeconds(30));
      Thread.sleep(Readiness.REUSE.toMillis()); // past the reuse of the last report
      JsonNode notRunning = ready(server, 503);
      assertThat(check(notRunning, "topics")).isEqualTo("up: 6 topics exist");
      assertThat(check(notRunning, "normalizer")).isEqualTo("down: Kafka Streams CREATED");

      normalizer.start();
      assertThat(normalizer.awaitRunning(Duration.ofSeconds(60))).isTrue();
      Thread.sleep(Readiness.REUSE.toMillis());
      JsonNode running = ready(server, 200);
      assertThat(running.get("status").asText()).isEqualTo("up");
      // With one stream thread per core a follow-up rebalance may already be under way: still up.
      assertThat(check(running, "normalizer")).matches("up: Kafka Streams (RUNNING|REBALANCING)");
    }
  }

  @Test
  void shouldBeDownWhenTheBrokerIsUnreachable() {
    try (Admin nowhere =
        Admin.create(Map.of("bootstrap.servers", "127.0.0.1:9", "reconnect.backoff.max.ms", 200))) {
      Readiness.Check check =
          KafkaProbes.broker(nowhere, "127.0.0.1:9", Duration.ofMillis(500)).check();

      assertThat(check.up()).isFalse();
      assertThat(check.detail()).isEqualTo("unreachable at 127.0.0.1:9: no answer within 500ms");
    }
  }
}
