package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules of {@code deploy/prometheus/alerts.yml} are valid ({@code promtool
 * check rules}) and do what their comments and the README say ({@code promtool test rules} on
 * {@code deploy/prometheus/alerts.test.yml}: each alert fires on its situation after its {@code
 * for:} and stays silent otherwise). {@link DeployedMetricsTest} checks the metric names they use.
 * Without {@value #PROMTOOL} (Debian's {@code prometheus}) the test fails under CI ({@code
 * CI=true}) and is skipped elsewhere.
 */
class AlertRulesTest {

  static final String PROMTOOL = "/usr/bin/promtool";
  static final Path PROMETHEUS = DeployedMetricsTest.DEPLOY.resolve("prometheus");

  @BeforeAll
  static void needPromtool() {
    boolean installed = Files.isExecutable(Path.of(PROMTOOL));
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(
          PROMTOOL + " missing: .ci/run installs Debian's prometheus (promtool)");
    }
    Assumptions.assumeTrue(
        installed,
        "alert rules test skipped: install Debian's prometheus for promtool (apt-get install -y --no-install-recommends prometheus)");
  }

  @Test
  void shouldCheckTheAlertRules() throws Exception {
    assertPromtool("check", "rules", "alerts.yml");
  }

  @Test
  void shouldPassTheAlertRulesUnitTests() throws Exception {
    assertPromtool("test", "rules", "alerts.test.yml");
  }

  /** Runs promtool in {@code deploy/prometheus} (the test file names alerts.yml beside it). */
  private static void assertPromtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PROMTOOL));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(PROMETHEUS.toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(2, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("promtool %s finished within 2 minutes:%n%s", command, output).isTrue();
    assertThat(p.exitValue()).as("exit code of %s, output:%n%s", command, output).isZero();
  }
}
