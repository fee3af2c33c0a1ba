package org.wireingest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.wireingest.kafka.EmbeddedBroker;

/**
 * Poller scale (docs/benchmarks.md): one {@code wire-ingest poll} process, as deployed ({@code java
 * -Xmx512m -jar wire-ingest.jar poll ... --allow-private-addresses}), polls N feeds (10,000) at one
 * interval (60 s) from a {@link SyntheticFeedServer} (a share of slow answers, a share of changed
 * feeds, the rest {@code 304}; a share of feeds gzip-encoded, a share large), against a broker
 * embedded in this JVM (or {@code --bootstrap-servers}). The feeds are spread round-robin over
 * {@code --hosts} loopback addresses 127.1.x.y (all of 127/8 is loopback on Linux), so the per-host
 * limit applies as it would to that many publishers.
 *
 * <p>After a warm-up (the first cycle publishes every feed's items), every minute it reports, from
 * the poller's own {@code /metrics}: the schedule lateness ({@code wire.poller.schedule.lateness}
 * histogram: p50, p99 and the largest non-empty bucket, as upper bucket bounds), polls by outcome,
 * polls failed as {@code timeout}, and its body memory budget's figures ({@code
 * wire.poller.body.budget.*}: polls that waited for room and how long in all, polls that gave up
 * waiting, polls waiting at the minute's end); from the OS: the process's CPU time; from its GC
 * log: the heap after each collection; and at the end the live heap after a full GC ({@code jcmd
 * GC.run}). The budget's size and its figures over the warm-up are printed once before the minutes.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.wireingest.bench.PollerScale --jar
 * ingest-service/target/wire-ingest.jar [--feeds 10000] [--hosts 100] [--interval 60s] [--minutes
 * 4] [--warmup-minutes 2] [--poll-threads 32] [--per-host-concurrency 2] [--heap 512m]
 * [--slow-share 0.05] [--change-share 0.2] [--gzip-share 0.8] [--large-share 0.03] [--items 20]
 * [--bootstrap-servers HOST:PORT] [--data-dir DIR] [--ops-port 18081] [--jvm-options
 * '-XX:StartFlightRecording=...']}. {@code --gzip-share 0 --large-share 0} is the setup measured
 * before these two options (every answer uncompressed, every feed of 20 items).
 */
public final class PollerScale {

  private static final String LATENESS = "wire_poller_schedule_lateness_seconds";
  private static final Pattern LE = Pattern.compile("le=\"([^\"]+)\"");
  private static final Pattern OUTCOME = Pattern.compile("outcome=\"([^\"]+)\"");
  private static final Pattern REASON = Pattern.compile("reason=\"([^\"]+)\"");
  private static final String POLLS = "wire_poller_polls_total";
  private static final String BUDGET = "wire_poller_body_budget_";
  private static final String BUDGET_LIMIT = BUDGET + "limit_bytes";
  private static final String BUDGET_WAITS = BUDGET + "waits_seconds_count";
  private static final String BUDGET_WAITED = BUDGET + "waits_seconds_sum";
  private static final String BUDGET_TIMEOUTS = BUDGET + "timeouts_total";
  private static final String BUDGET_WAITING = BUDGET + "waiting";

  private PollerScale() {}

  /**
   * @param args see the class comment
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = PipelineThroughput.Args.parse(args);
    int feeds = Integer.parseInt(a.getOrDefault("feeds", "10000"));
    int hosts = Integer.parseInt(a.getOrDefault("hosts", "100"));
    String interval = a.getOrDefault("interval", "60s");
    int minutes = Integer.parseInt(a.getOrDefault("minutes", "4"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup-minutes", "2"));
    String threads = a.getOrDefault("poll-threads", "32");
    String perHost = a.getOrDefault("per-host-concurrency", "2");
    String heap = a.getOrDefault("heap", "512m");
    Path jar = Path.of(a.getOrDefault("jar", "ingest-service/target/wire-ingest.jar"));
    ScratchDir scratch = ScratchDir.of(a, "wire-poller-scale");
    Path dir = scratch.path();
    int opsPort = Integer.parseInt(a.getOrDefault("ops-port", "18081"));
    SyntheticFeedServer.Config config =
        new SyntheticFeedServer.Config(
            feeds,
            Integer.parseInt(a.getOrDefault("items", "20")),
            Double.parseDouble(a.getOrDefault("slow-share", "0.05")),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Double.parseDouble(a.getOrDefault("change-share", "0.2")),
            Integer.parseInt(a.getOrDefault("server-threads", "200")),
            Double.parseDouble(a.getOrDefault("gzip-share", "0.8")),
            Double.parseDouble(a.getOrDefault("large-share", "0.03")));

    EmbeddedBroker broker =
        a.containsKey("bootstrap-servers") ? null : EmbeddedBroker.start(dir.resolve("broker"));
    String bootstrap = broker != null ? broker.bootstrapServers() : a.get("bootstrap-servers");
    try (SyntheticFeedServer server = SyntheticFeedServer.start(config)) {
      Path feedsFile = writeFeeds(dir, feeds, hosts, server.port(), interval);
      System.out.printf(
          Locale.ROOT,
          "poller scale: %d feeds over %d hosts, interval %s, slow %.0f %% (2-3 s), changed %.0f %%, "
              + "gzip %.0f %% of feeds, large (%d items, ~300 KiB) %.0f %% of feeds, "
              + "poll threads %s, per host %s, heap %s; warm-up %d min, then %d min%n",
          feeds,
          hosts,
          interval,
          config.slowShare() * 100,
          config.changeShare() * 100,
          config.gzipShare() * 100,
          SyntheticFeedServer.LARGE_ITEMS,
          config.largeShare() * 100,
          threads,
          perHost,
          heap,
          warmup,
          minutes);
      Path out = Files.createDirectories(dir.resolve("poller"));
      try (ServiceProcess poller =
          ServiceProcess.start(
              jar,
              heap,
              out,
              opsPort,
              jvmOptions(a),
              List.of(
                  "poll",
                  "--feeds",
                  feedsFile.toString(),
                  "--bootstrap-servers",
                  bootstrap,
                  "--data-dir",
                  out.resolve("data").toString(),
                  "--allow-private-addresses",
                  "--poll-threads",
                  threads,
                  "--per-host-concurrency",
                  perHost))) {
        System.out.println("poller pid " + poller.pid() + ", output in " + out);
        Thread.sleep(Duration.ofMinutes(warmup).toMillis());
        Snapshot first = Snapshot.take(poller, server);
        Snapshot prev = first;
        System.out.printf(
            Locale.ROOT,
            "body budget %.1f MiB; over the warm-up: %s, fetch timeouts %d, server answers %s%n",
            first.metrics().getOrDefault(BUDGET_LIMIT, -1.0) / (1 << 20),
            budget(Snapshot.EMPTY, first),
            Math.round(timeouts(first) - timeouts(Snapshot.EMPTY)),
            first.server());
        System.out.println(
            "minute | polls by outcome | lateness p50 / p99 / max bucket (s) | CPU s (of 60) | heap after GC max / capacity (MB)"
                + " | fetch timeouts | body budget: waits (s waited in all) / gave up / waiting at the end | server answers");
        for (int m = 1; m <= minutes; m++) {
          Thread.sleep(60_000);
          Snapshot now = Snapshot.take(poller, server);
          System.out.println(row(String.valueOf(m), prev, now, poller));
          prev = now;
        }
        System.out.println(row("all", first, prev, poller));
        long mark = poller.gcLogMark();
        poller.fullGc();
        List<long[]> full = poller.heapAfterGc(mark);
        System.out.println(
            "live heap after full GC: "
                + (full.isEmpty()
                    ? "?"
                    : full.get(full.size() - 1)[0]
                        + " MB of "
                        + full.get(full.size() - 1)[1]
                        + " MB"));
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
    scratch.deleteAfterCompletedRun();
  }

  /** The {@code --jvm-options} value split on spaces; empty when not given. */
  static List<String> jvmOptions(Map<String, String> a) {
    String o = a.getOrDefault("jvm-options", "").trim();
    return o.isEmpty() ? List.of() : List.of(o.split(" +"));
  }

  /**
   * Writes the feeds list: feed n on loopback host 127.1.(h/200).(h%200+1), h = n mod hosts; agency
   * bench&lt;h&gt;.
   */
  static Path writeFeeds(Path dir, int feeds, int hosts, int port, String interval)
      throws IOException {
    StringBuilder b = new StringBuilder("sources:\n");
    for (int n = 0; n < feeds; n++) {
      int h = n % hosts;
      String host = "127.1." + (h / 200) + "." + (h % 200 + 1);
      b.append("  - id: bench-")
          .append(n)
          .append('\n')
          .append("    name: Bench feed ")
          .append(n)
          .append('\n')
          .append("    agency: bench")
          .append(h)
          .append('\n')
          .append("    url: http://")
          .append(host)
          .append(':')
          .append(port)
          .append("/feeds/")
          .append(n)
          .append(".xml\n")
          .append("    interval: ")
          .append(interval)
          .append('\n');
    }
    return Files.writeString(dir.resolve("feeds.yaml"), b.toString());
  }

  /** What is read at one point in time. */
  record Snapshot(
      long nanos,
      Duration cpu,
      Map<String, Double> metrics,
      Map<String, Long> server,
      long gcMark) {
    /** Before the process started: every counter 0. */
    static final Snapshot EMPTY = new Snapshot(0, Duration.ZERO, Map.of(), Map.of(), 0);

    static Snapshot take(ServiceProcess p, SyntheticFeedServer s)
        throws IOException, InterruptedException {
      return new Snapshot(
          System.nanoTime(), p.cpu(), p.scrape(LATENESS, POLLS, BUDGET), s.counts(), p.gcLogMark());
    }
  }

  /** Polls failed as {@code timeout} so far, all feeds (budget give-ups included). */
  static double timeouts(Snapshot s) {
    double sum = 0;
    for (Map.Entry<String, Double> e : s.metrics().entrySet()) {
      if (e.getKey().startsWith(POLLS + "{")) {
        Matcher m = REASON.matcher(e.getKey());
        if (m.find() && m.group(1).equals("timeout")) {
          sum += e.getValue();
        }
      }
    }
    return sum;
  }

  /**
   * The body budget's figures between two snapshots: e.g. {@code 12 (3.4 s) / 0 / 1}: polls that
   * waited for room (counted when their wait ended), the seconds they waited in all, polls that
   * gave up at their deadline, and polls waiting at {@code b}.
   */
  static String budget(Snapshot a, Snapshot b) {
    return String.format(
        Locale.ROOT,
        "%d (%.1f s) / %d / %d",
        Math.round(delta(a, b, BUDGET_WAITS)),
        delta(a, b, BUDGET_WAITED),
        Math.round(delta(a, b, BUDGET_TIMEOUTS)),
        Math.round(b.metrics().getOrDefault(BUDGET_WAITING, 0.0)));
  }

  private static double delta(Snapshot a, Snapshot b, String metric) {
    return b.metrics().getOrDefault(metric, 0.0) - a.metrics().getOrDefault(metric, 0.0);
  }

  private static String row(String label, Snapshot a, Snapshot b, ServiceProcess p)
      throws IOException {
    double seconds = (b.nanos() - a.nanos()) / 1e9;
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Map<String, Double> outcomes = new TreeMap<>();
    b.metrics()
        .forEach(
            (k, v) -> {
              double d = v - a.metrics().getOrDefault(k, 0.0);
              if (k.startsWith(LATENESS + "_bucket")) {
                Matcher m = LE.matcher(k);
                if (m.find()) {
                  buckets.put(
                      m.group(1).equals("+Inf")
                          ? Double.POSITIVE_INFINITY
                          : Double.parseDouble(m.group(1)),
                      d);
                }
              } else if (k.startsWith(POLLS)) {
                Matcher m = OUTCOME.matcher(k);
                if (m.find()) {
                  outcomes.merge(m.group(1), d, Double::sum);
                }
              }
            });
    List<long[]> gcs = p.heapAfterGc(a.gcMark());
    List<long[]> inWindow =
        gcs.subList(0, Math.min(gcs.size(), countGcs(p, a.gcMark(), b.gcMark())));
    long heapMax = inWindow.stream().mapToLong(g -> g[0]).max().orElse(-1);
    long capacity = inWindow.stream().mapToLong(g -> g[1]).max().orElse(-1);
    Map<String, Long> server = new TreeMap<>();
    b.server().forEach((k, v) -> server.put(k, v - a.server().getOrDefault(k, 0L)));
    StringBuilder polls = new StringBuilder();
    outcomes.forEach(
        (k, v) ->
            polls
                .append(polls.length() == 0 ? "" : ", ")
                .append(k)
                .append(' ')
                .append(Math.round(v)));
    return String.format(
        Locale.ROOT,
        "%s | %s (%.0f/s) | %s / %s / %s | %.1f (%.0f %% of a core) | %d / %d | %d | %s | %s",
        label,
        polls,
        outcomes.values().stream().mapToDouble(Double::doubleValue).sum() / seconds,
        quantile(buckets, 0.5),
        quantile(buckets, 0.99),
        quantile(buckets, 1.0),
        b.cpu().minus(a.cpu()).toMillis() / 1000.0,
        100.0 * b.cpu().minus(a.cpu()).toMillis() / 1000.0 / seconds,
        heapMax,
        capacity,
        Math.round(timeouts(b) - timeouts(a)),
        budget(a, b),
        server);
  }

  private static int countGcs(ServiceProcess p, long from, long to) throws IOException {
    // lines logged between the two marks: those found from 'from' minus those found from 'to'
    return p.heapAfterGc(from).size() - p.heapAfterGc(to).size();
  }

  /**
   * The upper bound of the bucket holding quantile {@code q} of the cumulative bucket deltas; "-"
   * when empty.
   */
  static String quantile(TreeMap<Double, Double> cumulative, double q) {
    double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    if (total <= 0) {
      return "-";
    }
    double rank = Math.max(1, Math.ceil(q * total));
    for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
      if (e.getValue() >= rank - 1e-9) {
        return e.getKey().isInfinite() ? "> 600" : String.format(Locale.ROOT, "%.3f", e.getKey());
      }
    }
    return "?";
  }
}
