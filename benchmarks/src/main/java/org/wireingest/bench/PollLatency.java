package org.wireingest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.wireingest.kafka.EmbeddedBroker;
import org.wireingest.kafka.Topics;
import org.wireingest.model.Json;

/**
 * Latency (docs/benchmarks.md): from a changed feed being fetched to its article event committed,
 * with new items appearing at a fixed total rate (100/s).
 *
 * <p>One {@code wire-ingest run} process (poller + normalizer, {@code java -Xmx512m -jar
 * wire-ingest.jar run ... --allow-private-addresses}) polls {@code --feeds} feeds of a {@link
 * SyntheticFeedServer} at {@code --interval} (10 s, the shortest the feeds list allows), against a
 * broker embedded in this JVM. After a warm-up, the server adds {@code --rate} new items per second
 * to random feeds for {@code --seconds}. This JVM reads {@code wire.raw-items.v1} (each raw item's
 * {@code fetch.fetchedAt}: when the fetch that first saw the item completed, taken by the poller
 * right after the response body was read) and, with {@code isolation.level=read_committed}, {@code
 * wire.articles.v1}; an article event is joined to its raw item by its lineage (partition, offset).
 * <b>Latency = the time this consumer received the committed article event − the raw item's {@code
 * fetchedAt}</b>: an upper bound of fetch → commit (it includes the consumer's own fetch delay).
 * Also reported: fetch → raw item produced (the raw record's timestamp), and item created on the
 * server → article received (which adds the wait for the next poll, up to one interval). Both
 * processes run on this host, so they share one clock.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.wireingest.bench.PollLatency --jar
 * ingest-service/target/wire-ingest.jar [--rate 100] [--feeds 200] [--hosts 20] [--interval 10s]
 * [--seconds 120] [--warmup-seconds 45] [--heap 512m] [--data-dir DIR] [--ops-port 18082]
 * [--jvm-options '...']}.
 */
public final class PollLatency {

  private PollLatency() {}

  /** A raw item of a generated entry: where it is, when fetched, when produced, which GUID. */
  private record Raw(Instant fetchedAt, long producedMillis, String guid) {}

  /**
   * @param args see the class comment
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = PipelineThroughput.Args.parse(args);
    int feeds = Integer.parseInt(a.getOrDefault("feeds", "200"));
    int hosts = Integer.parseInt(a.getOrDefault("hosts", "20"));
    String interval = a.getOrDefault("interval", "10s");
    double rate = Double.parseDouble(a.getOrDefault("rate", "100"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "120"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup-seconds", "45"));
    String heap = a.getOrDefault("heap", "512m");
    Path jar = Path.of(a.getOrDefault("jar", "ingest-service/target/wire-ingest.jar"));
    ScratchDir scratch = ScratchDir.of(a, "wire-poll-latency");
    Path dir = scratch.path();
    int opsPort = Integer.parseInt(a.getOrDefault("ops-port", "18082"));
    SyntheticFeedServer.Config config =
        new SyntheticFeedServer.Config(
            feeds,
            Integer.parseInt(a.getOrDefault("items", "20")),
            0,
            Duration.ZERO,
            Duration.ZERO,
            0,
            32,
            0, // uncompressed answers and 20-item feeds, as measured so far
            0);

    EmbeddedBroker broker =
        a.containsKey("bootstrap-servers") ? null : EmbeddedBroker.start(dir.resolve("broker"));
    String bootstrap = broker != null ? broker.bootstrapServers() : a.get("bootstrap-servers");
    Topics topics = Topics.defaults();
    Map<String, Raw> raws = new ConcurrentHashMap<>(); // by "partition:offset"
    Map<String, Long> articles =
        new ConcurrentHashMap<>(); // lineage "partition:offset" -> received (epoch ms)
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> readers = new ArrayList<>();
    try (SyntheticFeedServer server = SyntheticFeedServer.start(config)) {
      Path feedsFile = PollerScale.writeFeeds(dir, feeds, hosts, server.port(), interval);
      System.out.printf(
          Locale.ROOT,
          "latency: %d feeds over %d hosts, interval %s, %.0f new items/s for %d s after %d s warm-up%n",
          feeds,
          hosts,
          interval,
          rate,
          seconds,
          warmup);
      Path out = Files.createDirectories(dir.resolve("service"));
      try (ServiceProcess service =
          ServiceProcess.start(
              jar,
              heap,
              out,
              opsPort,
              PollerScale.jvmOptions(a),
              List.of(
                  "run",
                  "--feeds",
                  feedsFile.toString(),
                  "--bootstrap-servers",
                  bootstrap,
                  "--data-dir",
                  out.resolve("data").toString(),
                  "--allow-private-addresses"))) {
        System.out.println("service pid " + service.pid() + ", output in " + out);
        readers.add(
            reader(
                bootstrap,
                topics.rawItems(),
                "read_uncommitted",
                stop,
                r -> {
                  JsonNode n = Json.MAPPER.readTree(r.value());
                  String guid = n.path("entry").path("guid").asText(null);
                  if (guid != null && server.createdAt(guid) != null) {
                    raws.put(
                        r.partition() + ":" + r.offset(),
                        new Raw(
                            Instant.parse(n.path("fetch").path("fetchedAt").asText()),
                            r.timestamp(),
                            guid));
                  }
                }));
        readers.add(
            reader(
                bootstrap,
                topics.articles(),
                "read_committed",
                stop,
                r -> {
                  long now = System.currentTimeMillis();
                  JsonNode l = Json.MAPPER.readTree(r.value()).path("lineage");
                  articles.putIfAbsent(
                      l.path("partition").asInt() + ":" + l.path("offset").asLong(), now);
                }));
        Thread.sleep(warmup * 1000L);
        server.startGenerator(rate);
        Thread.sleep(seconds * 1000L);
        server.stopGenerator(); // no more items; let the last ones through
        Thread.sleep(Duration.parse("PT" + interval.toUpperCase(Locale.ROOT)).toMillis() + 15_000);
        long generated = server.counts().getOrDefault("generated", 0L);
        stop.set(true);
        for (Thread t : readers) {
          t.join(10_000);
        }
        report(generated, raws, articles, server);
      }
    } finally {
      stop.set(true);
      if (broker != null) {
        broker.close();
      }
    }
    scratch.deleteAfterCompletedRun();
  }

  private interface RecordHandler {
    void accept(ConsumerRecord<String, byte[]> r) throws Exception;
  }

  private static Thread reader(
      String bootstrap, String topic, String isolation, AtomicBoolean stop, RecordHandler handler) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-" + topic + "-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Thread t =
        new Thread(
            () -> {
              try (KafkaConsumer<String, byte[]> c =
                  new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(topic));
                while (!stop.get()) {
                  for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    handler.accept(r);
                  }
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "reader-" + topic);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void report(
      long generated,
      Map<String, Raw> raws,
      Map<String, Long> articles,
      SyntheticFeedServer server) {
    List<Long> fetchToCommit = new ArrayList<>();
    List<Long> fetchToProduced = new ArrayList<>();
    List<Long> createdToCommit = new ArrayList<>();
    raws.forEach(
        (where, raw) -> {
          Long received = articles.get(where);
          if (received == null) {
            return;
          }
          fetchToCommit.add(received - raw.fetchedAt().toEpochMilli());
          fetchToProduced.add(raw.producedMillis() - raw.fetchedAt().toEpochMilli());
          createdToCommit.add(received - server.createdAt(raw.guid()).toEpochMilli());
        });
    System.out.printf(
        Locale.ROOT,
        "items generated %d, raw items of them %d, article events of them received %d%n",
        generated,
        raws.size(),
        fetchToCommit.size());
    System.out.println("fetch -> article committed (ms): " + summary(fetchToCommit));
    System.out.println("  of which fetch -> raw item produced (ms): " + summary(fetchToProduced));
    System.out.println(
        "item created -> article committed (ms, adds the wait for the next poll): "
            + summary(createdToCommit));
  }

  /** p50 / p99 / max of {@code values}, nearest-rank. */
  static String summary(List<Long> values) {
    if (values.isEmpty()) {
      return "none";
    }
    long[] v = values.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(v);
    return String.format(
        Locale.ROOT,
        "p50 %d, p99 %d, max %d (n = %d)",
        rank(v, 0.5),
        rank(v, 0.99),
        v[v.length - 1],
        v.length);
  }

  private static long rank(long[] sorted, double q) {
    return sorted[(int) Math.max(0, Math.ceil(q * sorted.length) - 1)];
  }
}
