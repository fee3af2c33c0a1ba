package org.wireingest.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.wireingest.model.ArticleEvent;

/**
 * Counts what the normalizer did — Micrometer counters {@code wire.normalizer.raw.records},
 * {@code wire.normalizer.articles} (tag {@code change_type}), {@code wire.normalizer.duplicates}
 * (tag {@code reason}), {@code wire.normalizer.dead.letters} (tags {@code stage}, {@code error})
 * — and tells {@code run --once} when the dedup stage has decided every draft. Thread-safe.
 */
public final class NormalizerStats implements NormalizerListener {

  private final MeterRegistry registry;
  private final AtomicLong drafts = new AtomicLong();
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong updated = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong decided = new AtomicLong();
  private final Counter rawCounter;

  /** @param registry where the counters are registered */
  public NormalizerStats(MeterRegistry registry) {
    this.registry = registry;
    this.rawCounter = Counter.builder("wire.normalizer.raw.records").description("Raw items consumed by the normalizer").register(registry);
  }

  @Override
  public void rawRecordConsumed(int partition, long offset) {
    rawCounter.increment();
  }

  @Override
  public void draftForwarded() {
    drafts.incrementAndGet();
  }

  @Override
  public void articleEmitted(ArticleEvent event) {
    ("created".equals(event.changeType()) ? created : updated).incrementAndGet();
    decided.incrementAndGet();
    Counter.builder("wire.normalizer.articles").description("Article events emitted").tag("change_type", event.changeType()).register(registry).increment();
  }

  @Override
  public void duplicateSuppressed(String reason) {
    duplicates.incrementAndGet();
    decided.incrementAndGet();
    Counter.builder("wire.normalizer.duplicates").description("Duplicates suppressed").tag("reason", reason).register(registry).increment();
  }

  @Override
  public void deadLettered(String stage, String errorClass) {
    deadLetters.incrementAndGet();
    if (NormalizerSteps.STAGE_DEDUP.equals(stage)) {
      decided.incrementAndGet();
    }
    Counter.builder("wire.normalizer.dead.letters").description("Records sent to the dead-letter topic").tag("stage", stage).tag("error", errorClass).register(registry).increment();
  }

  /** @return articles created so far */
  public long created() {
    return created.get();
  }

  /** @return articles updated so far */
  public long updated() {
    return updated.get();
  }

  /** @return duplicates suppressed so far */
  public long duplicates() {
    return duplicates.get();
  }

  /** @return dead letters so far */
  public long deadLetters() {
    return deadLetters.get();
  }

  /**
   * Waits until the dedup stage has decided every draft the first stage forwarded in this process,
   * or has been idle for {@code settle} with drafts outstanding (drafts of an aborted transaction
   * are forwarded twice but reach the dedup stage once).
   *
   * @param timeout overall bound
   * @param settle how long the dedup stage may stay idle with drafts outstanding before it counts as done
   * @return true when done, false on timeout
   * @throws InterruptedException when interrupted
   */
  public boolean awaitDecided(Duration timeout, Duration settle) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastDecided = -1;
    long idleSince = System.nanoTime();
    while (decided.get() < drafts.get()) {
      long d = decided.get();
      if (d != lastDecided) {
        lastDecided = d;
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince > settle.toNanos()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }
}
