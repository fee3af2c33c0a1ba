package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connections that send part of a request and then nothing (a stalled client, a port scanner, a
 * half-open connection): five of them held the ops server's four threads for good, and {@code
 * /health/live} and {@code /metrics} went unanswered (over 150 s measured on a running service).
 * The JDK reads its request-time limit once per process, so the server runs in a process of its
 * own, as in production, where it is the first JDK HTTP server.
 */
class OpsServerStalledClientsTest {

  @Test
  void shouldAnswerLivenessOnceStalledClientsAreDisconnected() throws Exception {
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                StalledClients.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine(); // past any logging lines
      } while (line != null && !line.startsWith("live "));
      assertThat(line).as("the child's output").isEqualTo("live 200");
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
  }

  /** Starts an ops server, stalls five connections, then asks for {@code /health/live}. */
  public static final class StalledClients {
    public static void main(String[] args) throws Exception {
      Readiness readiness = new Readiness();
      FeedBoard board =
          new FeedBoard(List::of, null, id -> null, id -> 0, new MutableClock(Instant.now()));
      try (OpsServer server =
          OpsServer.start(
              new InetSocketAddress("127.0.0.1", 0),
              OpsRegistry.prometheus(),
              readiness,
              board,
              null)) {
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          Socket s = new Socket("127.0.0.1", server.port());
          OutputStream o = s.getOutputStream();
          o.write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          o.flush();
          stalled.add(s);
        }
        Thread.sleep(500);
        String answer;
        try {
          HttpResponse<String> r =
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + server.port() + "/health/live"))
                          .timeout(Duration.ofSeconds(15))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
          answer = Integer.toString(r.statusCode());
        } catch (HttpTimeoutException e) {
          answer = "no answer within 15 s";
        }
        System.out.println("live " + answer);
        for (Socket s : stalled) {
          s.close();
        }
      }
      System.exit(0);
    }
  }
}
