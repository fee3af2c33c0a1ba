package org.wireingest.bench;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.wireingest.model.ArticleEvent;
import org.wireingest.ops.OpsRegistry;
import org.wireingest.streams.NormalizerStats;

/**
 * What counting one normaliser outcome costs on the service's registry (Prometheus, JVM binders
 * bound), over {@link PipelineThroughput}'s mix: of every 20 outcomes, 15 articles (1 in 10 of them
 * an update) and 5 duplicates, from 24 sources of 6 agencies.
 *
 * <ul>
 *   <li>{@link #stats}: {@link NormalizerStats}, as the service counts (its meters kept after the
 *       first use);
 *   <li>{@link #registryLookup}: only the registry lookups {@code NormalizerStats} made for every
 *       outcome until session 7 ({@code Counter.builder(...).register(registry)} and the lag
 *       timer's builder), without its other work: the same-run anchor. {@code stats} below it means
 *       the whole of today's counting costs less than those lookups alone did.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar NormalizerStatsBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class NormalizerStatsBenchmark {

  private static final int CYCLE = 480;

  private PrometheusMeterRegistry registry;
  private NormalizerStats stats;
  private ArticleEvent[] events;
  private int next;

  @Setup
  public void setUp() {
    registry = OpsRegistry.prometheus();
    OpsRegistry.bindJvm(registry);
    stats = new NormalizerStats(registry);
    String[] agencies = {"trtworld", "anadolu", "dw", "bbc", "aljazeera", "afp"};
    events = new ArticleEvent[CYCLE];
    Instant created = Instant.now().minus(Duration.ofMinutes(3));
    for (int i = 0; i < CYCLE; i++) {
      String agency = agencies[i % agencies.length];
      events[i] =
          i % 20 >= 15
              ? null
              : new ArticleEvent(
                  "urn:wire:" + agency + ":" + i,
                  1,
                  i % 10 == 0 ? "updated" : "created",
                  "usable",
                  "text",
                  created,
                  null,
                  "en",
                  "Headline",
                  null,
                  null,
                  null,
                  null,
                  List.of(),
                  List.of(),
                  null,
                  null,
                  "f",
                  new ArticleEvent.Source(
                      agency + "-" + (i % 4), agency, agency, "https://example.org/" + agency),
                  null,
                  null,
                  List.of());
    }
  }

  private ArticleEvent nextEvent() {
    ArticleEvent e = events[next];
    next = (next + 1) % CYCLE;
    return e;
  }

  /** One outcome counted by {@link NormalizerStats}. */
  @Benchmark
  public void stats() {
    ArticleEvent e = nextEvent();
    stats.rawRecordConsumed(0, 0);
    stats.itemRouted();
    if (e == null) {
      stats.normalizationSkipped();
      stats.duplicateSuppressed("same-fingerprint");
    } else {
      stats.articleEmitted(e);
    }
    stats.itemDecided();
  }

  /** The anchor: the same meters looked up in the registry for each outcome. */
  @Benchmark
  public void registryLookup() {
    ArticleEvent e = nextEvent();
    Counter.builder("wire.normalizer.raw.records").register(registry).increment();
    if (e == null) {
      Counter.builder("wire.normalizer.normalizations.skipped").register(registry).increment();
      Counter.builder("wire.normalizer.duplicates")
          .tag("reason", "same-fingerprint")
          .register(registry)
          .increment();
      return;
    }
    Counter.builder("wire.normalizer.articles")
        .tag("change_type", e.changeType())
        .tag("source", e.source().id())
        .tag("agency", e.source().agency())
        .register(registry)
        .increment();
    Timer.builder(NormalizerStats.PUBLICATION_LAG)
        .tag("agency", e.source().agency())
        .serviceLevelObjectives(NormalizerStats.LAG_SLOS)
        .register(registry)
        .record(Duration.between(e.versionCreated(), Instant.now()));
  }
}
