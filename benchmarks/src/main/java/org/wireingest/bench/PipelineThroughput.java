package org.wireingest.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
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
import org.wireingest.ops.OpsRegistry;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.poll.KafkaPollSink;
import org.wireingest.poll.RawItems;
import org.wireingest.streams.NormalizerApp;
import org.wireingest.streams.NormalizerListener;
import org.wireingest.streams.NormalizerStats;
import org.wireingest.streams.NormalizerTopology;

/**
 * Whole-pipeline normalizer throughput on a real broker (docs/benchmarks.md).
 *
 * <ol>
 *   <li>Plans N raw items from the real corpus entries (realistic sizes): 75 % new stories, 20 %
 *       exact duplicates of an earlier item, 5 % updates (an earlier story's identity with another
 *       entry's content). Items are rebuilt from the plan when needed, so 1,000,000 fit a 2 GB
 *       heap.
 *   <li>Producer baselines in the manner of Kafka's {@code kafka-producer-perf-test}
 *       (ProducerPerformance, not on this machine's offline Maven repository): pre-serialised
 *       payloads (the first 20,000 items) sent as fast as the producer takes them, once with
 *       acks=all and client defaults, once with the poller's settings.
 *   <li>The raw topic is filled once (untimed) and read by every run. Items are placed as the
 *       poller places them (on their article uri's partition, {@code KafkaPollSink#partitionOf});
 *       {@code --placement key} places them by record key instead, as older pollers did, so every
 *       item the normalizer reads from a "foreign" partition takes the repartition hop.
 *   <li>Per run, with fresh application ids, from the beginning of the raw topic: (i) a bare
 *       pass-through Kafka Streams topology (read, re-key, write), (ii) a bare dedup topology (the
 *       pass-through plus a changelogged RocksDB store of each key's last CRC32C: {@link
 *       #bareDedup}), the floor of any normaliser that deduplicates in a store, (iii) the library
 *       floor (the bare dedup doing {@link LibraryFloor}'s work on each record it writes: the least
 *       any normaliser built on Jackson and jsoup pays), (iv) the real normalizer ({@link
 *       NormalizerApp}); all exactly_once_v2 with the normalizer's Streams settings ({@link
 *       NormalizerApp#streamsProperties}, with any {@code --streams.<name> value}). Each is timed
 *       from the first record read to the moment its consumer group has committed every input
 *       offset (the last outcome committed), and the medians over runs and the ratios to the
 *       pass-through are printed.
 * </ol>
 *
 * <p>Usage: {@code java -Xmx2g -cp benchmarks.jar org.wireingest.bench.PipelineThroughput [--items
 * N] [--runs R] [--partitions P] [--placement uri|key] [--topologies pass,dedup,floor,norm]
 * [--perf-records N] [--streams.<name> value] [--bootstrap-servers HOST:PORT] [--data-dir DIR]
 * [--corpus DIR]}.
 */
public final class PipelineThroughput {

  private PipelineThroughput() {}

  /**
   * @param args see the class comment
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    int n = Integer.parseInt(a.getOrDefault("items", "1000000"));
    int runs = Integer.parseInt(a.getOrDefault("runs", "3"));
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "6"));
    String placement = a.getOrDefault("placement", "uri");
    if (!placement.equals("uri") && !placement.equals("key")) {
      throw new IllegalArgumentException(
          "--placement is uri (as the poller writes raw items) or key (as pollers before 2026-11-30 did)");
    }
    int perfRecords =
        Integer.parseInt(a.getOrDefault("perf-records", String.valueOf(Math.min(n, 300_000))));
    ScratchDir scratch = ScratchDir.of(a, "wire-bench");
    Path dataDir = scratch.path();
    Path corpus = ParseNormalizeBenchmark.corpusFolder(a.get("corpus"));
    List<String> topologies =
        List.of(a.getOrDefault("topologies", "pass,dedup,floor,norm").split(","));
    Map<String, Object> streamsExtra = new HashMap<>();
    a.forEach(
        (k, v) -> {
          if (k.startsWith("streams.")) {
            streamsExtra.put(k.substring("streams.".length()), v);
          }
        });

    EmbeddedBroker broker =
        a.containsKey("bootstrap-servers") ? null : EmbeddedBroker.start(dataDir);
    String bootstrap = broker != null ? broker.bootstrapServers() : a.get("bootstrap-servers");
    try {
      Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
      Topics topics = new Topics("bench" + System.currentTimeMillis() + ".");
      String perfTopic = topics.prefix() + "producer-perf";
      try (Admin admin = Admin.create(client)) {
        List<TopicSpec> specs = new ArrayList<>(topics.all(partitions));
        specs.add(
            new TopicSpec(
                topics.prefix() + "passthrough",
                partitions,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of()));
        specs.add(
            new TopicSpec(
                topics.prefix() + "dedup",
                partitions,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of()));
        specs.add(
            new TopicSpec(
                topics.prefix() + "floor",
                partitions,
                TopicSpec.CLUSTER_REPLICATION_FACTOR,
                Map.of()));
        specs.add(
            new TopicSpec(perfTopic, partitions, TopicSpec.CLUSTER_REPLICATION_FACTOR, Map.of()));
        TopicAdmin.ensureTopics(admin, specs, Duration.ofSeconds(60));
      }
      List<RawWireItem> templates = templates(corpus);
      Plan plan = Plan.of(templates, n);
      byte[][] pool = new byte[Math.min(n, 20_000)][];
      long poolBytes = 0;
      for (int i = 0; i < pool.length; i++) {
        pool[i] = plan.value(i);
        poolBytes += pool[i].length;
      }
      long meanBytes = poolBytes / pool.length;
      System.out.printf(
          Locale.ROOT,
          "items: %d (new %d, duplicates %d, updates %d), mean %d B (first %d items), %d corpus entries as templates%n",
          n,
          plan.created,
          plan.duplicates,
          plan.updates,
          meanBytes,
          pool.length,
          templates.size());
      Properties settings = new Properties();
      settings.putAll(streamsExtra);
      NormalizerApp.streamsProperties(settings);
      System.out.printf(
          Locale.ROOT, "streams settings of every topology (and exactly_once_v2): %s%n", settings);

      // Producer baselines in the manner of kafka-producer-perf-test (ProducerPerformance): a pool
      // of
      // pre-serialised payloads (here real raw items), sent as fast as the producer accepts them.
      double perfDefaults =
          producerPerf(
              client, perfTopic, pool, perfRecords, Map.of(ProducerConfig.ACKS_CONFIG, "all"));
      System.out.printf(
          Locale.ROOT,
          "producer perf (acks=all, client defaults, no compression): %.0f records/s, %.1f MB/s over %d records%n",
          perfDefaults,
          perfDefaults * meanBytes / 1e6,
          perfRecords);
      double perfPoller = producerPerf(client, perfTopic, pool, perfRecords, pollerProducer());
      System.out.printf(
          Locale.ROOT,
          "producer perf (poller settings: acks=all, idempotent, lz4, linger 5 ms): %.0f records/s, %.1f MB/s%n",
          perfPoller,
          perfPoller * meanBytes / 1e6);
      pool = null;

      long t0 = System.nanoTime();
      produceRaw(client, topics.rawItems(), plan, !"key".equals(placement));
      System.out.printf(
          Locale.ROOT,
          "raw topic filled once with %d items in %.1f s, placed by %s (untimed; generation included)%n",
          n,
          (System.nanoTime() - t0) / 1e9,
          placement);

      List<Double> pass = new ArrayList<>();
      List<Double> dedup = new ArrayList<>();
      List<Double> floor = new ArrayList<>();
      List<Double> norm = new ArrayList<>();
      List<Double> passCpu = new ArrayList<>();
      List<Double> dedupCpu = new ArrayList<>();
      List<Double> floorCpu = new ArrayList<>();
      List<Double> normCpu = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        Run p =
            topologies.contains("pass")
                ? passThrough(
                    client,
                    topics,
                    dataDir.resolve("streams-pass-" + r),
                    "bench-pass-" + r + "-" + System.nanoTime(),
                    n,
                    streamsExtra)
                : Run.NONE;
        Run d =
            topologies.contains("dedup")
                ? bareDedup(
                    client,
                    topics,
                    dataDir.resolve("streams-dedup-" + r),
                    "bench-dedup-" + r + "-" + System.nanoTime(),
                    n,
                    streamsExtra)
                : Run.NONE;
        Run f =
            topologies.contains("floor")
                ? libraryFloor(
                    client,
                    topics,
                    dataDir.resolve("streams-floor-" + r),
                    "bench-floor-" + r + "-" + System.nanoTime(),
                    n,
                    streamsExtra)
                : Run.NONE;
        Run q =
            topologies.contains("norm")
                ? normalizer(
                    client,
                    topics,
                    dataDir.resolve("streams-norm-" + r),
                    "bench-norm-" + r + "-" + System.nanoTime(),
                    n,
                    streamsExtra)
                : Run.NONE;
        pass.add(p.itemsPerSecond());
        dedup.add(d.itemsPerSecond());
        floor.add(f.itemsPerSecond());
        norm.add(q.itemsPerSecond());
        passCpu.add(p.streamThreadMicrosPerItem());
        dedupCpu.add(d.streamThreadMicrosPerItem());
        floorCpu.add(f.streamThreadMicrosPerItem());
        normCpu.add(q.streamThreadMicrosPerItem());
        System.out.printf(
            Locale.ROOT,
            "run %d: pass-through %.0f items/s, bare dedup %.0f items/s, library floor %.0f items/s, normalizer %.0f items/s, ratio %.2f (bare dedup %.2f, library floor %.2f); stream-thread CPU %.1f / %.1f / %.1f / %.1f µs per item%n",
            r,
            p.itemsPerSecond(),
            d.itemsPerSecond(),
            f.itemsPerSecond(),
            q.itemsPerSecond(),
            q.itemsPerSecond() / p.itemsPerSecond(),
            d.itemsPerSecond() / p.itemsPerSecond(),
            f.itemsPerSecond() / p.itemsPerSecond(),
            p.streamThreadMicrosPerItem(),
            d.streamThreadMicrosPerItem(),
            f.streamThreadMicrosPerItem(),
            q.streamThreadMicrosPerItem());
      }
      double mp = Medians.of(pass);
      double md = Medians.of(dedup);
      double mf = Medians.of(floor);
      double mn = Medians.of(norm);
      System.out.printf(
          Locale.ROOT,
          "median over %d runs: pass-through %.0f items/s, bare dedup %.0f items/s, library floor %.0f items/s, normalizer %.0f items/s, ratio %.2f (bare dedup %.2f, library floor %.2f); producer perf %.0f / %.0f records/s%n",
          runs,
          mp,
          md,
          mf,
          mn,
          mn / mp,
          md / mp,
          mf / mp,
          perfDefaults,
          perfPoller);
      System.out.printf(
          Locale.ROOT,
          "median stream-thread CPU per item: pass-through %.1f µs, bare dedup %.1f µs, library floor %.1f µs, normalizer %.1f µs (thread CPU time of the stream threads only)%n",
          Medians.of(passCpu),
          Medians.of(dedupCpu),
          Medians.of(floorCpu),
          Medians.of(normCpu));
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
    scratch.deleteAfterCompletedRun();
  }

  /**
   * The raw items the poller would publish for every corpus file, one source (and agency of ten)
   * per file.
   */
  static List<RawWireItem> templates(Path corpus) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(corpus)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    FeedParser parser = new FeedParser();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    List<RawWireItem> out = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      if (!(parser.parse(Files.readAllBytes(files.get(i)), null)
          instanceof ParseResult.Parsed parsed)) {
        continue;
      }
      FeedSource source =
          new FeedSource(
              "src-" + i,
              "Source " + i,
              "agency-" + (i % 10),
              URI.create("https://feeds.example.org/" + i + ".xml"),
              Duration.ofMinutes(5),
              "en",
              IdentityPolicy.AUTO,
              Map.of());
      RawWireItem.Fetch fetch =
          new RawWireItem.Fetch(
              now, source.url().toString(), 200, null, null, "application/xml", "0");
      out.addAll(
          RawItems.plan(
                  source,
                  fetch,
                  parsed.feed(),
                  FeedState.initial(source.id(), source.url().toString()),
                  now)
              .toPublish());
    }
    return out;
  }

  /**
   * Which story and template each item is, so item {@code i}'s bytes can be rebuilt on demand (a
   * million 2 KB items do not fit a 2 GB heap): 75 % new stories, 20 % exact duplicates of an
   * earlier item (same key, same bytes), 5 % updates (an earlier story with another template).
   */
  static final class Plan {
    final List<RawWireItem> templates;
    final int[] story;
    final int[] template;
    int created;
    int duplicates;
    int updates;

    private Plan(List<RawWireItem> templates, int n) {
      this.templates = templates;
      this.story = new int[n];
      this.template = new int[n];
    }

    static Plan of(List<RawWireItem> templates, int n) {
      Plan p = new Plan(templates, n);
      SplittableRandom rnd = new SplittableRandom(42);
      int[] storyFirstIndex = new int[n];
      int stories = 0;
      for (int i = 0; i < n; i++) {
        double r = rnd.nextDouble();
        if (stories > 0 && r < 0.20) {
          int first = storyFirstIndex[rnd.nextInt(stories)];
          p.story[i] = p.story[first];
          p.template[i] = p.template[first];
          p.duplicates++;
        } else if (stories > 0 && r < 0.25) {
          int s = rnd.nextInt(stories);
          p.story[i] = s;
          p.template[i] =
              (p.template[storyFirstIndex[s]] + 1 + rnd.nextInt(templates.size() - 1))
                  % templates.size();
          p.updates++;
        } else {
          int s = stories++;
          storyFirstIndex[s] = i;
          p.story[i] = s;
          p.template[i] = rnd.nextInt(templates.size());
          p.created++;
        }
      }
      return p;
    }

    RawWireItem item(int i) {
      RawWireItem t = templates.get(template[i]);
      int s = story[i];
      // the item key in lower-case hex, as the poller makes it (the normalizer dead-letters another
      // shape)
      return new RawWireItem(
          t.schemaVersion(),
          t.source(),
          String.format(Locale.ROOT, "%08x", s),
          new RawWireItem.Identity("guid", "urn:bench:story:" + s),
          t.fetch(),
          t.feed(),
          t.entry(),
          t.entryHash(),
          t.firstSeenAt());
    }

    byte[] value(int i) throws IOException {
      return Json.MAPPER.writeValueAsBytes(item(i));
    }

    String key(int i) {
      return KafkaPollSink.recordKey(item(i));
    }
  }

  /** The poller's producer settings (KafkaPollSink): acks=all, idempotent, lz4, linger 5 ms. */
  static Map<String, Object> pollerProducer() {
    return Map.of(
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true,
        ProducerConfig.LINGER_MS_CONFIG,
        5,
        ProducerConfig.COMPRESSION_TYPE_CONFIG,
        "lz4");
  }

  /**
   * Sends {@code records} values cycling over {@code pool} (no key), as ProducerPerformance does;
   * returns records/s.
   */
  static double producerPerf(
      Map<String, Object> client,
      String topic,
      byte[][] pool,
      int records,
      Map<String, Object> settings) {
    Map<String, Object> p = new HashMap<>(client);
    p.putAll(settings);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.partitionsFor(topic); // metadata fetched before the clock starts
      long t0 = System.nanoTime();
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(topic, pool[i % pool.length]));
      }
      producer.flush();
      return records / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /** Writes the plan's items to the raw topic with the poller's settings (untimed). */
  static void produceRaw(Map<String, Object> client, String topic, Plan plan, boolean byUri)
      throws IOException {
    Map<String, Object> p = new HashMap<>(client);
    p.putAll(pollerProducer());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      int partitions = producer.partitionsFor(topic).size();
      for (int i = 0; i < plan.story.length; i++) {
        RawWireItem item = plan.item(i);
        // placed as the poller places it (KafkaPollSink), unless --placement key (an older poller)
        Integer partition = byUri ? KafkaPollSink.partitionOf(item, partitions) : null;
        producer.send(
            new ProducerRecord<>(
                topic,
                partition,
                KafkaPollSink.recordKey(item),
                Json.MAPPER.writeValueAsBytes(item)));
      }
      producer.flush();
    }
  }

  /**
   * Read, re-key, write; with the normalizer's Streams settings ({@link
   * NormalizerApp#streamsProperties}). Returns items/s from the first record read to the last input
   * offset committed.
   */
  static Run passThrough(
      Map<String, Object> client,
      Topics topics,
      Path stateDir,
      String appId,
      int n,
      Map<String, Object> extra)
      throws Exception {
    Progress progress = new Progress(n);
    StreamsBuilder b = new StreamsBuilder();
    b.stream(topics.rawItems(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .peek((k, v) -> progress.started())
        .selectKey((k, v) -> k.substring(k.indexOf('/') + 1))
        .peek((k, v) -> progress.done())
        .to(topics.prefix() + "passthrough", Produced.with(Serdes.String(), Serdes.ByteArray()));
    return timeBare(b, client, topics, stateDir, appId, n, extra, progress);
  }

  /**
   * Runs a bare topology with the normalizer's Streams settings ({@link
   * NormalizerApp#streamsProperties}, then {@code extra}) and exactly_once_v2, from the start of
   * the raw topic; returns items/s from the first record read to the last input offset committed.
   */
  private static Run timeBare(
      StreamsBuilder b,
      Map<String, Object> client,
      Topics topics,
      Path stateDir,
      String appId,
      int n,
      Map<String, Object> extra,
      Progress progress)
      throws Exception {
    Properties p = new Properties();
    p.putAll(client);
    p.putAll(extra);
    NormalizerApp.streamsProperties(
        p); // as the normalizer applies its settings and --streams.* ones
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    p.put("consumer.auto.offset.reset", "earliest");
    try (KafkaStreams streams = new KafkaStreams(b.build(), p);
        Admin admin = Admin.create(client)) {
      streams.start();
      progress.awaitDone();
      double rate = progress.rate(awaitCommitted(admin, appId, List.of(topics.rawItems())));
      return new Run(rate, streamThreadCpuNanos(appId) / 1e3 / n);
    }
  }

  /**
   * A bare Kafka Streams dedup topology, the floor of any normaliser that deduplicates in a
   * changelogged RocksDB store under exactly-once: read, re-key by the item key (as the
   * pass-through does), look the key up in a persistent key-value store holding a CRC32C of the
   * last value written for it, and write the record only when the key is new or its bytes changed
   * (then store the new CRC32C). No JSON, no normalising: with the benchmark's mix it writes the
   * new stories and updates (80 % of items, plus the ~0.3 % that repeat a story's first version
   * after an update of it) and drops the exact duplicates. The store is the normaliser's kind
   * ({@code Stores.persistentKeyValueStore}, logged to a changelog topic, the same RocksDB
   * settings); returns items/s from the first record read to the last input offset committed.
   */
  static Run bareDedup(
      Map<String, Object> client,
      Topics topics,
      Path stateDir,
      String appId,
      int n,
      Map<String, Object> extra)
      throws Exception {
    return dedupWith(
        "bare dedup", "dedup", UnaryOperator.identity(), client, topics, stateDir, appId, n, extra);
  }

  /**
   * The library floor: {@link #bareDedup} doing {@link LibraryFloor#article}'s work (Jackson read,
   * jsoup sanitise and text, Jackson write) on each record it writes, and writing that article
   * instead of the raw bytes. The least any normaliser built on these libraries pays per item it
   * publishes, with no identity, fingerprint or version rule; returns items/s as {@link
   * #bareDedup}.
   */
  static Run libraryFloor(
      Map<String, Object> client,
      Topics topics,
      Path stateDir,
      String appId,
      int n,
      Map<String, Object> extra)
      throws Exception {
    return dedupWith(
        "library floor", "floor", LibraryFloor::article, client, topics, stateDir, appId, n, extra);
  }

  private static Run dedupWith(
      String label,
      String output,
      UnaryOperator<byte[]> work,
      Map<String, Object> client,
      Topics topics,
      Path stateDir,
      String appId,
      int n,
      Map<String, Object> extra)
      throws Exception {
    Progress progress = new Progress(n);
    AtomicLong forwarded = new AtomicLong();
    String store = "bare-dedup";
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.Long()));
    b.stream(topics.rawItems(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .process(() -> new BareDedup(store, progress, forwarded, work), store)
        .to(topics.prefix() + output, Produced.with(Serdes.String(), Serdes.ByteArray()));
    Run run = timeBare(b, client, topics, stateDir, appId, n, extra, progress);
    System.out.printf(
        Locale.ROOT,
        "  %s wrote %d of %d items (a record written in an aborted transaction is counted again)%n",
        label,
        forwarded.get(),
        n);
    return run;
  }

  /**
   * {@link #bareDedup}'s processor: forwards a record whose re-keyed key is new or whose bytes
   * changed, its value passed through {@code work} (the identity for the bare dedup).
   */
  static final class BareDedup implements Processor<String, byte[], String, byte[]> {
    private final String storeName;
    private final Progress progress;
    private final AtomicLong forwarded;
    private final UnaryOperator<byte[]> work;
    private final CRC32C crc = new CRC32C();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> store;

    BareDedup(
        String storeName, Progress progress, AtomicLong forwarded, UnaryOperator<byte[]> work) {
      this.storeName = storeName;
      this.progress = progress;
      this.forwarded = forwarded;
      this.work = work;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
      this.context = context;
      this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      progress.started();
      String key = record.key().substring(record.key().indexOf('/') + 1);
      crc.reset();
      crc.update(record.value());
      long sum = crc.getValue();
      Long seen = store.get(key);
      if (seen == null || seen != sum) {
        store.put(key, sum);
        context.forward(record.withKey(key).withValue(work.apply(record.value())));
        forwarded.incrementAndGet();
      }
      progress.done();
    }
  }

  /**
   * The real normalizer ({@link NormalizerApp}, its own settings plus {@code extra}, counted by the
   * service's {@link NormalizerStats} on a Prometheus registry); returns items/s from the first raw
   * record read to the last outcome (emitted, suppressed, dead letter) committed.
   */
  static Run normalizer(
      Map<String, Object> client,
      Topics topics,
      Path stateDir,
      String appId,
      int n,
      Map<String, Object> extra)
      throws Exception {
    Progress progress = new Progress(n);
    // The service's own listener (its counters, publication-lag timers and 24 h counts on a
    // Prometheus registry, as `normalize` and `run` bind them), plus the benchmark's progress.
    NormalizerStats stats = new NormalizerStats(OpsRegistry.prometheus());
    NormalizerListener listener =
        new NormalizerListener() {
          @Override
          public void rawRecordConsumed(int partition, long offset) {
            stats.rawRecordConsumed(partition, offset);
            progress.started();
          }

          @Override
          public void itemRouted() {
            stats.itemRouted();
          }

          @Override
          public void normalizationSkipped() {
            stats.normalizationSkipped();
          }

          @Override
          public void itemDecided() {
            stats.itemDecided();
          }

          @Override
          public void articleEmitted(ArticleEvent event) {
            stats.articleEmitted(event);
            progress.done();
          }

          @Override
          public void duplicateSuppressed(String reason) {
            stats.duplicateSuppressed(reason);
            progress.done();
          }

          @Override
          public void deadLettered(String stage, String errorClass) {
            stats.deadLettered(stage, errorClass);
            progress.done();
          }
        };
    Map<String, Object> props = new HashMap<>(client);
    props.putAll(extra);
    props.put("consumer.auto.offset.reset", "earliest");
    try (Admin admin = Admin.create(client);
        NormalizerApp app =
            new NormalizerApp(
                props,
                appId,
                stateDir,
                topics,
                listener,
                TopicAdmin.partitionCount(admin, topics.rawItems(), Duration.ofSeconds(30)))) {
      app.start();
      progress.awaitDone();
      if (stats.deadLetters() > 0) {
        // a benchmark of dead-lettering would look fast and measure nothing: the plan must make
        // items a poller would
        throw new IllegalStateException(
            "the normalizer dead-lettered "
                + stats.deadLetters()
                + " of the "
                + n
                + " items (see the WARN lines): fix the benchmark's raw items");
      }
      double rate =
          progress.rate(
              awaitCommitted(
                  admin,
                  appId,
                  List.of(
                      topics.rawItems(),
                      appId + "-" + NormalizerTopology.REPARTITION + "-repartition")));
      return new Run(rate, streamThreadCpuNanos(appId) / 1e3 / n);
    }
  }

  /**
   * One timed run of a topology.
   *
   * @param itemsPerSecond items from the first record read to the last input offset committed, per
   *     second
   * @param streamThreadMicrosPerItem CPU time of the application's stream threads (from their
   *     start, start-up and rebalancing included) per item, in µs; thread CPU, which another
   *     process on the machine changes much less than the wall time (though not by nothing: caches
   *     and cores are shared)
   */
  record Run(double itemsPerSecond, double streamThreadMicrosPerItem) {
    static final Run NONE = new Run(Double.NaN, Double.NaN);
  }

  /**
   * @return the CPU time, in ns, of the live stream threads of Kafka Streams application {@code
   *     appId} (named {@code <appId>-<uuid>-StreamThread-<n>}: the default client id). Stream
   *     threads only: not their producers' network threads, not a thread that has died. NaN when no
   *     such thread is found or the JVM does not measure thread CPU time
   */
  static double streamThreadCpuNanos(String appId) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    int found = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(appId + "-") && t.getName().contains("-StreamThread-")) {
        long cpu = threads.getThreadCpuTime(t.getId());
        if (cpu < 0) {
          return Double.NaN;
        }
        total += cpu;
        found++;
      }
    }
    return found == 0 ? Double.NaN : total;
  }

  /**
   * Waits until consumer group {@code groupId} has committed every partition of {@code inputs} up
   * to its end (read_committed end offset; a committed offset one short of it is the commit marker
   * of the group's own last transaction on an internal topic). Returns System.nanoTime() then.
   */
  static long awaitCommitted(Admin admin, String groupId, List<String> inputs) throws Exception {
    List<TopicPartition> tps = new ArrayList<>();
    for (var d : admin.describeTopics(inputs).allTopicNames().get().values()) {
      d.partitions().forEach(pi -> tps.add(new TopicPartition(d.name(), pi.partition())));
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    tps.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      var ends =
          admin
              .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get();
      boolean all = true;
      for (TopicPartition tp : tps) {
        long end = ends.get(tp).offset();
        OffsetAndMetadata c = committed.get(tp);
        if (end > 0
            && (c == null || c.offset() < end - (tp.topic().equals(inputs.get(0)) ? 0 : 1))) {
          all = false;
          break;
        }
      }
      if (all) {
        return System.nanoTime();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "group "
                + groupId
                + " did not commit its inputs: committed "
                + committed
                + ", ends "
                + ends);
      }
      Thread.sleep(20);
    }
  }

  /** Counts outcomes; the first-read time in ns. */
  static final class Progress {
    private final int expected;
    private final AtomicLong first = new AtomicLong();
    private final AtomicLong done = new AtomicLong();

    Progress(int expected) {
      this.expected = expected;
    }

    void started() {
      first.compareAndSet(0, System.nanoTime());
    }

    void done() {
      done.incrementAndGet();
    }

    /** Waits until every expected outcome was seen (processed; maybe not yet committed). */
    void awaitDone() throws InterruptedException {
      long report = System.nanoTime();
      while (done.get() < expected) {
        Thread.sleep(20);
        if (System.nanoTime() - report > 10_000_000_000L) {
          report = System.nanoTime();
          System.out.printf(Locale.ROOT, "  ... %d/%d%n", done.get(), expected);
        }
      }
    }

    double rate(long committedAtNanos) {
      return expected / ((committedAtNanos - first.get()) / 1e9);
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
