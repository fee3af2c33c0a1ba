package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts under {@code deploy/} that can run on a development machine, run up to where they
 * decide whether to go on.
 */
class DeployScriptsTest {

  // Found in a test: with KAFKA_PORT on a port another broker held, start-broker.sh refused to
  // start, but scale-demo.sh went on against that other broker (its topics, its partitions): its
  // normalizers refused the foreign layout, and the demo said only "process on ops port ... not
  // ready" three minutes later.
  @Test
  void shouldRefuseToStartTheScaleDemoWhenItsBrokerPortIsTaken(@TempDir Path scratch)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Path demo = scratch.resolve("demo");
      Path out = scratch.resolve("out.txt");
      ProcessBuilder builder =
          new ProcessBuilder("bash", DeployManifestsTest.DEPLOY.resolve("scale-demo.sh").toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      builder.environment().put("DEMO_DIR", demo.toString());
      builder.environment().put("KAFKA_PORT", String.valueOf(port));
      Process p = builder.start();
      p.getOutputStream().close();

      boolean done = p.waitFor(30, TimeUnit.SECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      String output = Files.readString(out);

      assertThat(done).as("scale-demo.sh ended within 30 s:%n%s", output).isTrue();
      assertThat(p.exitValue()).as(output).isEqualTo(1);
      assertThat(output.strip())
          .isEqualTo(
              "scale-demo: port "
                  + port
                  + " (the broker) is already in use; stop what listens there, or move the range with KAFKA_PORT");
      assertThat(demo).doesNotExist();
    }
  }

  /**
   * Found in a review: KAFKA_PORT replaces the listeners with PLAINTEXT and CONTROLLER ones, but a
   * KAFKA_CONFIG naming its controller listener otherwise ({@code CTRL}) kept its {@code
   * controller.listener.names} and security protocol map, so the storage format died on a stack
   * trace ("No security protocol defined for listener CONTROLLER") after making the data dir. It is
   * refused before anything is written, with one message saying where to set the ports.
   */
  @Test
  void shouldRefusePortsForAConfigWhoseListenersHaveOtherNames(@TempDir Path scratch)
      throws Exception {
    Path config = scratch.resolve("ctrl.properties");
    Files.writeString(
        config,
        Files.readString(DeployManifestsTest.DEPLOY.resolve("kafka/server.properties"))
            .replace("CONTROLLER", "CTRL"));
    Path data = scratch.resolve("kafka");

    StartBroker run = startBroker(config, data, "18968", null);

    assertThat(run.exit()).as(run.output()).isEqualTo(2);
    assertThat(run.output().lines().findFirst())
        .hasValue(
            "start-broker: KAFKA_PORT and KAFKA_CONTROLLER_PORT give listeners named PLAINTEXT and"
                + " CONTROLLER, but "
                + config
                + " names CTRL; set the ports in that file instead");
    assertThat(data).doesNotExist();
  }

  /**
   * Found in a review: the two ports were checked as text, so {@code 09093} and {@code 9093}, one
   * port to the broker, passed as two, and the broker failed after formatting; a port with more
   * leading zeros than five digits hold was refused though Kafka reads it. Ports are read as
   * decimal numbers, leading zeros aside.
   */
  @Test
  void shouldReadPortsAsNumbersWhateverTheirLeadingZeros(@TempDir Path scratch) throws Exception {
    Path data = scratch.resolve("kafka");

    StartBroker run =
        startBroker(
            DeployManifestsTest.DEPLOY.resolve("kafka/server.properties"), data, "018968", "18968");

    assertThat(run.exit()).as(run.output()).isEqualTo(2);
    assertThat(run.output().lines().findFirst())
        .hasValue("start-broker: KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both 18968)");
    assertThat(data).doesNotExist();
  }

  private record StartBroker(int exit, String output) {}

  private static StartBroker startBroker(Path config, Path data, String port, String controllerPort)
      throws Exception {
    Path out = data.resolveSibling("start-broker.txt");
    ProcessBuilder builder =
        new ProcessBuilder(
                "bash", DeployManifestsTest.DEPLOY.resolve("kafka/start-broker.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().put("KAFKA_CONFIG", config.toString());
    builder.environment().put("KAFKA_DATA_DIR", data.toString());
    builder.environment().put("KAFKA_PORT", port);
    if (controllerPort != null) {
      builder.environment().put("KAFKA_CONTROLLER_PORT", controllerPort);
    }
    Process p = builder.start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
    }
    return new StartBroker(p.exitValue(), Files.readString(out));
  }
}
