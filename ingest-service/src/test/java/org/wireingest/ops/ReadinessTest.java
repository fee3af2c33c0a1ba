package org.wireingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.wireingest.testing.Await;

class ReadinessTest {

  /**
   * During a broker outage each run of the Kafka probes takes about 2 s; every request ran them
   * again, so a few status pages open at once held every thread of the ops server for seconds.
   */
  @Test
  void shouldRunTheProbesOnceForRequestsThatComeWhileTheyRun() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    Readiness readiness = new Readiness();
    readiness.use(
        List.of(
            Readiness.Probe.of(
                "broker",
                () -> {
                  runs.incrementAndGet();
                  try {
                    release.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return new Readiness.Check("broker", false, "unreachable");
                })));
    List<Thread> requests = new CopyOnWriteArrayList<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r);
              requests.add(t);
              return t;
            });
    try {
      List<Future<Readiness.Report>> reports = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        reports.add(pool.submit(readiness::check));
      }
      // Every request in: one runs the probe, the seven others wait for its report. A request
      // that came after the report (a guessed 300 ms was all they had) and past its reuse would
      // run the probe again.
      Await.until(
          "one run under way and seven requests waiting for it",
          Duration.ofSeconds(30),
          () ->
              runs.get() == 1
                  && requests.stream().filter(t -> t.getState() == Thread.State.WAITING).count()
                      == 7);
      release.countDown();
      for (Future<Readiness.Report> r : reports) {
        assertThat(r.get(10, TimeUnit.SECONDS).checks())
            .containsExactly(new Readiness.Check("broker", false, "unreachable"));
      }
      assertThat(runs).hasValue(1);
      readiness.check();
      assertThat(runs).as("a report of the last second is reused").hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldRunTheProbesAgainOnceTheReportIsOlderThanASecond() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Readiness readiness = new Readiness();
    readiness.use(
        List.of(
            Readiness.Probe.of(
                "broker",
                () -> new Readiness.Check("broker", runs.incrementAndGet() > 1, "run " + runs))));

    assertThat(readiness.check().up()).isFalse();
    Thread.sleep(Readiness.REUSE.toMillis() + 100);

    assertThat(readiness.check().up()).isTrue();
    assertThat(runs).hasValue(2);
  }

  @Test
  void shouldUseNewProbesAtOnce() {
    Readiness readiness = new Readiness();
    assertThat(readiness.check().checks().get(0).name()).isEqualTo(Readiness.STARTUP);

    readiness.use(
        List.of(Readiness.Probe.of("broker", () -> new Readiness.Check("broker", true, "1"))));

    assertThat(readiness.check().up()).isTrue();
  }
}
