package org.wireingest.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The process's meter registry: Prometheus, with the JVM and process binders. */
public final class OpsRegistry {

  private OpsRegistry() {}

  /**
   * Tag of the Kafka Streams state metrics of an in-memory store (Kafka's {@code
   * in-memory-state-id}, as Micrometer's Kafka binder names it).
   */
  static final String IN_MEMORY_STATE_ID = "in.memory.state.id";

  /**
   * A new Prometheus registry (Micrometer's Prometheus naming: dots to underscores, {@code _total},
   * {@code _seconds}, ...), which leaves out the Kafka Streams state metrics of in-memory stores:
   * the normalizer's only one is the story-signatures global store, empty by design, and its
   * metrics have the names of the version store's RocksDB metrics with another tag ({@code
   * in_memory_state_id} for {@code rocksdb_state_id}). Prometheus takes one set of tags per name,
   * so whichever registered second was dropped, often the version store's latency and rate series.
   *
   * @return the registry
   */
  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(
            MeterFilter.deny(
                id ->
                    id.getName().startsWith("kafka.stream.state.")
                        && id.getTag(IN_MEMORY_STATE_ID) != null));
    return registry;
  }

  /**
   * Binds the JVM metrics — memory pools and buffers, GC pauses, threads, class loading — and the
   * process's CPU, uptime and open file descriptors ({@code jvm.*}, {@code process.*}, {@code
   * system.*}).
   *
   * @param registry where the meters go
   * @return closes the GC binder's notification listener
   */
  public static AutoCloseable bindJvm(MeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return gc::close;
  }
}
