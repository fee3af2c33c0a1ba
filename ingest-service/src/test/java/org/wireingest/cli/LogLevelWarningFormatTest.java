package org.wireingest.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.wireingest.model.Json;

/**
 * Found running {@code normalize --log-format json} with {@code WIRE_INGEST_LOG_LEVEL=WARNING}: the
 * WARN line about that value was a text line before the JSON ones, since it was logged before the
 * command line was read, so a log shipper parsing JSON lines met one that is not. The command line
 * is read first now. Runs {@code wire-ingest} in a JVM of its own, with the shipped {@code
 * logback.xml}, as the launcher does.
 */
class LogLevelWarningFormatTest {

  @Test
  void shouldWriteTheLogLevelWarningAsJsonUnderLogFormatJson() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dlogback.configurationFile="
                    + WireIngest.class.getResource("/logback.xml").toExternalForm(),
                WireIngest.class.getName(),
                "normalize",
                "--log-format",
                "json",
                "--ops-bind",
                ""));
    builder.environment().put("WIRE_INGEST_LOG_LEVEL", "WARNING");
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    String err = new String(process.getErrorStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(err).isEqualTo(2);
    String warning =
        err.lines().filter(line -> line.contains("is no log level")).findFirst().orElseThrow();
    JsonNode json = Json.MAPPER.readTree(warning);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("formattedMessage").asText())
        .isEqualTo(
            "WIRE_INGEST_LOG_LEVEL=WARNING is no log level (one of TRACE, DEBUG, INFO, WARN, ERROR,"
                + " OFF): wire-ingest's lines are logged at INFO");
    // the command's own error stays a plain line, as every command line error
    assertThat(err.lines())
        .contains(
            "wire-ingest: --ops-bind is empty: give an address of this host (0.0.0.0 for"
                + " every interface, 127.0.0.1 for this host only), or leave the option out for"
                + " 0.0.0.0");
  }
}
