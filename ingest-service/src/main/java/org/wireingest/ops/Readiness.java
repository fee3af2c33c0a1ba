package org.wireingest.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.wireingest.model.ErrorText;

/**
 * The readiness of the process for {@code GET /health/ready} (a Kubernetes readiness probe): ready
 * when every {@link Probe} says up. Until the pipeline is wired ({@link #use}), the one probe
 * {@link #STARTUP} is down. Probes run one after the other; each must bound its own time (about a
 * second) and may throw, which counts as down under the probe's name, the exception described
 * ({@link ErrorText#describe}). Requests that come while the probes run wait for that run's report,
 * and a report is reused for {@link #REUSE} after it was made: however many probes and status pages
 * ask during a broker outage, the probes run about once a second and each request waits for at most
 * one run, so the ops server's few threads are not all held by Kafka calls while {@code
 * /health/live} and {@code /metrics} wait behind them. The check names are those of {@code
 * /health/ready}'s JSON, the status page's "Not ready" banner and the README. Thread-safe.
 */
public final class Readiness {

  /**
   * The result of one probe.
   *
   * @param name what was checked: {@link #STARTUP}, {@link #BROKER}, {@link #TOPICS}, {@link
   *     #NORMALIZER} or {@link #POLLER_GROUP}
   * @param up whether it passed
   * @param detail one line for an operator: what was found, or why it failed; never null
   */
  public record Check(String name, boolean up, String detail) {
    public Check {
      Objects.requireNonNull(name);
      detail = detail == null ? "" : detail;
    }
  }

  /**
   * All checks of one request.
   *
   * @param up true when every check is up
   * @param checks the checks, in probe order
   */
  public record Report(boolean up, List<Check> checks) {
    public Report {
      checks = List.copyOf(checks);
    }

    /**
     * @param checks the checks, in probe order; may be empty (up)
     * @return the report of {@code checks}, up when every one is
     */
    public static Report of(List<Check> checks) {
      return new Report(checks.stream().allMatch(Check::up), checks);
    }
  }

  /** Check {@code startup}: down until the pipeline is wired ({@link #use}), the one check then. */
  public static final String STARTUP = "startup";

  /** Check {@code broker}: the Kafka cluster answers ({@link KafkaProbes#broker}). */
  public static final String BROKER = "broker";

  /**
   * Check {@code topics}: the service's topics exist with the partition count and cleanup policy it
   * creates them with ({@link KafkaProbes#topics}); its detail also names a topic whose {@code
   * max.message.bytes} is below the largest records the service writes to it, without going down.
   */
  public static final String TOPICS = "topics";

  /**
   * Check {@code normalizer}: the normalizer's Kafka Streams client runs ({@link
   * KafkaProbes#streams}; in {@code /health/live}, {@link NormalizerStatus#liveness}).
   */
  public static final String NORMALIZER = "normalizer";

  /**
   * Check {@code poller-group}: a continuous poller has joined its consumer group, {@code
   * --poller-group} ({@link KafkaProbes#pollerGroup}).
   */
  public static final String POLLER_GROUP = "poller-group";

  /** One readiness probe: a check, under a name that says what it checks. */
  public interface Probe {
    /**
     * @return the name of its check, e.g. {@link #BROKER}: what is checked, in the terms of the
     *     field; never null, the same at every call. A check that throws is reported under it
     */
    String name();

    /**
     * @return the check's result, named {@link #name()}; bounded in time
     * @throws RuntimeException counted as down, under {@link #name()}, the exception described
     */
    Check check();

    /**
     * @param name the name of the check, e.g. {@link #BROKER}; never null
     * @param check makes the check, named {@code name}; may throw (see {@link Probe#check})
     * @return the probe
     */
    static Probe of(String name, Supplier<Check> check) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(check, "check");
      return new Probe() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public Check check() {
          return check.get();
        }
      };
    }
  }

  /** How long a report is reused after its probes ran: 1 s. */
  public static final Duration REUSE = Duration.ofSeconds(1);

  private volatile List<Probe> probes =
      List.of(
          Probe.of(
              STARTUP,
              () -> new Check(STARTUP, false, "starting: the pipeline is not running yet")));

  private final Object lock = new Object();

  /** The run under way, which later requests wait for; null when none runs. Under {@link #lock}. */
  private CompletableFuture<Report> running;

  /** The last report, or null after {@link #use}. Under {@link #lock}. */
  private Report last;

  /** {@link System#nanoTime} when {@link #last} was made. Under {@link #lock}. */
  private long lastAt;

  /**
   * Replaces the probes (once the pipeline is wired).
   *
   * @param probes the probes; at least one
   * @throws IllegalArgumentException when empty
   */
  public void use(List<Probe> probes) {
    if (probes.isEmpty()) {
      throw new IllegalArgumentException("readiness needs at least one probe");
    }
    synchronized (lock) {
      this.probes = List.copyOf(probes);
      last = null;
      running = null;
    }
  }

  /**
   * @return the result of every probe: of a run made in the last {@link #REUSE}, of the run under
   *     way, or of a run made now
   */
  public Report check() {
    CompletableFuture<Report> run;
    List<Probe> mine = null;
    synchronized (lock) {
      if (last != null && System.nanoTime() - lastAt < REUSE.toNanos()) {
        return last;
      }
      if (running == null) {
        running = new CompletableFuture<>();
        mine = probes;
      }
      run = running;
    }
    if (mine == null) {
      return run.join();
    }
    try {
      Report report = runProbes(mine);
      synchronized (lock) {
        if (running == run) {
          last = report;
          lastAt = System.nanoTime();
          running = null;
        }
      }
      run.complete(report);
      return report;
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        if (running == run) {
          running = null;
        }
      }
      run.completeExceptionally(e);
      throw e;
    }
  }

  private static Report runProbes(List<Probe> probes) {
    List<Check> checks = new ArrayList<>();
    for (Probe p : probes) {
      Check c;
      try {
        c = p.check();
      } catch (RuntimeException e) {
        c = new Check(p.name(), false, ErrorText.describe(e));
      }
      checks.add(c);
    }
    return Report.of(checks);
  }
}
