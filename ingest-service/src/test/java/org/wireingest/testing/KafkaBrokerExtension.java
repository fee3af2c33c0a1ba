package org.wireingest.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Gives a test class one real Kafka broker, started before its first test and stopped after its
 * last one:
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... Producer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", KAFKA.bootstrapServers()), ...);
 * }</pre>
 *
 * <p>The field must be {@code static} (one broker per class). Which broker, by the system property
 * {@value #MODE_PROPERTY}:
 *
 * <ul>
 *   <li>{@code auto} (default) – Testcontainers' Kafka ({@code apache/kafka} of the clients' Kafka
 *       version) when a Docker engine answers, else the in-JVM KRaft test kit. Machines without any
 *       Docker endpoint are recognised without asking Testcontainers, so the check costs nothing
 *       there.
 *   <li>{@code testcontainers} – always Testcontainers (fails without Docker).
 *   <li>{@code kraft} – always the in-JVM KRaft test kit ({@code KafkaClusterTestKit}, 1 combined
 *       broker+controller node, about 3 s to start).
 * </ul>
 *
 * <p>Topics are not auto-created: create them, e.g. with {@code TopicAdmin.ensureTopics}, using
 * names unique to the test when tests of one class must not see each other's records.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  /** System property choosing the broker: {@code auto}, {@code testcontainers} or {@code kraft}. */
  public static final String MODE_PROPERTY = "kafka.tests";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);

  private TestBroker broker;
  private String ownerId;
  private Admin admin;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (broker != null) {
      return; // a @Nested class: keep the enclosing class's broker
    }
    long startedAt = System.nanoTime();
    broker = useContainers() ? ContainerTestBroker.start() : KraftTestBroker.start();
    ownerId = context.getUniqueId();
    LOG.info(
        "Kafka for {}: {} at {}, started in {} ms",
        context.getDisplayName(),
        broker.description(),
        broker.bootstrapServers(),
        Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker == null || !context.getUniqueId().equals(ownerId)) {
      return;
    }
    try {
      if (admin != null) {
        admin.close(Duration.ofSeconds(5));
      }
    } finally {
      admin = null;
      TestBroker stopping = broker;
      broker = null;
      stopping.close();
    }
  }

  /**
   * @return the broker's {@code host:port[,host:port...]}
   * @throws IllegalStateException outside the test class's lifecycle (e.g. a non-static field)
   */
  public String bootstrapServers() {
    return running().bootstrapServers();
  }

  /**
   * @return {@code bootstrap.servers} only, as a starting point for client configs; unmodifiable
   */
  public Map<String, Object> clientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /**
   * @return an admin client of the broker, shared by the class's tests and closed after them
   */
  public synchronized Admin admin() {
    running();
    if (admin == null) {
      admin = Admin.create(clientProperties());
    }
    return admin;
  }

  /**
   * Sets a cluster-wide broker default (a dynamic config of the broker resource {@code ""}), or
   * removes it, and waits until the broker reports the value then in force: the brokers apply it a
   * moment after the controller accepted it, and a topic created meanwhile would get the old one.
   *
   * @param name the broker config, e.g. {@code message.max.bytes}
   * @param value its value; null to remove the default set before (back to the static config)
   * @throws Exception when the change fails, or the broker does not report it within 30 s
   */
  public void setClusterDefault(String name, String value) throws Exception {
    AlterConfigOp op =
        value == null
            ? new AlterConfigOp(new ConfigEntry(name, ""), AlterConfigOp.OpType.DELETE)
            : new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
    admin().incrementalAlterConfigs(Map.of(clusterDefault, List.of(op))).all().get();
    ConfigResource broker =
        new ConfigResource(
            ConfigResource.Type.BROKER,
            admin().describeCluster().nodes().get().iterator().next().idString());
    Await.until(
        "the broker reports "
            + name
            + (value == null ? " without its cluster default" : "=" + value),
        Duration.ofSeconds(30),
        () -> {
          ConfigEntry entry;
          try {
            entry = admin().describeConfigs(List.of(broker)).all().get().get(broker).get(name);
          } catch (ExecutionException e) {
            throw new IllegalStateException("could not describe broker " + broker.name(), e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          return value == null
              ? entry.source() != ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG
              : value.equals(entry.value());
        });
  }

  private TestBroker running() {
    if (broker == null) {
      throw new IllegalStateException(
          "no Kafka broker: register KafkaBrokerExtension on a static field with @RegisterExtension");
    }
    return broker;
  }

  private static boolean useContainers() {
    String mode = System.getProperty(MODE_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "auto", "" ->
          dockerEndpointHinted() && DockerClientFactory.instance().isDockerAvailable();
      case "testcontainers" -> true;
      case "kraft" -> false;
      default ->
          throw new IllegalArgumentException(
              "-D" + MODE_PROPERTY + "=" + mode + " is not one of auto, testcontainers, kraft");
    };
  }

  /**
   * Whether anything points at a Docker engine: {@code DOCKER_HOST}, a Testcontainers config, or a
   * known socket. Without any, Testcontainers' own probe would only fail, slowly and loudly.
   */
  private static boolean dockerEndpointHinted() {
    if (System.getenv("DOCKER_HOST") != null
        || System.getProperty("os.name", "").startsWith("Windows")) {
      return true;
    }
    Path home = Path.of(System.getProperty("user.home"));
    String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
    return Stream.of(
            home.resolve(".testcontainers.properties"),
            Path.of("/var/run/docker.sock"),
            home.resolve(".docker/run/docker.sock"),
            home.resolve(".docker/desktop/docker.sock"),
            home.resolve(".colima/default/docker.sock"),
            Path.of(runtimeDir == null ? "/nonexistent" : runtimeDir, "docker.sock"))
        .anyMatch(Files::exists);
  }
}
