package org.wireingest.poll;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.Durations;
import org.wireingest.model.ErrorText;

/**
 * The Kafka producer of a {@link KafkaPollSink}, replaced by a new one made from the same settings
 * after a fatal error: every write of the sink goes through {@link #send}.
 *
 * <p>A producer that failed fatally fails every later send, until it is replaced: the idempotent
 * producer of kafka-clients 4.x does so after a {@link ClusterAuthorizationException} (e.g. no
 * {@code IdempotentWrite} ACL), an {@link AuthenticationException} while it asks for its producer
 * id, an {@link UnsupportedVersionException}, an {@link InvalidPidMappingException} or a {@link
 * ProducerFencedException} ({@link #isFatal}). On such an error, however the send reports it, this
 * closes the broken one at once ({@code close(Duration.ZERO)}: its writes in flight fail, as they
 * would anyway) and then makes a new producer from the same settings, at most once per {@link
 * #MIN_RECREATE_INTERVAL} (an error that comes back at once, such as a missing ACL, does not make
 * it build producers in a loop), logs one WARN naming the error, and counts it ({@code
 * wire.poller.producer.recreations}, see {@link #bindMetrics}). Both run on a thread of their own,
 * {@value #CLOSER_THREAD}, one replacement at a time, so the write that met the error fails at
 * once: such a close waits, without a bound, for the producer's I/O thread to end (see {@link
 * #closeBroken}). Until the new producer is in place the writes go to the broken one and fail. The
 * broken one is closed first because the new one has its {@code client.id}, so its JMX names:
 * closed after the new one registered them, it would remove the new one's. The writes that failed
 * fail their polls as {@code publish-error}, retried at the feeds' next polls as for any failed
 * write: nothing is lost. An authentication failure is taken as fatal wherever it strikes, since
 * the sink cannot tell the two cases apart; a producer replaced needlessly costs only its writes in
 * flight, which fail anyway.
 *
 * <p>Logs under {@link KafkaPollSink}'s logger, whose writes it serves, as the sink did before it
 * had this class. Thread-safe.
 */
final class ReplaceableProducer {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaPollSink.class);

  /**
   * Least time between two new producers after fatal errors: 10 s. A fatal error within it of the
   * last new producer fails its write ({@code publish-error}) and leaves the producer as it is; the
   * first fatal error after it makes the next one.
   */
  static final Duration MIN_RECREATE_INTERVAL = Duration.ofSeconds(10);

  /**
   * The errors after which kafka-clients 4.x fails every later send of an idempotent producer: its
   * {@code TransactionManager} goes to its fatal state on them (as of kafka-clients 4.3), on an
   * {@link AuthenticationException} too when it fails the producer-id request.
   */
  private static final List<Class<? extends Throwable>> FATAL_ERRORS =
      List.of(
          ClusterAuthorizationException.class,
          TransactionalIdAuthorizationException.class,
          ProducerFencedException.class,
          UnsupportedVersionException.class,
          InvalidPidMappingException.class,
          AuthenticationException.class);

  /** Name of the thread that closes and replaces a producer that failed fatally. */
  static final String CLOSER_THREAD = "wire-ingest-producer-close";

  /** Deepest link of a cause chain looked at for a fatal error. */
  private static final int MAX_CAUSE_DEPTH = 16;

  /** Makes the producers: the first, and each after a fatal error, from one set of settings. */
  private final Supplier<Producer<String, byte[]>> producers;

  /** {@link System#nanoTime()}, or a test's clock, for {@link #MIN_RECREATE_INTERVAL}. */
  private final LongSupplier nanoTime;

  /**
   * The producer every write goes to; replaced after a fatal error, under {@link #producerLock}.
   */
  private volatile Producer<String, byte[]> producer;

  /**
   * Guards replacing {@link #producer}, {@link #lastRecreation}, {@link #recreatedBefore}, {@link
   * #closed}, {@link #replacing}, {@link #unreplaced}, {@link #metricsRegistry} and {@link
   * #producerMetrics}; never held while a producer is closed.
   */
  private final Object producerLock = new Object();

  /** {@link #nanoTime} at the last attempt to make a new producer. */
  private long lastRecreation;

  private boolean recreatedBefore;

  /** Set by {@link #close}: no new producer is made after it. */
  private boolean closed;

  /**
   * Whether a producer that failed fatally is being closed and replaced now, on {@link
   * #producerCloser}.
   */
  private boolean replacing;

  /**
   * The producer closed after a fatal error for which no new one could be made, still {@link
   * #producer}: its writes fail as closed, not as fatal, and are what tries again; null when none.
   */
  private Producer<String, byte[]> unreplaced;

  /** Where {@link #bindMetrics} put the producer's client metrics; null when not bound. */
  private MeterRegistry metricsRegistry;

  private KafkaClientMetrics producerMetrics;

  /** Producers made anew after a fatal error. */
  private final AtomicLong recreations = new AtomicLong();

  /**
   * Closes a producer that failed fatally and makes its successor ({@link #replace}), one at a
   * time, off the thread that met the error: a poll's write, a sender or the broken producer's own
   * I/O thread. Its thread stays for the producer's life once started, idle between replacements.
   */
  private final ExecutorService producerCloser =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, CLOSER_THREAD);
            t.setDaemon(true);
            return t;
          });

  /**
   * @param producers makes the producer, once here (its exceptions are thrown as they are), and
   *     once more after each fatal error
   * @param nanoTime the clock for {@link #MIN_RECREATE_INTERVAL}, as {@link System#nanoTime()}
   */
  ReplaceableProducer(Supplier<Producer<String, byte[]>> producers, LongSupplier nanoTime) {
    this.producers = producers;
    this.nanoTime = nanoTime;
    this.producer = producers.get();
  }

  /**
   * @return the producer writes go to now: the broken one until its replacement is in place, or
   *     after {@link #close}; never null
   */
  Producer<String, byte[]> current() {
    return producer;
  }

  /**
   * {@code producer.send}, with a failure it throws at once (the producer closed: {@link
   * IllegalStateException}; a fatal or interrupted send: {@link KafkaException}) reported as one it
   * reports later: to {@code callback} and as a failed future, so that the sink turns every failure
   * into one {@link PollSink.PublishException} and the poll into {@code publish-error}. Such
   * exceptions escaped the poll: its feed's failure went uncounted, with no back-off. A failure,
   * either way, is seen by the replacement of a broken producer before {@code callback}.
   *
   * @param callback as {@code producer.send}'s; may be null
   * @return the record's acknowledgement; failed when it could not be sent
   */
  Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
    Producer<String, byte[]> p = producer;
    // the producer is replaced before the write's failure is reported: by then its poll's retry
    // goes to the new one
    Callback completion =
        (metadata, e) -> {
          if (e != null) {
            replaceIfFatal(p, e);
          }
          if (callback != null) {
            callback.onCompletion(metadata, e);
          }
        };
    try {
      return p.send(record, completion);
    } catch (KafkaException | IllegalStateException e) {
      completion.onCompletion(null, e);
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Whether {@code error}, or an exception it was caused by, is one after which the producer fails
   * every later send ({@link #FATAL_ERRORS}): kafka-clients throws {@code KafkaException("Cannot
   * execute transactional method because we are in an error state")} with the fatal error as its
   * cause, or reports a {@link ProducerFencedException} in the write's future.
   *
   * @param error a write's failure; never null
   * @return true for a fatal producer error
   */
  static boolean isFatal(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
      for (Class<? extends Throwable> fatal : FATAL_ERRORS) {
        if (fatal.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * After a write's failure {@code error} on {@code failed}: when the error is fatal ({@link
   * #isFatal}) or {@code failed} is the producer closed without a new one made ({@link
   * #unreplaced}), {@code failed} is still in use and not being replaced, this is open and the last
   * new producer is at least {@link #MIN_RECREATE_INTERVAL} old: hands {@code failed} to {@link
   * #producerCloser} to be replaced ({@link #replace}) and returns at once. May run on a producer's
   * I/O thread (a callback) or a write's thread: it never waits for a producer.
   */
  private void replaceIfFatal(Producer<String, byte[]> failed, Exception error) {
    boolean fatal = isFatal(error);
    synchronized (producerLock) {
      long now = nanoTime.getAsLong();
      if ((!fatal && failed != unreplaced)
          || closed
          || replacing
          || producer != failed
          || (recreatedBefore && now - lastRecreation < MIN_RECREATE_INTERVAL.toNanos())) {
        return;
      }
      boolean open = failed != unreplaced;
      String cause =
          fatal
              ? ErrorText.describe(error)
              : "it was closed after a fatal error and no new one could be made";
      // handed over under the lock: close() sets closed under it before it shuts the executor
      // down, so this is never refused
      producerCloser.execute(() -> replace(failed, open, cause));
      replacing = true;
      recreatedBefore = true;
      lastRecreation = now;
    }
  }

  /**
   * On {@link #producerCloser}: closes {@code failed} when {@code open} ({@link #closeBroken}),
   * then, unless this was closed meanwhile, makes a new producer, binds its client metrics where
   * the old one's were and logs one WARN. A new producer that cannot be made (its constructor
   * throws) is logged at WARN, {@code failed} stays in use as {@link #unreplaced}, and it is tried
   * again at a write after the interval. The close runs outside {@link #producerLock}: the
   * callbacks it completes come back to {@link #replaceIfFatal}.
   *
   * @param cause the error, as the WARN says it
   */
  private void replace(Producer<String, byte[]> failed, boolean open, String cause) {
    if (open) {
      closeBroken(failed);
    }
    long n;
    synchronized (producerLock) {
      replacing = false;
      if (closed) {
        return; // close() closes what is left
      }
      Producer<String, byte[]> fresh;
      try {
        fresh = producers.get();
      } catch (RuntimeException e) {
        unreplaced = failed;
        LOG.warn(
            "Kafka producer failed fatally: {}; closed it, but a new one could not be made: {}"
                + " (tried again at a write at least {} from now; until then every write fails)",
            cause,
            ErrorText.describe(e),
            Durations.format(MIN_RECREATE_INTERVAL));
        return;
      }
      producer = fresh;
      unreplaced = null;
      n = recreations.incrementAndGet();
      if (producerMetrics != null) {
        producerMetrics.close();
        producerMetrics = new KafkaClientMetrics(fresh);
        producerMetrics.bindTo(metricsRegistry);
      }
    }
    LOG.warn(
        "Kafka producer failed fatally: {}; closed it and writing through a new one made from"
            + " the same settings ({} made since start, at most one every {}); the polls whose"
            + " writes failed are retried as publish-error",
        cause,
        n,
        Durations.format(MIN_RECREATE_INTERVAL));
  }

  /**
   * Closes a producer that failed fatally, at once: its batches are aborted (they fail anyway). Run
   * on {@link #producerCloser}, never on a write's thread: {@code KafkaProducer.close(Duration)}
   * (kafka-clients 4.x, read in 4.3.2), called off the producer's I/O thread, skips the graceful
   * wait for a zero timeout but, the I/O thread still alive, force-closes the sender and then joins
   * the I/O thread with no timeout. That thread ends only once it is back in its loop, and it may
   * be where a wake-up does not reach: resolving a broker's host name (the network client resolves
   * it on that thread, a blocking {@code InetAddress} lookup that can take the resolver's
   * timeouts), or completing the aborted writes' callbacks, ours among them. On the thread of a
   * poll's write the poll waited for that join until its deadline.
   */
  private static void closeBroken(Producer<String, byte[]> broken) {
    try {
      broken.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.warn("closing the Kafka producer that failed fatally: {}", ErrorText.describe(e));
    }
  }

  /**
   * Binds the producer's client metrics (Micrometer's {@link KafkaClientMetrics}, names {@code
   * kafka.producer.*}; those of each new producer after a fatal error in place of the old one's)
   * and {@code wire.poller.producer.recreations}: producers made anew after a fatal error (a
   * counter, from 0, no tags). Call once.
   *
   * @param registry where the meters go; never null
   * @return removes the meters (call before {@link #close})
   */
  AutoCloseable bindMetrics(MeterRegistry registry) {
    FunctionCounter recreated =
        FunctionCounter.builder("wire.poller.producer.recreations", recreations, AtomicLong::get)
            .description("Kafka producers made anew after the one in use failed fatally")
            .register(registry);
    synchronized (producerLock) {
      metricsRegistry = registry;
      producerMetrics = new KafkaClientMetrics(producer);
      producerMetrics.bindTo(registry);
    }
    return () -> {
      synchronized (producerLock) {
        if (producerMetrics != null) {
          producerMetrics.close();
        }
        producerMetrics = null;
        metricsRegistry = null;
      }
      registry.remove(recreated);
    };
  }

  /**
   * Lets a replacement of a producer that failed fatally end (its close; no new producer is made
   * once closing), then flushes and closes the producer, by {@code deadline}: a broken producer
   * whose close has not ended by then is left to close on its daemon thread, logged at WARN.
   *
   * @param deadline {@link System#nanoTime()} by which to be done
   * @param closeTimeout the sink's whole wait for its close, as the WARN names it
   */
  void close(long deadline, Duration closeTimeout) {
    Producer<String, byte[]> last;
    synchronized (producerLock) {
      closed = true;
      // a producer being replaced is closed by the replacement, or was closed before
      last = replacing ? null : producer;
    }
    producerCloser.shutdown();
    try {
      if (!producerCloser.awaitTermination(
          Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        LOG.warn(
            "the Kafka producer that failed fatally did not close within {}s of closing; left"
                + " closing in the background",
            closeTimeout.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (last != null) {
      last.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
  }
}
