package org.wireingest.cli;

import org.wireingest.config.ConfigException;
import org.wireingest.logging.LogFormat;
import picocli.CommandLine.Option;

/** Options of the ops HTTP server and logs, for the long-running commands. */
final class OpsOptions {

  /** Default port of the ops HTTP server. */
  static final int DEFAULT_PORT = 8080;

  @Option(
      names = "--ops-port",
      paramLabel = "PORT",
      defaultValue = "" + DEFAULT_PORT,
      description =
          "Port of the ops HTTP server: /metrics, /health/live, /health/ready, /api/feeds, /api/normalizer and the status page at / (default: ${DEFAULT-VALUE}; 0 picks a free port and logs it). With run --once the server runs only when this option is given.")
  int opsPort;

  @Option(
      names = "--ops-bind",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description =
          "Address the ops HTTP server listens on (default: ${DEFAULT-VALUE}, every interface; 127.0.0.1 for this host only).")
  String opsBind;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "Log lines on stderr: text or json (one JSON object per line) (default: ${DEFAULT-VALUE}). Credentials in URLs and headers are always masked.")
  LogFormat logFormat; // set before the command runs, as every command's: WireIngest.startLogging

  /**
   * @throws ConfigException when the port is out of range, or the bind address is blank (Java reads
   *     an empty host name as the loopback address: {@code --ops-bind "$UNSET"} would serve this
   *     host only, and every probe from outside would fail)
   */
  void validate() {
    if (opsPort < 0 || opsPort > 65_535) {
      throw new ConfigException("--ops-port must be between 0 and 65535 (got " + opsPort + ")");
    }
    if (opsBind == null || opsBind.isBlank()) {
      throw new ConfigException(
          "--ops-bind is empty: give an address of this host (0.0.0.0 for every interface, 127.0.0.1 for this host only), or leave the option out for 0.0.0.0");
    }
  }
}
