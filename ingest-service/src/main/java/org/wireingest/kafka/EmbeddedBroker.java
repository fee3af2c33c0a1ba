package org.wireingest.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wireingest.config.Durations;
import org.wireingest.logging.LogLevels;
import org.wireingest.model.ErrorText;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one node) running inside
 * this JVM, for the one-command laptop setup: used when no bootstrap servers are given.
 *
 * <p>Layout of the data dir:
 *
 * <ul>
 *   <li>{@code .lock} – held (OS file lock) while a broker runs on the directory, so a second
 *       process gets a clear refusal instead of corrupting the logs; it holds the owner's pid.
 *   <li>{@code kafka/} – Kafka's log dir (also the KRaft metadata log dir), formatted on the first
 *       start only, so a later start on the same directory finds the same topics and records.
 *   <li>{@code broker.address} – the bootstrap address ({@code 127.0.0.1:<port>}) of the running
 *       broker, for information; removed on {@link #close()}.
 *   <li>{@code .use.lock} – held shared ({@link DirectoryUseLock}) by every process using the data
 *       dir, the broker's included, so that a failed start of another removes nothing from under
 *       it.
 * </ul>
 *
 * <p>The broker listens on loopback only, on free ports chosen at each start (so the address
 * changes between starts). Topics are never auto-created ({@code auto.create.topics.enable=false});
 * new topics default to 3 partitions; internal topics use replication factor 1.
 *
 * <p>Thread-safe: {@link #close()} may be called from a shutdown hook.
 */
public final class EmbeddedBroker implements AutoCloseable {

  /** How long {@link #start(Path)} waits for the broker to answer: 60 s. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);

  /** Name of the lock file inside the data dir. */
  public static final String LOCK_FILE = ".lock";

  /**
   * Name of the data dir's use lock file ({@link DirectoryUseLock}), held shared by every process
   * using the data dir.
   */
  public static final String USE_LOCK_FILE = ".use.lock";

  /** Name of the file, inside the data dir, holding the running broker's bootstrap address. */
  public static final String ADDRESS_FILE = "broker.address";

  /** Name of Kafka's log dir inside the data dir. */
  public static final String LOG_DIR = "kafka";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String LOOPBACK = "127.0.0.1";
  private static final long READY_POLL_MS = 50;

  /**
   * The log cleaner's dedupe buffer ({@code log.cleaner.dedupe.buffer.size}): {@value} bytes (16
   * MiB), where Kafka's default is 128 MiB. Kafka allocates it on the heap when the broker starts
   * and keeps it for good, so in this JVM it took 128 MiB of the poller's heap before any poll (a
   * 460 MiB poller heap had about 250 MiB left for its polls). 16 MiB holds some 700,000 keys (24
   * bytes each) per cleaning pass of the compacted topics (feed states, articles, consumer
   * offsets); more are cleaned in further passes.
   */
  static final long LOG_CLEANER_DEDUPE_BUFFER_BYTES = 16L * 1024 * 1024;

  private final Path dataDir;
  private final String bootstrapServers;
  private final KafkaRaftServer server;
  private final DirectoryLock lock;
  private final DirectoryUseLock use;
  private boolean closed;

  private EmbeddedBroker(
      Path dataDir,
      String bootstrapServers,
      KafkaRaftServer server,
      DirectoryLock lock,
      DirectoryUseLock use) {
    this.dataDir = dataDir;
    this.bootstrapServers = bootstrapServers;
    this.server = server;
    this.lock = lock;
    this.use = use;
  }

  /**
   * Starts a broker on {@code dataDir} and waits (at most {@link #DEFAULT_READY_TIMEOUT}) until it
   * answers clients.
   *
   * @param dataDir the data dir; created when missing; never null
   * @return the running broker; close it to stop it
   * @throws KafkaSetupException when the data dir is in use by another broker, is not a writable
   *     directory, or the broker fails to start or to become ready in time
   */
  public static EmbeddedBroker start(Path dataDir) {
    return start(dataDir, DEFAULT_READY_TIMEOUT);
  }

  /**
   * Starts a broker on {@code dataDir} and waits until it answers clients.
   *
   * @param dataDir the data dir; created when missing; never null
   * @param readyTimeout how long to wait for the broker to answer a cluster description; positive
   * @return the running broker; close it to stop it
   * @throws KafkaSetupException when the data dir is in use by another broker, is not a writable
   *     directory, or the broker fails to start or to become ready within {@code readyTimeout}
   */
  public static EmbeddedBroker start(Path dataDir, Duration readyTimeout) {
    Objects.requireNonNull(dataDir, "dataDir");
    if (readyTimeout.isNegative() || readyTimeout.isZero()) {
      throw new IllegalArgumentException("readyTimeout must be positive: " + readyTimeout);
    }
    long startedAt = System.nanoTime();
    Path dir = dataDir.toAbsolutePath().normalize();
    DirectoryUseLock use = useDataDir(dir);
    DirectoryLock lock;
    try {
      lock = lockDataDir(dir);
    } catch (RuntimeException e) {
      closeQuietly(use);
      throw e;
    }
    KafkaRaftServer server = null;
    boolean ready = false;
    try {
      Path logDir = dir.resolve(LOG_DIR);
      createDirectory(logDir, dir);
      formatIfNew(logDir);
      int[] ports = freeLoopbackPorts(2);
      String bootstrap = LOOPBACK + ":" + ports[0];
      server =
          new KafkaRaftServer(
              new KafkaConfig(brokerConfig(logDir, ports[0], ports[1]), false), Time.SYSTEM);
      server.startup();
      awaitReady(bootstrap, readyTimeout, dir);
      writeAddressFile(dir, bootstrap);
      LOG.info(
          "Embedded Kafka broker ready at {} in {} ms (data dir {})",
          bootstrap,
          Duration.ofNanos(System.nanoTime() - startedAt).toMillis(),
          dir);
      EmbeddedBroker broker = new EmbeddedBroker(dir, bootstrap, server, lock, use);
      ready = true;
      return broker;
    } catch (KafkaSetupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KafkaSetupException(
          "could not start the embedded Kafka broker in " + dir + ": " + ErrorText.describe(e), e);
    } finally {
      if (!ready) {
        try {
          stop(server);
        } catch (RuntimeException e) {
          LOG.debug("Ignored failure stopping a broker that did not start: {}", e.toString());
        } finally {
          lock.close();
          closeQuietly(use);
        }
      }
    }
  }

  /**
   * @return the broker's bootstrap address, {@code 127.0.0.1:<port>}; never null
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * @return the absolute data dir this broker runs on; never null
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Shuts the broker down, waits until it has stopped, removes the address file and releases the
   * data dir lock. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop(server);
      Files.deleteIfExists(dataDir.resolve(ADDRESS_FILE));
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}", dataDir.resolve(ADDRESS_FILE), e.toString());
    } finally {
      lock.close();
      closeQuietly(use);
    }
    LOG.info("Embedded Kafka broker stopped (data dir {})", dataDir);
  }

  @Override
  public String toString() {
    return "EmbeddedBroker[" + bootstrapServers + ", dataDir=" + dataDir + "]";
  }

  private static Map<String, String> brokerConfig(Path logDir, int port, int controllerPort) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", Integer.toString(NODE_ID));
    config.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
    config.put("controller.listener.names", CONTROLLER_LISTENER);
    config.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + LOOPBACK
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + LOOPBACK
            + ":"
            + controllerPort);
    config.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + port);
    config.put("inter.broker.listener.name", BROKER_LISTENER);
    config.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    config.put("log.dirs", logDir.toString());
    config.put("num.partitions", "3");
    config.put("auto.create.topics.enable", "false");
    config.put("offsets.topic.replication.factor", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    config.put("group.initial.rebalance.delay.ms", "0");
    config.put("log.cleaner.dedupe.buffer.size", Long.toString(LOG_CLEANER_DEDUPE_BUFFER_BYTES));
    return config;
  }

  /**
   * @param dataDir a data dir; never null
   * @return whether an embedded broker has run there: its log dir ({@value #LOG_DIR}) is formatted
   */
  public static boolean hasLog(Path dataDir) {
    return Files.exists(dataDir.resolve(LOG_DIR).resolve(META_PROPERTIES));
  }

  /** The file Kafka's storage format writes in a formatted log dir. */
  private static final String META_PROPERTIES = "meta.properties";

  /** Formats Kafka's log dir (KRaft metadata included) unless an earlier start already did. */
  private static void formatIfNew(Path logDir) {
    if (Files.exists(logDir.resolve(META_PROPERTIES))) {
      return;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(printStream)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .addDirectory(logDir.toString())
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .run();
    } catch (Exception e) {
      throw new KafkaSetupException(
          "could not format the Kafka log dir " + logDir + ": " + ErrorText.describe(e), e);
    }
    LOG.debug("Formatted {}: {}", logDir, output.toString(StandardCharsets.UTF_8).trim());
  }

  /** Waits until the broker describes a cluster with at least one (unfenced) broker in it. */
  private static void awaitReady(String bootstrap, Duration timeout, Path dir) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> props =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "wire-ingest-embedded-readiness");
    try (Admin admin = Admin.create(props)) {
      while (true) {
        long remainingMs = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (remainingMs <= 0) {
          throw new KafkaSetupException(
              String.format(
                  Locale.ROOT,
                  "the embedded Kafka broker in %s did not become ready at %s within %s",
                  dir,
                  bootstrap,
                  Durations.format(timeout)));
        }
        DescribeClusterOptions options =
            new DescribeClusterOptions().timeoutMs((int) Math.min(remainingMs, Integer.MAX_VALUE));
        try {
          Collection<Node> nodes = admin.describeCluster(options).nodes().get();
          if (!nodes.isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          LOG.debug("Embedded broker at {} not ready yet: {}", bootstrap, e.getCause().toString());
        }
        Thread.sleep(READY_POLL_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSetupException(
          "interrupted while waiting for the embedded Kafka broker in " + dir, e);
    }
  }

  /**
   * The group coordinator's logger. A broker stopped while it still loads {@code
   * __consumer_offsets} (a command that ends within seconds of starting on a data dir with consumer
   * groups, such as {@code tail} of a missing topic) logs an ERROR with a stack trace per partition
   * it had not loaded yet ("Failed to load metadata from __consumer_offsets-N ...
   * NotLeaderOrFollowerException", "Execution of CompleteLoad(...) failed due to EventProcessor is
   * closed"): up to 50, about loads the shutdown itself aborts. Muted while the broker stops.
   */
  static final String COORDINATOR_RUNTIME_LOGGER =
      "org.apache.kafka.coordinator.common.runtime.CoordinatorRuntime";

  private static void stop(KafkaRaftServer server) {
    if (server != null) {
      LogLevels.during(
          COORDINATOR_RUNTIME_LOGGER,
          ch.qos.logback.classic.Level.OFF,
          () -> {
            server.shutdown();
            server.awaitShutdown();
            return null;
          });
    }
  }

  private static void createDirectory(Path directory, Path dataDir) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw notWritable(dataDir, e);
    }
  }

  private static void writeAddressFile(Path dataDir, String bootstrap) {
    try {
      Files.writeString(dataDir.resolve(ADDRESS_FILE), bootstrap + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw notWritable(dataDir, e);
    }
  }

  private static KafkaSetupException notWritable(Path dataDir, IOException e) {
    // A file where the directory goes says it all; its IOException would add another reason.
    return new KafkaSetupException(notWritableReason(dataDir, e), isFile(dataDir) ? null : e);
  }

  private static boolean isFile(Path dataDir) {
    return Files.exists(dataDir) && !Files.isDirectory(dataDir);
  }

  /**
   * Why a data dir could not be used, in one line: {@code data dir DIR is not a writable directory:
   * it is a file; choose another --data-dir} when a file is where the directory goes (the failure's
   * "Not a directory" would send the reader to the permissions), else the failure and {@code fix
   * its permissions or choose another --data-dir}.
   *
   * @param dataDir the data dir; never null
   * @param e the failure to create or write in it; never null
   * @return the reason, without a {@code cannot start: } prefix
   */
  public static String notWritableReason(Path dataDir, IOException e) {
    if (isFile(dataDir)) {
      return "data dir "
          + dataDir
          + " is not a writable directory: it is a file; choose another --data-dir";
    }
    return "data dir "
        + dataDir
        + " is not a writable directory ("
        + e
        + "); fix its permissions or choose another --data-dir";
  }

  /** Distinct free loopback ports, found by binding them all at once and then letting them go. */
  private static int[] freeLoopbackPorts(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        closeQuietly(socket);
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    DirectoryLock.closeQuietly(closeable, LOG);
  }

  /**
   * Checks, starting nothing, that no other process holds the data dir's lock, so that a command
   * refuses a data dir in use before it starts anything else (its ops HTTP server, which it
   * announces): takes the lock and releases it at once; {@link #start} takes it again to keep.
   *
   * @param dataDir the data dir; created when missing; never null
   * @throws KafkaSetupException as {@link #start} does when the data dir is in use by another
   *     process or is not a writable directory
   */
  public static void checkNotInUse(Path dataDir) {
    lockDataDir(Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize()).close();
  }

  /**
   * Takes the data dir's use lock shared ({@value #USE_LOCK_FILE}), creating the data dir when
   * missing; again when another process's failed start removed the data dir meanwhile.
   *
   * @return the held lock; null when the data dir cannot be created or written, which {@link
   *     #lockDataDir} then reports
   * @throws KafkaSetupException when something that is no regular file (a directory, a symbolic
   *     link, a FIFO) is where the use lock file goes
   */
  private static DirectoryUseLock useDataDir(Path dataDir) {
    while (true) {
      try {
        Files.createDirectories(dataDir);
        Optional<DirectoryUseLock> use =
            DirectoryUseLock.acquireShared(dataDir.resolve(USE_LOCK_FILE));
        if (use.isPresent()) {
          return use.get();
        }
      } catch (DirectoryUseLock.NotALockFileException e) {
        throw new KafkaSetupException(e.getMessage()); // it names the path and what to do
      } catch (IOException e) {
        LOG.debug("No use lock on {}: {}", dataDir, e.toString());
        return null;
      }
    }
  }

  /**
   * Takes the lock on {@code <dataDir>/.lock}: one broker per data dir, across processes and in
   * this JVM.
   *
   * @throws KafkaSetupException when another process holds it (naming its pid and, when it runs a
   *     broker, its address) or the data dir is not a writable directory
   */
  private static DirectoryLock lockDataDir(Path dataDir) {
    Path lockFile = dataDir.resolve(LOCK_FILE);
    Optional<DirectoryLock> lock;
    try {
      lock = DirectoryLock.tryAcquire(lockFile);
    } catch (DirectoryUseLock.NotALockFileException e) {
      throw new KafkaSetupException(e.getMessage()); // it names the path and what to do
    } catch (IOException e) {
      throw notWritable(dataDir, e);
    }
    return lock.orElseThrow(
        () ->
            new KafkaSetupException(
                "data dir "
                    + dataDir
                    + " is in use by another wire-ingest process ("
                    + DirectoryLock.describeHolder(lockFile)
                    + "); stop it or choose another --data-dir"
                    + runningBrokerHint(dataDir)));
  }

  /**
   * @return how to reach the broker that process runs ({@value #ADDRESS_FILE}), or "" when it runs
   *     none
   */
  private static String runningBrokerHint(Path dataDir) {
    try {
      String address =
          Files.readString(dataDir.resolve(ADDRESS_FILE), StandardCharsets.UTF_8).strip();
      return address.isEmpty()
          ? ""
          : "; to read or write its topics meanwhile, use --bootstrap-servers " + address;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
