package org.wireingest.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.kafka.EmbeddedBroker;
import org.wireingest.kafka.TopicAdmin;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.poll.RawItems;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerListener;

/**
 * Whole-pipeline normalizer throughput on a real broker (docs/benchmarks.md).
 *
 * <ol>
 *   <li>Builds N raw items from the real corpus entries (realistic sizes): 75 % new stories, 20 %
 *       exact duplicates of an earlier item, 5 % updates (an earlier story's identity with another
 *       entry's content). Pre-generated in memory, then produced with the poller's producer settings
 *       (acks=all, idempotent, lz4, linger 5 ms): the producer baseline.
 *   <li>Per run, with fresh application ids, both from the beginning of the same topic to its end:
 *       (i) a bare pass-through Kafka Streams topology (read, re-key, write), (ii) the real
 *       normalizer ({@link NormalizerApp}); both exactly_once_v2, commit interval 100 ms, one thread.
 * </ol>
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.wireingest.bench.PipelineThroughput [--items N]
 * [--runs R] [--partitions P] [--bootstrap-servers HOST:PORT] [--data-dir DIR] [--corpus DIR]}.
 */
public final class PipelineThroughput {

  private PipelineThroughput() {}

  /** @param args see the class comment */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    int n = Integer.parseInt(a.getOrDefault("items", "1000000"));
    int runs = Integer.parseInt(a.getOrDefault("runs", "3"));
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "3"));
    Path dataDir = Path.of(a.getOrDefault("data-dir", Files.createTempDirectory("wire-bench").toString()));
    Path corpus = ParseNormalizeBenchmark.corpusFolder(a.get("corpus"));

    EmbeddedBroker broker = a.containsKey("bootstrap-servers") ? null : EmbeddedBroker.start(dataDir);
    String bootstrap = broker != null ? broker.bootstrapServers() : a.get("bootstrap-servers");
    try {
      Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
      Topics topics = new Topics("bench" + System.currentTimeMillis() + ".");
      try (Admin admin = Admin.create(client)) {
        List<TopicSpec> specs = new ArrayList<>(topics.all(partitions));
        specs.add(new TopicSpec(topics.prefix() + "passthrough", partitions, TopicSpec.CLUSTER_REPLICATION_FACTOR, Map.of()));
        TopicAdmin.ensureTopics(admin, specs, Duration.ofSeconds(60));
      }
      List<RawWireItem> templates = templates(corpus);
      byte[][] values = new byte[n][];
      String[] keys = new String[n];
      int[] mix = generate(templates, values, keys);
      long bytes = Arrays.stream(values).mapToLong(v -> v.length).sum();
      System.out.printf(Locale.ROOT, "items: %d (new %d, duplicates %d, updates %d), mean %d B, %d corpus entries as templates%n",
          n, mix[0], mix[1], mix[2], bytes / n, templates.size());
      double produceRate = produce(client, topics.rawItems(), keys, values);
      System.out.printf(Locale.ROOT, "producer baseline (acks=all, idempotent, lz4, linger 5 ms): %.0f items/s, %.1f MB/s%n",
          produceRate, produceRate * bytes / n / 1e6);
      values = null;
      keys = null;
      System.gc();

      List<Double> pass = new ArrayList<>();
      List<Double> norm = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        double p = passThrough(client, topics, dataDir.resolve("streams-pass-" + r), "bench-pass-" + r + "-" + System.nanoTime(), n);
        double q = normalizer(client, topics, dataDir.resolve("streams-norm-" + r), "bench-norm-" + r + "-" + System.nanoTime(), n);
        pass.add(p);
        norm.add(q);
        System.out.printf(Locale.ROOT, "run %d: pass-through %.0f items/s, normalizer %.0f items/s, ratio %.2f%n", r, p, q, q / p);
      }
      double mp = median(pass);
      double mn = median(norm);
      System.out.printf(Locale.ROOT, "median over %d runs: pass-through %.0f items/s, normalizer %.0f items/s, ratio %.2f; producer %.0f items/s%n",
          runs, mp, mn, mn / mp, produceRate);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  /** The raw items the poller would publish for every corpus file, one source (and agency of ten) per file. */
  static List<RawWireItem> templates(Path corpus) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(corpus)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    FeedParser parser = new FeedParser();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    List<RawWireItem> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      if (!(parser.parse(Files.readAllBytes(files.get(i)), null) instanceof ParseResult.Parsed parsed)) {
        continue;
      }
      FeedSource source = new FeedSource("src-" + i, "Source " + i, "agency-" + (i % 10),
          URI.create("https://feeds.example.org/" + i + ".xml"), Duration.ofMinutes(5), "en", IdentityPolicy.AUTO, Map.of());
      RawWireItem.Fetch fetch = new RawWireItem.Fetch(now, source.url().toString(), 200, null, null, "application/xml", "0");
      out.addAll(RawItems.plan(source, fetch, parsed.feed(), FeedState.initial(source.id(), source.url().toString()), now).toPublish());
    }
    return out;
  }

  /** Fills values and keys; returns {new, duplicates, updates}. */
  static int[] generate(List<RawWireItem> templates, byte[][] values, String[] keys) throws IOException {
    SplittableRandom rnd = new SplittableRandom(42);
    int[] storyTemplate = new int[values.length];
    int[] storyFirstIndex = new int[values.length];
    int stories = 0;
    int[] mix = new int[3];
    for (int i = 0; i < values.length; i++) {
      double r = rnd.nextDouble();
      if (stories > 0 && r < 0.20) {
        int s = rnd.nextInt(stories);
        values[i] = values[storyFirstIndex[s]];
        keys[i] = keys[storyFirstIndex[s]];
        mix[1]++;
        continue;
      }
      int story;
      int template;
      if (stories > 0 && r < 0.25) {
        story = rnd.nextInt(stories);
        template = (storyTemplate[story] + 1 + rnd.nextInt(templates.size() - 1)) % templates.size();
        mix[2]++;
      } else {
        story = stories++;
        template = rnd.nextInt(templates.size());
        storyTemplate[story] = template;
        storyFirstIndex[story] = i;
        mix[0]++;
      }
      RawWireItem t = templates.get(template);
      RawWireItem item = new RawWireItem(t.schemaVersion(), t.source(), "story-" + story,
          new RawWireItem.Identity("guid", "urn:bench:story:" + story), t.fetch(), t.feed(), t.entry(), t.entryHash(), t.firstSeenAt());
      values[i] = Json.MAPPER.writeValueAsBytes(item);
      keys[i] = KafkaPollSink.recordKey(item);
    }
    return mix;
  }

  /** Produces every record with the poller's settings; returns records/s. */
  static double produce(Map<String, Object> client, String topic, String[] keys, byte[][] values) {
    Map<String, Object> p = new HashMap<>(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < values.length; i++) {
        producer.send(new ProducerRecord<>(topic, keys[i], values[i]));
      }
      producer.flush();
    }
    return values.length / ((System.nanoTime() - t0) / 1e9);
  }

  /** Read, re-key, write; exactly_once_v2. Returns items/s from the first record read to the last written. */
  static double passThrough(Map<String, Object> client, Topics topics, Path stateDir, String appId, int n) throws InterruptedException {
    Progress progress = new Progress(n);
    StreamsBuilder b = new StreamsBuilder();
    b.stream(topics.rawItems(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .peek((k, v) -> progress.started())
        .selectKey((k, v) -> k.substring(k.indexOf('/') + 1))
        .peek((k, v) -> progress.done())
        .to(topics.prefix() + "passthrough", Produced.with(Serdes.String(), Serdes.ByteArray()));
    Properties p = new Properties();
    p.putAll(client);
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put("consumer.auto.offset.reset", "earliest");
    try (KafkaStreams streams = new KafkaStreams(b.build(), p)) {
      streams.start();
      return progress.await();
    }
  }

  /** The real normalizer; returns items/s from the first raw record read to the last outcome (emitted, suppressed, dead letter). */
  static double normalizer(Map<String, Object> client, Topics topics, Path stateDir, String appId, int n) throws InterruptedException {
    Progress progress = new Progress(n);
    NormalizerListener listener = new NormalizerListener() {
      @Override public void rawRecordConsumed(int partition, long offset) { progress.started(); }
      @Override public void draftForwarded() {}
      @Override public void articleEmitted(ArticleEvent event) { progress.done(); }
      @Override public void duplicateSuppressed(String reason) { progress.done(); }
      @Override public void deadLettered(String stage, String errorClass) { progress.done(); }
    };
    Map<String, Object> props = new HashMap<>(client);
    props.put("consumer.auto.offset.reset", "earliest");
    try (NormalizerApp app = new NormalizerApp(props, appId, stateDir, topics, listener)) {
      app.start();
      return progress.await();
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }

  /** Counts outcomes; first-start and last-done times in ns. */
  static final class Progress {
    private final int expected;
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private volatile long last;

    Progress(int expected) {
      this.expected = expected;
    }

    void started() {
      first.compareAndSet(0, System.nanoTime());
    }

    void done() {
      if (done.incrementAndGet() == expected) {
        last = System.nanoTime();
      }
    }

    double await() throws InterruptedException {
      long t0 = System.nanoTime();
      long report = t0;
      while (last == 0) {
        Thread.sleep(50);
        if (System.nanoTime() - report > 10_000_000_000L) {
          report = System.nanoTime();
          System.out.printf(Locale.ROOT, "  ... %d/%d%n", done.get(), expected);
        }
      }
      return expected / ((last - first.get()) / 1e9);
    }
  }

  /** {@code --name value} pairs. */
  static final class Args {
    static Map<String, String> parse(String[] args) {
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i + 1 < args.length; i += 2) {
        if (!args[i].startsWith("--")) {
          throw new IllegalArgumentException("expected --name value, got " + args[i]);
        }
        m.put(args[i].substring(2), args[i + 1]);
      }
      return m;
    }
  }

}
