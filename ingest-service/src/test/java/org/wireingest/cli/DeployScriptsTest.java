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
}
