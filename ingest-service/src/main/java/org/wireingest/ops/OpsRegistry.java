package org.wireingest.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The process's meter registry: Prometheus, with the JVM and process binders. */
public final class OpsRegistry {

  private OpsRegistry() {}

  /** @return a new Prometheus registry (Micrometer's Prometheus naming: dots to underscores, {@code _total}, {@code _seconds}, ...) */
  public static PrometheusMeterRegistry prometheus() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Binds the JVM metrics — memory pools and buffers, GC pauses, threads, class loading — and
   * the process's CPU, uptime and open file descriptors ({@code jvm.*}, {@code process.*}, {@code system.*}).
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
