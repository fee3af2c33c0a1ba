package org.wireingest.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wireingest.kafka.DirectoryLock;
import org.wireingest.kafka.EmbeddedBroker;

/**
 * {@code run}, {@code poll} and {@code normalize} refuse to start, with one clear line on stderr
 * and exit status 1, when their data dir cannot be used or their broker does not answer. The time
 * bound is the command's own ({@link RunCommand#BROKER_CONTACT_TIMEOUT}), not this test's. ({@code
 * poll} with {@code --bootstrap-servers} stores nothing in its data dir, so only its unreachable
 * broker is a start-up failure.)
 */
class StartupFailureTest {

  private static final String FEEDS =
      """
      sources:
        - id: sample
          name: Sample
          agency: sample
          url: file:sample.xml
      """;

  @TempDir Path dir;

  private CliRun run(String... args) throws IOException {
    return command("run", args);
  }

  /** Runs {@code command} (with {@code --feeds} when it polls) and a free ops port. */
  private CliRun command(String command, String... args) throws IOException {
    Path feeds = Files.writeString(dir.resolve("feeds.yaml"), FEEDS, UTF_8);
    Files.writeString(
        dir.resolve("sample.xml"),
        "<rss version=\"2.0\"><channel><title>t</title></channel></rss>",
        UTF_8);
    List<String> all =
        new ArrayList<>(List.of(command, "--ops-port", "0", "--ops-bind", "127.0.0.1"));
    if (!command.equals("normalize")) {
      all.addAll(List.of("--feeds", feeds.toString()));
    }
    all.addAll(List.of(args));
    return CliRun.execute(all);
  }

  /**
   * Found in a lock test: a file named streams in the data dir was reported as a permissions
   * problem.
   */
  @Test
  void shouldNameTheFileWhereTheStateDirectoryGoes() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path streams = Files.writeString(data.resolve("streams"), "x", UTF_8);

    CliRun r =
        command("normalize", "--data-dir", data.toString(), "--bootstrap-servers", "127.0.0.1:1");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: cannot start: "
                + streams
                + " in data dir "
                + data
                + " is not a directory (the normalizer keeps its state there); move it away or choose another --data-dir");
  }

  @Test
  void shouldExitWithOneAndNameTheDataDirWhenItIsAFile() throws IOException {
    Path notADir = Files.writeString(dir.resolve("data-file"), "x", UTF_8);

    CliRun r = run("--once", "--data-dir", notADir.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("data dir " + notADir).contains("not a writable directory");
  }

  @Test
  void shouldExitWithOneAndNameTheBrokerWhenNoneAnswers() throws IOException {
    CliRun r =
        run(
            "--once",
            "--data-dir",
            dir.resolve("data").toString(),
            "--bootstrap-servers",
            "127.0.0.1:1");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "no Kafka broker answered at 127.0.0.1:1 within "
                + RunCommand.BROKER_CONTACT_TIMEOUT.toSeconds()
                + "s");
    assertThat(r.err())
        .startsWith("wire-ingest: cannot start: no Kafka broker")
        .doesNotContain("cannot start: cannot start");
  }

  @Test
  void shouldExitWithOneAndOneLineWhenThePollersEmbeddedBrokerHasAFileAsDataDir()
      throws IOException {
    Path notADir = Files.writeString(dir.resolve("data-file"), "x", UTF_8);

    CliRun r = command("poll", "--data-dir", notADir.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: cannot start: data dir " + notADir + " is not a writable directory");
  }

  // Found on a real run: a host that does not resolve read "cannot start: Failed to create new
  // KafkaAdminClient: No resolvable bootstrap urls given in bootstrap.servers", naming no host.
  @Test
  void shouldNameTheBootstrapServersWhenKafkaCannotResolveThem() throws IOException {
    CliRun r =
        run(
            "--once",
            "--data-dir",
            dir.resolve("data").toString(),
            "--bootstrap-servers",
            "no-such-host.invalid:9092");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .last()
        .asString()
        .startsWith("wire-ingest: cannot start: ")
        .endsWith("(--bootstrap-servers no-such-host.invalid:9092)");
  }

  @Test
  void shouldExitWithOneAndOneLineWhenTheNormalizersDataDirIsAFileAndTheBrokerIsExternal()
      throws IOException {
    Path notADir = Files.writeString(dir.resolve("data-file"), "x", UTF_8);

    // The data dir is checked before the broker: no broker is needed to see the failure.
    CliRun r =
        command(
            "normalize", "--data-dir", notADir.toString(), "--bootstrap-servers", "127.0.0.1:1");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: cannot start: data dir " + notADir + " is not a writable directory");
  }

  @ParameterizedTest
  @ValueSource(strings = {"poll", "normalize"})
  void shouldExitWithOneAndNameTheBrokerWhenNoneAnswersForTheSingleRoleCommands(String command)
      throws IOException {
    CliRun r =
        command(
            command,
            "--data-dir",
            dir.resolve("data").toString(),
            "--bootstrap-servers",
            "127.0.0.1:1");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: cannot start: no Kafka broker answered at 127.0.0.1:1 within "
                + ServiceCommand.BROKER_CONTACT_TIMEOUT.toSeconds()
                + "s");
  }

  /**
   * {@code story}, {@code replay} and {@code tail}: the same line as {@code run} after the same
   * wait, not a read of some topic's offsets timing out (tail waited 30 s).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "story urn:wire:trtworld:a8e61ce9d4add6d5382ff4fc3136ab14",
        "replay --from 1d",
        "tail --topic wire.articles.v1"
      })
  void shouldExitWithOneAndNameTheBrokerWhenNoneAnswersForTheOneShotCommands(String commandLine) {
    List<String> all = new ArrayList<>(List.of(commandLine.split(" ")));
    all.addAll(
        List.of(
            "--data-dir", dir.resolve("data").toString(), "--bootstrap-servers", "127.0.0.1:1"));

    CliRun r = CliRun.execute(all);

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: cannot start: no Kafka broker answered at 127.0.0.1:1 within "
                + ServiceCommand.BROKER_CONTACT_TIMEOUT.toSeconds()
                + "s");
  }

  /**
   * Found in a newcomer's test: the ops port taken (8080 by default) named the address, not the
   * option that moves it.
   */
  @Test
  void shouldNameTheOpsPortOptionWhenTheOpsPortIsTaken() throws IOException {
    Path feeds = Files.writeString(dir.resolve("feeds.yaml"), FEEDS, UTF_8);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r =
          CliRun.execute(
              "run",
              "--once",
              "--feeds",
              feeds.toString(),
              "--data-dir",
              dir.resolve("data").toString(),
              "--ops-bind",
              "127.0.0.1",
              "--ops-port",
              Integer.toString(taken.getLocalPort()));

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err().strip().lines())
          .singleElement()
          .asString()
          .startsWith(
              "wire-ingest: cannot start the ops HTTP server: cannot listen on 127.0.0.1:"
                  + taken.getLocalPort())
          .endsWith("(give another --ops-port, or --ops-port 0 for a free one)");
    }
  }

  /** {@code run --once} with {@code --ops-port} taken by {@code taken}, on {@code dataDir}. */
  private CliRun runOnceOnTakenPort(Path dataDir, ServerSocket taken) throws IOException {
    Path feeds = Files.writeString(dir.resolve("feeds.yaml"), FEEDS, UTF_8);
    return CliRun.execute(
        "run",
        "--once",
        "--feeds",
        feeds.toString(),
        "--data-dir",
        dataDir.toString(),
        "--ops-bind",
        "127.0.0.1",
        "--ops-port",
        Integer.toString(taken.getLocalPort()));
  }

  /**
   * Found in an ops review: {@code run --once --data-dir NEW} with the ops port taken failed with
   * the right line but left {@code NEW/streams} behind (the normalizer's state directory is made
   * before the ops port is bound), so NEW looked like a data dir that had been used.
   */
  @Test
  void shouldLeaveNoDataDirBehindWhenItsStartFailsOnATakenOpsPort() throws IOException {
    Path dataDir = dir.resolve("new-data");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r = runOnceOnTakenPort(dataDir, taken);

      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("cannot start the ops HTTP server");
      assertThat(dataDir).doesNotExist();
    }
  }

  /**
   * Found in a review of the failed-start clean-up: {@code --data-dir NEW/a/data}, none of them
   * there, with the ops port taken removed {@code data} but left {@code NEW/a}, which the start had
   * made for it.
   */
  @Test
  void shouldLeaveNoParentOfTheDataDirBehindThatItsFailedStartMade() throws IOException {
    Path parent = dir.resolve("new-parent");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r = runOnceOnTakenPort(parent.resolve("a").resolve("data"), taken);

      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("cannot start the ops HTTP server");
      assertThat(parent).doesNotExist();
      assertThat(dir).exists();
    }
  }

  @Test
  void shouldKeepADataDirThatExistedAndOnlyWhatItHeldWhenItsStartFails() throws IOException {
    Path dataDir = Files.createDirectory(dir.resolve("kept-data"));
    Path mine = Files.writeString(dataDir.resolve("notes.txt"), "the user's own file", UTF_8);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r = runOnceOnTakenPort(dataDir, taken);

      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      try (var entries = Files.list(dataDir)) {
        // nor the embedded broker's lock file, which the check for another broker made
        assertThat(entries.map(p -> p.getFileName().toString()))
            .containsExactly(mine.getFileName().toString());
      }
      assertThat(mine).hasContent("the user's own file");
    }
  }

  /**
   * Found in a review of the failed-start clean-up: two starts on one new {@code --data-dir}, the
   * first failing (no Kafka answered) after the second had started there: the first removed the
   * data dir, the second's normalizer state in it, because its only guard was the embedded broker's
   * lock, which neither held (both on {@code --bootstrap-servers}). The second is another process
   * here ({@link DataDirStartTest.OtherStart}), as it would be.
   */
  @Test
  void shouldLeaveANewDataDirToAnotherProcessThatStartedOnItBeforeThisStartFailed()
      throws Exception {
    Path dataDir = dir.resolve("shared-data");
    CompletableFuture<CliRun> first =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.execute(
                    "normalize",
                    "--ops-port",
                    "0",
                    "--ops-bind",
                    "127.0.0.1",
                    "--data-dir",
                    dataDir.toString(),
                    "--bootstrap-servers",
                    "127.0.0.1:1"));
    while (!Files.isDirectory(dataDir.resolve("streams")) && !first.isDone()) {
      Thread.sleep(10); // until the first start has made the data dir and waits for Kafka
    }
    Process other = DataDirStartTest.startOther(dataDir);
    try {
      CliRun r = first.get(2, TimeUnit.MINUTES);

      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("no Kafka broker answered");
      assertThat(dataDir.resolve("streams").resolve("other")).isDirectory();
    } finally {
      other.destroyForcibly();
      other.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Found in a review of the failed-start clean-up: {@code run --once} on a data dir another
   * process's broker holds (a poll-only process: no streams dir) was refused, but left a {@code
   * streams} dir behind in that other process's data dir: the normalizer's state directory was made
   * before the data dir's lock was checked, and the clean-up rightly removes nothing in a data dir
   * in use. The lock is checked first now.
   */
  @Test
  void shouldMakeNoStreamsDirInADataDirAnotherProcessHolds() throws IOException {
    Path dataDir = Files.createDirectory(dir.resolve("held-data"));
    try (DirectoryLock held =
            DirectoryLock.tryAcquire(dataDir.resolve(EmbeddedBroker.LOCK_FILE)).orElseThrow();
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r = runOnceOnTakenPort(dataDir, taken);

      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("data dir " + dataDir + " is in use");
      assertThat(dataDir.resolve("streams")).doesNotExist();
    }
  }

  /**
   * Found in an ops test: an --ops-bind that is no address of this host ({@code 192.0.2.1},
   * TEST-NET-1; or a host name that does not resolve) said "give another --ops-port", the hint for
   * a port that is taken, though no port would do.
   */
  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.1", "no-such-host.invalid"})
  void shouldNameTheOpsBindOptionWhenTheOpsBindAddressIsNotOfThisHost(String bind)
      throws IOException {
    Path feeds = Files.writeString(dir.resolve("feeds.yaml"), FEEDS, UTF_8);
    CliRun r =
        CliRun.execute(
            "run",
            "--once",
            "--feeds",
            feeds.toString(),
            "--data-dir",
            dir.resolve("data").toString(),
            "--ops-bind",
            bind,
            "--ops-port",
            "0");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: cannot start the ops HTTP server: cannot listen on " + bind + ":0")
        .endsWith(
            "(give --ops-bind an address of this host: 127.0.0.1 for this host only, 0.0.0.0 for every interface)");
  }

  /**
   * Found in an ops test: {@code --ops-bind ''} (as {@code --ops-bind "$OPS_BIND"} with the
   * variable unset gives it) started, logging "ops HTTP server on http://:PORT/", and listened on
   * the loopback address only: probes from other hosts would fail with no word why.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void shouldRefuseABlankOpsBind(String bind) throws IOException {
    Path data = dir.resolve("data");

    CliRun r =
        CliRun.execute(
            "normalize",
            "--data-dir",
            data.toString(),
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--ops-port",
            "0",
            "--ops-bind",
            bind);

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines())
        .singleElement()
        .isEqualTo(
            "wire-ingest: --ops-bind is empty: give an address of this host (0.0.0.0 for every interface, 127.0.0.1 for this host only), or leave the option out for 0.0.0.0");
    assertThat(data).doesNotExist();
  }

  /**
   * Found in an ops test: {@code -K security.protocol=BOGUS} exited with 1 and "cannot start:
   * Invalid value BOGUS ...", a start-up failure, though a bad client setting is a configuration
   * error (exit 2, "invalid Kafka client setting"): the service commands wrapped Kafka's
   * ConfigException that KafkaOptions#connect lets through, and its first client, made when they
   * wait for the broker.
   */
  @ParameterizedTest
  @ValueSource(strings = {"run", "poll", "normalize"})
  void shouldExitWithTwoAndNameTheSettingWhenAKafkaClientPropertyIsInvalid(String command)
      throws IOException {
    CliRun r =
        command(
            command,
            "--data-dir",
            dir.resolve("data").toString(),
            "--bootstrap-servers",
            "127.0.0.1:1",
            "-K",
            "security.protocol=BOGUS");

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: invalid Kafka client setting: Invalid value BOGUS for configuration security.protocol");
  }

  /**
   * Found in a new-user test: tail, story or replay with a mistyped (or forgotten) --data-dir
   * started a new, empty embedded broker there, made the directory, and blamed --bootstrap-servers
   * for the missing topics. They now refuse a data dir without an embedded broker's log, and make
   * nothing.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "tail --topic wire.articles.v1 --timeout 2s",
        "story urn:wire:trtworld:0123456789abcdef0123456789abcdef",
        "replay --from 1d --dry-run"
      })
  void shouldRefuseADataDirWithoutWireIngestDataForTheReadingCommands(String command) {
    Path typo = dir.resolve("dtaa");
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.addAll(List.of("--data-dir", typo.toString()));

    CliRun r = CliRun.execute(args);

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "wire-ingest: --data-dir "
                + typo
                + " holds no wire-ingest data (no embedded Kafka broker's log in "
                + typo.resolve("kafka")
                + "): give the --data-dir of the run that wrote the topics, or --bootstrap-servers for your own Kafka");
    assertThat(typo).doesNotExist();
  }

  /**
   * Run from another directory, {@code tail} said only "--data-dir ./data holds no wire-ingest
   * data", not which directory that relative path was read from.
   */
  @Test
  void shouldSayWhichWorkingDirectoryARelativeDataDirWithoutDataWasReadFrom() {
    Path relative = Path.of("target", "no-wire-ingest-data-here");

    CliRun r =
        CliRun.execute(
            "tail", "--topic", "wire.articles.v1", "--timeout", "2s", "--data-dir", "" + relative);

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .contains(
            "(no embedded Kafka broker's log in "
                + relative.resolve("kafka")
                + ", read relative to the working directory "
                + Path.of("").toAbsolutePath()
                + "): give the --data-dir of the run that wrote the topics");
    assertThat(relative).doesNotExist();
  }

  /**
   * Found in an ops test: a --data-dir that is a file read "is not a writable directory
   * (java.nio.file.FileSystemException: DIR/streams: Not a directory); fix its permissions" for the
   * commands that start, and "holds no wire-ingest data (no embedded Kafka broker's log in
   * DIR/kafka)" for the reading ones: neither says it is a file.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "run --once",
        "poll",
        "normalize --bootstrap-servers 127.0.0.1:1",
        "tail --topic wire.articles.v1 --timeout 2s",
        "story urn:wire:trtworld:0123456789abcdef0123456789abcdef",
        "replay --from 1d --dry-run"
      })
  void shouldSayTheDataDirIsAFile(String command) throws IOException {
    Path notADir = Files.writeString(dir.resolve("data-file"), "x", UTF_8);
    List<String> words = List.of(command.split(" "));
    List<String> args = new ArrayList<>(words.subList(1, words.size()));
    args.addAll(List.of("--data-dir", notADir.toString()));
    boolean reads = List.of("tail", "story", "replay").contains(words.get(0));
    if (reads) {
      args.add(0, words.get(0));
    }

    CliRun r = reads ? CliRun.execute(args) : command(words.get(0), args.toArray(String[]::new));

    assertThat(r.exit()).as(r.err()).isEqualTo(reads ? 2 : 1);
    assertThat(r.err().strip().lines())
        .singleElement()
        .isEqualTo(
            reads
                ? "wire-ingest: --data-dir "
                    + notADir
                    + " is a file, not a directory: give the --data-dir of the run that wrote the topics, or --bootstrap-servers for your own Kafka"
                : "wire-ingest: cannot start: data dir "
                    + notADir
                    + " is not a writable directory: it is a file; choose another --data-dir");
    assertThat(notADir).isRegularFile().hasContent("x");
  }

  /**
   * A setting only a later client reads (Kafka Streams' {@code max.task.idle.ms}, the producer's
   * {@code linger.ms}) was refused only when that client was made: after the ops server started,
   * the embedded broker started and the topics were created, with their INFO lines before the
   * error. It is now refused before anything starts.
   */
  @ParameterizedTest
  @CsvSource({
    "normalize, max.task.idle.ms=abc",
    "poll, linger.ms=soon",
    "run, max.task.idle.ms=abc"
  })
  void shouldRefuseAKafkaClientPropertyBeforeAnythingStarts(String command, String setting)
      throws IOException {
    Path data = dir.resolve("data");

    CliRun r = command(command, "--data-dir", data.toString(), "-K", setting);

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: invalid Kafka client setting: Invalid value "
                + setting.substring(setting.indexOf('=') + 1)
                + " for configuration "
                + setting.substring(0, setting.indexOf('=')));
    assertThat(data).doesNotExist();
  }

  /**
   * The same for the one-shot commands, which wait for the broker through
   * KafkaOptions#connectReachable (story and replay wrapped its ConfigException as "cannot start",
   * exit 1).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "tail --topic wire.articles.v1",
        "story urn:wire:trtworld:0123456789abcdef0123456789abcdef",
        "replay --from 1d --dry-run"
      })
  void shouldExitWithTwoAndNameTheSettingWhenAKafkaClientPropertyOfAOneShotCommandIsInvalid(
      String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.addAll(List.of("--bootstrap-servers", "127.0.0.1:1", "-K", "security.protocol=BOGUS"));

    CliRun r = CliRun.execute(args);

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith(
            "wire-ingest: invalid Kafka client setting: Invalid value BOGUS for configuration security.protocol");
  }
}
