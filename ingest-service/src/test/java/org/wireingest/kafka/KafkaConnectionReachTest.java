package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.testing.KafkaBrokerExtension;

/**
 * "No Kafka broker answered" says when the address took connections and closed them unanswered, as
 * a listener of another security protocol does. Found on a real run: {@code tail -K
 * security.protocol=SSL} at the embedded (PLAINTEXT) broker said only "cannot start: no Kafka
 * broker answered at 127.0.0.1:39071 within 10s: Timed out waiting for a node assignment", and a
 * PLAINTEXT client at an SSL listener not even logged a warning: both read as a network problem.
 */
@Tag("integration")
class KafkaConnectionReachTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration WAIT = Duration.ofSeconds(3);

  @TempDir Path dataDir;

  @Test
  void shouldSuspectASecurityProtocolMismatchWhenAnSslClientMeetsAPlaintextBroker() {
    try (KafkaConnection conn =
        KafkaConnection.open(
            KAFKA.bootstrapServers(), Map.of("security.protocol", "SSL"), dataDir)) {

      assertThatThrownBy(() -> conn.awaitReachable(WAIT))
          .isInstanceOf(KafkaSetupException.class)
          .hasMessageStartingWith("no Kafka broker answered at " + KAFKA.bootstrapServers())
          .hasMessageContaining("connections to it opened and were closed without an answer")
          .hasMessageEndingWith(
              "probably a security.protocol mismatch (this client uses SSL, the listener there"
                  + " another protocol): check -K security.protocol, --kafka-config and"
                  + " WIRE_INGEST_KAFKA_SECURITY_PROTOCOL");
    }
  }

  /** A TLS listener drops a PLAINTEXT client's first request: the connection closes at once. */
  @Test
  void shouldSuspectAMismatchWhenEveryConnectionIsClosedAtOnce() throws Exception {
    try (Listener closing = new Listener(true);
        KafkaConnection conn =
            KafkaConnection.open("127.0.0.1:" + closing.port(), Map.of(), dataDir)) {

      assertThatThrownBy(() -> conn.awaitReachable(WAIT))
          .hasMessageContaining(
              "probably a security.protocol mismatch (this client uses"
                  + " PLAINTEXT, the default, the listener there another protocol)");
    }
  }

  /** A hung broker keeps the connections it accepted: no mismatch to suspect. */
  @Test
  void shouldNotSuspectAMismatchWhenConnectionsStayOpenUnanswered() throws Exception {
    try (Listener silent = new Listener(false);
        KafkaConnection conn =
            KafkaConnection.open("127.0.0.1:" + silent.port(), Map.of(), dataDir)) {

      assertThatThrownBy(() -> conn.awaitReachable(WAIT))
          .hasMessageStartingWith("no Kafka broker answered at 127.0.0.1:" + silent.port())
          .hasMessageNotContaining("security.protocol");
    }
  }

  /**
   * Nothing listens: the user is told what to check. The line used to end with Kafka's "Timed out
   * waiting for a node assignment. Call: listNodes", which names neither the broker nor the option.
   */
  @Test
  void shouldSayNoConnectionOpenedWhenNothingListens() {
    try (KafkaConnection conn = KafkaConnection.open("127.0.0.1:1", Map.of(), dataDir)) {
      assertThatThrownBy(() -> conn.awaitReachable(WAIT))
          .hasMessageStartingWith("no Kafka broker answered at 127.0.0.1:1")
          .hasMessageEndingWith(
              "; no connection to it could be opened: is the broker running, and does"
                  + " --bootstrap-servers name its listener?")
          .hasMessageNotContaining("security.protocol");
    }
  }

  @Test
  void shouldSayNothingMoreOnceABrokerHasAnswered() {
    assertThat(KafkaConnection.connectionsHint(3, 2, 1, "SSL")).isEmpty();
    assertThat(KafkaConnection.connectionsHint(1, 1, 0, "sasl_ssl"))
        .startsWith("; a connection to it opened and was closed without an answer")
        .contains("this client uses SASL_SSL,");
  }

  /** A refused connection counts as closed, never as opened: no mismatch to suspect. */
  @Test
  void shouldNotSuspectAMismatchWhenNoConnectionOpened() {
    assertThat(KafkaConnection.connectionsHint(0, 5, 0, "SSL"))
        .startsWith("; no connection to it could be opened")
        .doesNotContain("security.protocol");
  }

  /** A TCP listener that accepts connections and closes them at once, or holds them unanswered. */
  private static final class Listener implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new ArrayList<>();
    private final Thread thread;

    Listener(boolean closeAtOnce) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = server.accept();
                    if (closeAtOnce) {
                      s.close();
                    } else {
                      synchronized (held) {
                        held.add(s);
                      }
                    }
                  }
                } catch (IOException e) {
                  // closed
                }
              },
              "test-listener");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(5_000);
      synchronized (held) {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
