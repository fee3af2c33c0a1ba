package org.wireingest.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.InputHash;
import org.wireingest.dedup.Versioning;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.NormalizationException;
import org.wireingest.normalize.Normalizer;

/**
 * The normaliser's per-record JSON work, one record per operation (cycling over {@value #ITEMS}
 * items built from the real corpus as {@link PipelineThroughput} builds them):
 *
 * <ul>
 *   <li>{@link #readRawItem}: a {@code wire.raw-items.v1} value (about 2 KB) to a {@link
 *       RawWireItem};
 *   <li>{@link #writeArticle}: the {@link ArticleEvent} normalised from it (normalised in setup) to
 *       bytes;
 *   <li>{@link #writeDedupState} / {@link #readDedupState}: the dedup store's value both ways.
 * </ul>
 *
 * <p>{@code mapper=wire} is {@link Json#MAPPER}; {@code mapper=plain} is a mapper with the same
 * settings but only the JSR-310 module (no fast instant paths), a same-run anchor that no change to
 * {@link Json} moves: compare {@code wire/plain} ratios between builds.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JsonCodecBenchmark -p corpusDir=/work/shared/corpus/real
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class JsonCodecBenchmark {

  static final int ITEMS = 4096;

  /**
   * The corpus folder of real feeds; empty: {@code corpus.dir}/real, else {@code
   * ../shared/corpus/real}.
   */
  @Param({""})
  public String corpusDir;

  /**
   * {@code wire}: {@link Json#MAPPER}; {@code plain}: the same settings with the JSR-310 module
   * alone.
   */
  @Param({"plain", "wire"})
  public String mapper;

  private ObjectMapper json;

  private byte[][] rawItems;
  private ArticleEvent[] articles;
  private DedupState[] states;
  private byte[][] stateBytes;
  private int next;

  /** Builds the items, their article events and dedup states, all outside the timed part. */
  @Setup
  public void load() throws IOException {
    json = "plain".equals(mapper) ? plainMapper() : Json.MAPPER;

    List<RawWireItem> templates =
        PipelineThroughput.templates(ParseNormalizeBenchmark.corpusFolder(corpusDir));
    PipelineThroughput.Plan plan = PipelineThroughput.Plan.of(templates, ITEMS);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Normalizer normalizer = new Normalizer(Clock.fixed(now, ZoneOffset.UTC));
    List<byte[]> raw = new ArrayList<>();
    List<ArticleEvent> events = new ArrayList<>();
    List<DedupState> dedup = new ArrayList<>();
    ObjectMapper writer = plainMapper();
    long rawBytes = 0;
    for (int i = 0; i < ITEMS; i++) {
      RawWireItem item = plan.item(i);
      byte[] bytes = writer.writeValueAsBytes(item);
      raw.add(bytes);
      rawBytes += bytes.length;
      try {
        ArticleEvent draft = normalizer.normalize(item);
        Versioning.Decision decision = Versioning.decide(null, draft);
        events.add(
            Versioning.apply(decision, draft)
                .orElseThrow()
                .withIngestion(
                    now, new ArticleEvent.Lineage("wire.raw-items.v1", i % 6, i, item.itemKey())));
        dedup.add(decision.state().withInputHash(InputHash.of(item)));
      } catch (NormalizationException e) {
        // an item the normaliser rejects still has to be read; it makes no event
      }
    }
    rawItems = raw.toArray(byte[][]::new);
    articles = events.toArray(ArticleEvent[]::new);
    states = dedup.toArray(DedupState[]::new);
    stateBytes = new byte[states.length][];
    for (int i = 0; i < states.length; i++) {
      stateBytes[i] = json.writeValueAsBytes(states[i]);
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d raw items (mean %d B), %d article events, %d templates%n",
        rawItems.length,
        rawBytes / rawItems.length,
        articles.length,
        templates.size());
  }

  /** {@link Json#MAPPER}'s settings with nothing but the JSR-310 module. */
  static ObjectMapper plainMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .defaultPropertyInclusion(
            JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
        .build();
  }

  /** The next index in {@code [0, n)}, round robin. */
  private int next(int n) {
    int i = next >= n ? 0 : next;
    next = i + 1;
    return i;
  }

  /** One raw item's bytes to a record. */
  @Benchmark
  public RawWireItem readRawItem() throws IOException {
    byte[] b = rawItems[next(rawItems.length)];
    return json.readValue(b, RawWireItem.class);
  }

  /** One article event to bytes. */
  @Benchmark
  public byte[] writeArticle() throws IOException {
    ArticleEvent e = articles[next(articles.length)];
    return json.writeValueAsBytes(e);
  }

  /** One dedup state to bytes. */
  @Benchmark
  public byte[] writeDedupState() throws IOException {
    DedupState s = states[next(states.length)];
    return json.writeValueAsBytes(s);
  }

  /** One dedup state's bytes to a record. */
  @Benchmark
  public DedupState readDedupState() throws IOException {
    byte[] b = stateBytes[next(stateBytes.length)];
    return json.readValue(b, DedupState.class);
  }
}
