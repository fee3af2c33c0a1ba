package org.wireingest.bench;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
import org.openjdk.jmh.infra.Blackhole;
import org.wireingest.config.FeedSource;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.model.FeedState;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.poll.RawItems;

/**
 * Parse + normalise over the real corpus, against a bare Rome parse of the same bytes. One
 * operation reads every corpus file that bare Rome reads (the same set for all three methods).
 *
 * <ul>
 *   <li>{@link #romeBare}: {@code SyndFeedInput} over the bytes (Rome's own charset sniffing) — the
 *       baseline;
 *   <li>{@link #feedParser}: {@link FeedParser#parse};
 *   <li>{@link #parsePlanNormalize}: {@link FeedParser#parse}, {@link RawItems#plan} from an empty
 *       feed state and {@link Normalizer#normalize} of every planned raw item: the poller's and the
 *       normalizer's CPU work per fetched document.
 * </ul>
 *
 * <p>Corpus folder: {@code -p corpusDir=DIR} (default: the system property {@code corpus.dir} plus
 * {@code /real}, else {@code ../shared/corpus/real}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ParseNormalizeBenchmark {

  /**
   * The corpus folder of real feeds; empty: {@code corpus.dir}/real, else {@code
   * ../shared/corpus/real}.
   */
  @Param({""})
  public String corpusDir;

  private final List<byte[]> bodies = new ArrayList<>();
  private final FeedParser parser = new FeedParser();
  private final Normalizer normalizer =
      new Normalizer(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  private final FeedSource source =
      new FeedSource(
          "bench",
          "Bench",
          "bench",
          URI.create("https://bench.example.org/feed.xml"),
          Duration.ofMinutes(5),
          "en",
          IdentityPolicy.AUTO,
          Map.of());
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  /** Loads every corpus file that bare Rome reads. */
  @Setup
  public void load() throws IOException {
    Path dir = corpusFolder(corpusDir);
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    int skipped = 0;
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      try {
        rome(bytes);
        bodies.add(bytes);
      } catch (Exception e) {
        skipped++;
      }
    }
    if (bodies.isEmpty()) {
      throw new IllegalStateException("no corpus file that Rome reads under " + dir);
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d corpus files (%d bytes) read by bare Rome; %d skipped%n",
        bodies.size(),
        bodies.stream().mapToLong(b -> b.length).sum(),
        skipped);
  }

  /**
   * The corpus folder: {@code param} when set, else {@code corpus.dir}/real, else {@code
   * ../shared/corpus/real}.
   */
  static Path corpusFolder(String param) {
    if (param != null && !param.isBlank()) {
      return Path.of(param);
    }
    return Path.of(System.getProperty("corpus.dir", "../shared/corpus"), "real");
  }

  private static SyndFeed rome(byte[] bytes) throws Exception {
    SyndFeedInput input = new SyndFeedInput();
    return input.build(new XmlReader(new ByteArrayInputStream(bytes)));
  }

  /** Baseline: Rome alone. */
  @Benchmark
  public void romeBare(Blackhole bh) {
    romeBare((Consumer<Object>) bh::consume);
  }

  /** Our parser (decoding, prolog checks, JDOM, Rome, mapping to {@code ParsedFeed}). */
  @Benchmark
  public void feedParser(Blackhole bh) {
    feedParser((Consumer<Object>) bh::consume);
  }

  /** Parse, plan the raw items from an empty state, normalise every one. */
  @Benchmark
  public void parsePlanNormalize(Blackhole bh) {
    parsePlanNormalize((Consumer<Object>) bh::consume);
  }

  void romeBare(Consumer<Object> sink) {
    for (byte[] b : bodies) {
      try {
        sink.accept(rome(b));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  void feedParser(Consumer<Object> sink) {
    for (byte[] b : bodies) {
      sink.accept(parser.parse(b, null));
    }
  }

  void parsePlanNormalize(Consumer<Object> sink) {
    for (byte[] b : bodies) {
      ParseResult r = parser.parse(b, null);
      if (!(r instanceof ParseResult.Parsed parsed)) {
        continue;
      }
      RawWireItem.Fetch fetch =
          new RawWireItem.Fetch(now, source.url().toString(), 200, null, null, null, "0");
      RawItems.Plan plan =
          RawItems.plan(
              source,
              fetch,
              parsed.feed(),
              FeedState.initial(source.id(), source.url().toString()),
              now);
      for (RawWireItem item : plan.toPublish()) {
        try {
          sink.accept(normalizer.normalize(item));
        } catch (RuntimeException e) {
          sink.accept(e);
        }
      }
    }
  }
}
