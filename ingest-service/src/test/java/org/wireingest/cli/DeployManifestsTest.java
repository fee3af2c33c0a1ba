package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.wireingest.config.FeedsConfig;
import org.wireingest.kafka.TopicSpec;
import org.wireingest.kafka.Topics;
import org.wireingest.ops.FeedBoard;
import org.wireingest.ops.OpsRegistry;
import org.wireingest.ops.OpsServer;
import org.wireingest.ops.Readiness;
import org.wireingest.poll.FeedAssignment;

/**
 * The deployment files under {@code deploy/} (compose, Kubernetes, the Dockerfile) cannot be run on
 * the development machines (no Docker engine, no Kubernetes): these tests parse them and check
 * every reference they make to the service against the service itself — image names, command lines
 * (every flag exists), ports, probe paths, topic names and settings, the feeds list.
 */
class DeployManifestsTest {

  static final Path DEPLOY =
      Path.of(System.getProperty("deploy.dir", "../deploy")).toAbsolutePath().normalize();
  static final Path ROOT = DEPLOY.getParent();
  static final ObjectMapper YAML = new YAMLMapper();
  static final String LIVE = "/health/live";
  static final String READY = "/health/ready";

  // ---- compose

  @Test
  void shouldRunTheKafkaImageOfTheKafkaVersionTheServiceUses() throws IOException {
    assertThat(compose().at("/services/kafka/image").asText())
        .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
  }

  @Test
  void shouldRunTheServiceImageOfThisVersionEverywhere() throws IOException {
    String image = "wire-ingest:" + projectVersion().replace("-SNAPSHOT", "");
    assertThat(serviceContainers())
        .allSatisfy((where, c) -> assertThat(c.image()).as(where).isEqualTo(image));
    assertThat(compose().at("/services/poller/build/context").asText()).isEqualTo("../..");
    assertThat(ROOT.resolve("Dockerfile")).exists();
  }

  // Found in a test: the root POM lists the benchmarks module, which the image build did not
  // copy, so Maven refused the whole reactor ("Child module /src/benchmarks of /src/pom.xml does
  // not exist") and docker build (and compose up --build) failed at the package step.
  @Test
  void shouldCopyThePomOfEveryModuleIntoTheImageBuild() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    List<String> copied = new ArrayList<>();
    Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+) ").matcher(dockerfile);
    while (copy.find()) {
      copied.add(copy.group(1));
    }
    Matcher module =
        Pattern.compile("<module>([^<]+)</module>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    List<String> modules = new ArrayList<>();
    while (module.find()) {
      modules.add(module.group(1));
    }

    assertThat(modules).isNotEmpty();
    assertThat(modules)
        .allSatisfy(
            m -> assertThat(copied).as("Dockerfile COPY of module " + m).contains(m + "/pom.xml"));
  }

  @Test
  void shouldGiveEveryServiceCommandLineOnlyOptionsTheServiceKnows() throws IOException {
    Map<String, List<String>> commands = new HashMap<>();
    serviceContainers().forEach((where, c) -> commands.put(where, c.args()));
    commands.put("Dockerfile CMD", dockerfileCmd());
    assertThat(commands)
        .isNotEmpty()
        .allSatisfy(
            (where, args) ->
                assertThatCode(
                        () -> WireIngest.commandLine().parseArgs(args.toArray(String[]::new)))
                    .as(where + ": " + args)
                    .doesNotThrowAnyException());
    assertThat(serviceContainers().values())
        .extracting(c -> c.args().get(0))
        .containsOnly("poll", "normalize")
        .contains("poll", "normalize");
  }

  @Test
  void shouldProbeTheOpsPortTheServiceListensOn() throws IOException {
    assertThat(serviceContainers())
        .allSatisfy(
            (where, c) -> {
              assertThat(opsPort(c.args())).as(where).isEqualTo(OpsOptions.DEFAULT_PORT);
              assertThat(c.probePorts()).as(where).isNotEmpty().containsOnly(opsPort(c.args()));
              assertThat(c.readinessPath()).as(where).isEqualTo(READY);
            });
  }

  // Found in a test: without timeoutSeconds Kubernetes waits 1 s, and /health/ready takes up to
  // 2 s (two Kafka calls of at most 1 s) while the broker is down.
  @Test
  void shouldGiveEveryKubernetesProbeTheThreeSecondsTheReadmeAsksFor() throws IOException {
    for (JsonNode d : k8s("Deployment")) {
      JsonNode c = d.at("/spec/template/spec/containers/0");
      for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
        assertThat(c.at("/" + probe + "/timeoutSeconds").asInt())
            .as(d.at("/metadata/name").asText() + " " + probe)
            .isEqualTo(3);
      }
    }
  }

  // Found in a test: with no CPU limit the JVM sees every core of the node, and the normalizer
  // ran one stream thread per core. Replicas x threads must divide the partitions.
  @Test
  void shouldRunAsManyNormalizerStreamThreadsAsThereArePartitions() throws IOException {
    JsonNode normalizer =
        k8s("Deployment").stream()
            .filter(d -> d.at("/metadata/name").asText().contains("normalizer"))
            .findFirst()
            .orElseThrow();
    List<String> args = args(normalizer.at("/spec/template/spec/containers/0"));
    String threads =
        args.stream().filter(a -> a.startsWith("num.stream.threads=")).findFirst().orElseThrow();

    assertThat(args.get(args.indexOf(threads) - 1)).isEqualTo("-K");
    int partitions =
        Integer.parseInt(
            WireIngest.commandLine()
                .getSubcommands()
                .get("normalize")
                .getCommandSpec()
                .findOption("--partitions")
                .defaultValue());
    assertThat(
            normalizer.at("/spec/replicas").asInt()
                * Integer.parseInt(threads.substring(threads.indexOf('=') + 1)))
        .as("replicas x stream threads = the default --partitions")
        .isEqualTo(partitions);
  }

  @Test
  void shouldScrapeThePollerAndTheNormalizerOnTheirOpsPort() throws IOException {
    JsonNode prom = YAML.readTree(DEPLOY.resolve("compose/prometheus.yml").toFile());
    List<String> targets = new ArrayList<>();
    prom.at("/scrape_configs/0/static_configs/0/targets").forEach(t -> targets.add(t.asText()));
    assertThat(targets)
        .containsExactlyInAnyOrder(
            "poller:" + OpsOptions.DEFAULT_PORT, "normalizer:" + OpsOptions.DEFAULT_PORT);
    assertThat(prom.at("/scrape_configs/0/metrics_path").asText()).isEqualTo("/metrics");
  }

  @Test
  void shouldAnswerOnTheProbePathsTheManifestsUse() throws Exception {
    PrometheusMeterRegistry registry = OpsRegistry.prometheus();
    FeedBoard board = new FeedBoard(List::of, null, id -> null, id -> 0, Clock.systemUTC());
    try (OpsServer ops =
        OpsServer.start(
            new InetSocketAddress("127.0.0.1", 0), registry, new Readiness(), board, null)) {
      HttpClient http = HttpClient.newHttpClient();
      for (String path : List.of(LIVE, READY, "/metrics")) {
        int status =
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).as(path).isIn(200, 503);
      }
    }
  }

  // ---- Kubernetes

  @Test
  void shouldProbeLivenessAndReadinessAndBoundResourcesInEveryDeployment() throws IOException {
    List<JsonNode> containers =
        k8s("Deployment").stream()
            .flatMap(d -> stream(d.at("/spec/template/spec/containers")))
            .toList();
    assertThat(containers)
        .hasSize(2)
        .allSatisfy(
            c -> {
              assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo(LIVE);
              assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo(READY);
              assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(OpsOptions.DEFAULT_PORT);
              assertThat(c.at("/resources/requests/cpu").asText()).isNotEmpty();
              assertThat(c.at("/resources/requests/memory").asText()).isNotEmpty();
              assertThat(c.at("/resources/limits/memory").asText()).isNotEmpty();
            });
  }

  @Test
  void shouldDeclareEveryTopicWithThePoliciesTheServiceGivesIt() throws IOException {
    List<JsonNode> topics = k8s("KafkaTopic");
    int partitions = topics.get(0).at("/spec/partitions").asInt();
    Map<String, Map<String, String>> declared = new HashMap<>();
    for (JsonNode t : topics) {
      assertThat(t.at("/spec/partitions").asInt())
          .as("partitions of %s", t.at("/metadata/name").asText())
          .isEqualTo(partitions);
      Map<String, String> config = new HashMap<>();
      t.at("/spec/config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
      declared.put(t.at("/metadata/name").asText(), config);
    }
    Map<String, Map<String, String>> expected = new HashMap<>();
    for (TopicSpec spec : Topics.defaults().all(partitions)) {
      expected.put(spec.name(), spec.configs());
    }
    assertThat(declared).isEqualTo(expected);
  }

  @Test
  void shouldMountTheFeedsListThePollerReadsAndKeepItEqualToTheAgenciesList() throws IOException {
    JsonNode configMap = k8s("ConfigMap").get(0);
    String feeds = configMap.at("/data/feeds.yaml").asText();
    assertThat(feeds).isEqualTo(Files.readString(DEPLOY.resolve("feeds/agencies.yaml")));
    assertThat(FeedsConfig.parse(feeds, "feeds-configmap.yaml", null)).isNotEmpty();

    JsonNode poller =
        k8s("Deployment").stream()
            .filter(d -> d.at("/metadata/name").asText().endsWith("poller"))
            .findFirst()
            .orElseThrow();
    JsonNode pod = poller.at("/spec/template/spec");
    JsonNode volume =
        stream(pod.at("/volumes")).filter(v -> v.has("configMap")).findFirst().orElseThrow();
    assertThat(volume.at("/configMap/name").asText())
        .isEqualTo(configMap.at("/metadata/name").asText());
    JsonNode mount =
        stream(pod.at("/containers/0/volumeMounts"))
            .filter(m -> m.at("/name").equals(volume.at("/name")))
            .findFirst()
            .orElseThrow();
    assertThat(option(args(pod.at("/containers/0")), "--feeds"))
        .isEqualTo(mount.at("/mountPath").asText() + "/feeds.yaml");
  }

  @Test
  void shouldUseThePollerGroupAndSessionTimeoutDefaults() throws IOException {
    JsonNode poller =
        k8s("Deployment").stream()
            .filter(d -> d.at("/metadata/name").asText().endsWith("poller"))
            .findFirst()
            .orElseThrow();
    List<String> args = args(poller.at("/spec/template/spec/containers/0"));
    assertThat(option(args, "--poller-group")).isEqualTo(FeedAssignment.DEFAULT_GROUP);
    assertThat(option(args, "--session-timeout"))
        .isEqualTo(FeedAssignment.DEFAULT_SESSION_TIMEOUT.toSeconds() + "s");
  }

  @Test
  void shouldFitEachPodsHeapAndRocksDbInItsMemoryLimit() throws IOException {
    List<JsonNode> deployments = k8s("Deployment");
    assertThat(deployments).hasSize(2);
    for (JsonNode d : deployments) {
      JsonNode c = d.at("/spec/template/spec/containers/0");
      String where = d.at("/metadata/name").asText();
      long limitMiB = mebibytes(c.at("/resources/limits/memory").asText());
      String javaOpts =
          stream(c.at("/env"))
              .filter(e -> e.at("/name").asText().equals("WIRE_INGEST_JAVA_OPTS"))
              .findFirst()
              .orElseThrow()
              .at("/value")
              .asText();
      Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(javaOpts);
      assertThat(percent.find()).as(where + ": " + javaOpts).isTrue();
      long heapMiB = limitMiB * Long.parseLong(percent.group(1)) / 100;
      String rocksDb = option(args(c), "--rocksdb-memory-mb");
      long rocksDbMiB = rocksDb == null ? 0 : Long.parseLong(rocksDb);
      assertThat(rocksDb != null)
          .as(where + " bounds RocksDB exactly when it normalizes")
          .isEqualTo(args(c).get(0).equals("normalize"));
      // Besides the heap and RocksDB's cache, a normalizer after 1,000,000 items had ~210 MiB
      // resident,
      // and a poller of 10,000 feeds ~212 MiB (docs/benchmarks.md, "Normaliser memory: RocksDB"):
      // the JVM's own (NMT: metaspace, code, GC, threads) and native allocations. 250 MiB leaves a
      // margin.
      assertThat(heapMiB + rocksDbMiB + 250)
          .as(
              "%s: heap %d MiB + RocksDB %d MiB + 250 MiB within %d MiB",
              where, heapMiB, rocksDbMiB, limitMiB)
          .isLessThanOrEqualTo(limitMiB);
      assertThat(javaOpts).as(where).contains("-XX:+UseParallelGC");
    }
  }

  private static long mebibytes(String quantity) {
    if (quantity.endsWith("Gi")) {
      return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
    }
    assertThat(quantity).endsWith("Mi");
    return Long.parseLong(quantity.substring(0, quantity.length() - 2));
  }

  @Test
  void shouldListEveryManifestInTheKustomization() throws IOException {
    List<String> resources = new ArrayList<>();
    YAML.readTree(DEPLOY.resolve("k8s/kustomization.yaml").toFile())
        .at("/resources")
        .forEach(r -> resources.add(r.asText()));
    try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
      assertThat(resources)
          .containsExactlyInAnyOrderElementsOf(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                  .toList());
    }
  }

  @Test
  void shouldSelectThePodsOpsPortInTheMetricsService() throws IOException {
    JsonNode service = k8s("Service").get(0);
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("ops");
    assertThat(service.at("/spec/selector/app.kubernetes.io~1part-of").asText())
        .isEqualTo("wire-ingest");
    assertThat(
            YAML.readTree(DEPLOY.resolve("k8s/kustomization.yaml").toFile())
                .at("/labels/0/includeTemplates")
                .asBoolean())
        .isTrue();
  }

  // /health/ready is down while the broker is unreachable or a topic is not as wire-ingest creates
  // it: the scrape must not lose the pods then.
  @Test
  void shouldKeepNotReadyPodsInTheMetricsService() throws IOException {
    assertThat(k8s("Service").get(0).at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
  }

  // ---- helpers

  /** A wire-ingest container, in compose or Kubernetes. */
  record Container(
      String image, List<String> args, List<Integer> probePorts, String readinessPath) {}

  private static Map<String, Container> serviceContainers() throws IOException {
    Map<String, Container> out = new HashMap<>();
    JsonNode services = compose().at("/services");
    for (String name : List.of("poller", "normalizer")) {
      JsonNode s = services.at("/" + name);
      List<String> args = new ArrayList<>();
      s.at("/command").forEach(a -> args.add(a.asText()));
      String test =
          String.join(" ", stream(s.at("/healthcheck/test")).map(JsonNode::asText).toList());
      Matcher m = Pattern.compile("http://localhost:(\\d+)(/\\S*)").matcher(test);
      assertThat(m.find()).as("compose %s health check %s", name, test).isTrue();
      List<Integer> ports = new ArrayList<>(List.of(Integer.parseInt(m.group(1))));
      stream(s.at("/ports"))
          .forEach(
              p ->
                  ports.add(
                      Integer.parseInt(p.asText().substring(p.asText().lastIndexOf(':') + 1))));
      out.put("compose " + name, new Container(s.at("/image").asText(), args, ports, m.group(2)));
    }
    for (JsonNode d : k8s("Deployment")) {
      JsonNode c = d.at("/spec/template/spec/containers/0");
      Map<String, Integer> named = new HashMap<>();
      stream(c.at("/ports"))
          .forEach(p -> named.put(p.at("/name").asText(), p.at("/containerPort").asInt()));
      List<Integer> ports = new ArrayList<>(named.values());
      for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
        JsonNode port = c.at("/" + probe + "/httpGet/port");
        ports.add(port.isInt() ? port.asInt() : named.get(port.asText()));
      }
      out.put(
          "k8s " + d.at("/metadata/name").asText(),
          new Container(
              c.at("/image").asText(),
              args(c),
              ports,
              c.at("/readinessProbe/httpGet/path").asText()));
    }
    return out;
  }

  private static List<String> args(JsonNode container) {
    List<String> args = new ArrayList<>();
    container.at("/args").forEach(a -> args.add(a.asText()));
    return args;
  }

  /**
   * @return the value of a {@code --name VALUE} or {@code --name=VALUE} option; null when absent
   */
  private static String option(List<String> args, String name) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals(name) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
      if (args.get(i).startsWith(name + "=")) {
        return args.get(i).substring(name.length() + 1);
      }
    }
    return null;
  }

  private static int opsPort(List<String> args) {
    String port = option(args, "--ops-port");
    return port == null ? OpsOptions.DEFAULT_PORT : Integer.parseInt(port);
  }

  private static JsonNode compose() throws IOException {
    return YAML.readTree(DEPLOY.resolve("compose/compose.yaml").toFile());
  }

  private static List<JsonNode> k8s(String kind) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
      for (Path f : files.sorted().toList()) {
        try (var parser = new YAMLFactory().createParser(f.toFile())) {
          for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
            JsonNode doc = it.next();
            if (kind.equals(doc.at("/kind").asText())) {
              out.add(doc);
            }
          }
        }
      }
    }
    assertThat(out).as("%s manifests", kind).isNotEmpty();
    return out;
  }

  private static List<String> dockerfileCmd() throws IOException {
    Matcher m =
        Pattern.compile("(?m)^CMD (\\[.*])$").matcher(Files.readString(ROOT.resolve("Dockerfile")));
    assertThat(m.find()).isTrue();
    List<String> out = new ArrayList<>();
    new ObjectMapper().readTree(m.group(1)).forEach(a -> out.add(a.asText()));
    return out;
  }

  private static String projectVersion() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>wire-ingest-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out.stream();
  }
}
