package org.wireingest.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code wire-ingest} command run as a child JVM for the benchmarks ({@code java -Xmx.. -jar
 * wire-ingest.jar <command> ...}), with a GC log, its ops HTTP server on a known port, and its
 * output in files; read through its {@code /metrics}, its CPU time and its GC log.
 */
final class ServiceProcess implements AutoCloseable {

  private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final Pattern METRIC_LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

  private final Process process;
  private final Path gcLog;
  private final int opsPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServiceProcess(Process process, Path gcLog, int opsPort) {
    this.process = process;
    this.gcLog = gcLog;
    this.opsPort = opsPort;
  }

  /**
   * @param jar the service jar
   * @param heap the {@code -Xmx} value, e.g. {@code 512m}
   * @param dir where the GC log and the output go
   * @param opsPort the ops HTTP port to give it
   * @param jvmOptions more JVM options (e.g. {@code -XX:StartFlightRecording=...}); may be empty
   * @param args the command and its options (without {@code --ops-port})
   * @return the started process, its ops server answering
   */
  static ServiceProcess start(
      Path jar, String heap, Path dir, int opsPort, List<String> jvmOptions, List<String> args)
      throws IOException, InterruptedException {
    Path gc = dir.resolve("gc.log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-Xlog:gc:file=" + gc + ":uptime"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    cmd.addAll(List.of("--ops-port", String.valueOf(opsPort), "--ops-bind", "127.0.0.1"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .redirectError(dir.resolve("stderr.log").toFile())
            .start();
    ServiceProcess s = new ServiceProcess(p, gc, opsPort);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "wire-ingest exited with " + p.exitValue() + ", see " + dir.resolve("stderr.log"));
      }
      try {
        if (s.get("/health/ready").statusCode() == 200) {
          return s;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    s.close();
    throw new IllegalStateException(
        "wire-ingest not ready within 120 s, see " + dir.resolve("stderr.log"));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * @return the process's CPU time so far (user + system)
   */
  Duration cpu() {
    return process
        .toHandle()
        .info()
        .totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("no CPU time for the child"));
  }

  /**
   * @return the process id
   */
  long pid() {
    return process.pid();
  }

  /**
   * One scrape of {@code /metrics}: every sample whose name starts with one of {@code prefixes},
   * keyed by name and labels as printed.
   */
  Map<String, Double> scrape(String... prefixes) throws IOException, InterruptedException {
    Map<String, Double> out = new TreeMap<>();
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      for (String p : prefixes) {
        if (line.startsWith(p)) {
          Matcher m = METRIC_LINE.matcher(line);
          if (m.find()) {
            out.put(
                m.group(1) + (m.group(2) == null ? "" : m.group(2)),
                Double.parseDouble(m.group(3)));
          }
          break;
        }
      }
    }
    return out;
  }

  /**
   * @return the GC log's length now, to read only later lines with {@link #heapAfterGc}
   */
  long gcLogMark() throws IOException {
    return Files.exists(gcLog) ? Files.size(gcLog) : 0;
  }

  /**
   * @param from a {@link #gcLogMark()}
   * @return per collection logged after it: {heap after (MB), heap capacity (MB)}
   */
  List<long[]> heapAfterGc(long from) throws IOException {
    List<long[]> out = new ArrayList<>();
    byte[] all = Files.readAllBytes(gcLog);
    String text =
        new String(
            all,
            (int) Math.min(from, all.length),
            (int) (all.length - Math.min(from, all.length)),
            StandardCharsets.UTF_8);
    Matcher m = GC_LINE.matcher(text);
    while (m.find()) {
      out.add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
    }
    return out;
  }

  /**
   * Asks for a full GC ({@code jcmd <pid> GC.run}), so the next GC log line gives the live heap.
   */
  void fullGc() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()),
                "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    p.waitFor(60, TimeUnit.SECONDS);
    Thread.sleep(500);
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the service closes in order
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS); // gone before the caller removes its data directory
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
