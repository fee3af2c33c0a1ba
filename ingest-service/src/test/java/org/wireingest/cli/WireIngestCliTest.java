package org.wireingest.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.wireingest.fetch.LocalHttpServer;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Json;
import org.wireingest.model.LongArguments;
import org.wireingest.poll.FeedPoller;
import org.wireingest.testing.SchemaAssert;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code wire-ingest} command line, run in-process with captured stdout and stderr. */
class WireIngestCliTest {

  private static final String RSS =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel>
        <title>TRT World</title><link>https://www.trtworld.com</link><language>en</language>
        <item>
          <guid>https://www.trtworld.com/article/1</guid>
          <title>Türkiye and Iraq sign Development Road deal</title>
          <link>https://www.trtworld.com/article/1?utm_source=rss</link>
          <description>Ankara and Baghdad agree on a trade corridor — 1,200 km.</description>
          <pubDate>Mon, 30 Nov 2026 07:30:00 GMT</pubDate>
        </item>
        <item>
          <guid>https://www.trtworld.com/article/2</guid>
          <title>Earthquake shakes eastern province</title>
          <link>https://www.trtworld.com/article/2</link>
          <description>No casualties reported so far.</description>
          <pubDate>Mon, 30 Nov 2026 07:45:00 GMT</pubDate>
        </item>
      </channel></rss>
      """;

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, UTF_8);
  }

  private static void assertListsEveryOption(CommandLine command, String help) {
    assertThat(command.getCommandSpec().options())
        .extracting(OptionSpec::longestName)
        .allSatisfy(name -> assertThat(help).contains(name));
  }

  // ---- help and version ----

  @Test
  void shouldPrintTopLevelHelpListingEveryCommand() {
    CliRun r = CliRun.execute("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: wire-ingest", "run", "check-feed", "tail", "--version");
    assertListsEveryOption(WireIngest.commandLine(), r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "check-feed", "tail"})
  void shouldPrintHelpOfEachCommandListingItsOptions(String command) {
    CliRun r = CliRun.execute(command, "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: wire-ingest " + command);
    assertListsEveryOption(WireIngest.commandLine().getSubcommands().get(command), r.out());
    assertThat(r.err()).isEmpty();
  }

  // Found following the replay section: tail --help said Ctrl-C exits 0, but a tail stopped by
  // Ctrl-C exits 130 (128 + SIGINT), as every command a signal stops does.
  @Test
  void shouldGiveTheSignalExitStatusInTailsHelpNotZero() {
    CliRun r = CliRun.execute("tail", "--help");

    String help = r.out().replaceAll("\\s+", " ");
    assertThat(help).doesNotContain("Ctrl-C, or its output closed").contains("130 or 143");
  }

  @Test
  void shouldPrintHelpOfACommandThroughTheHelpCommand() {
    CliRun r = CliRun.execute("help", "run");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: wire-ingest run", "--feeds", "--once");
  }

  /**
   * {@code help run extra} showed run's help and exited 0: picocli's help command leaves what
   * follows the command unmatched, and allows it.
   */
  @Test
  void shouldRefuseAHelpOfMoreThanOneCommand() {
    CliRun r = CliRun.execute("help", "run", "extra");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().findFirst())
        .hasValue("wire-ingest: help shows the help of one command: 'extra' is left over");
  }

  @Test
  void shouldPrintTheTopLevelHelpThroughTheHelpCommandAlone() {
    CliRun r = CliRun.execute("help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: wire-ingest", "tail");
  }

  @Test
  void shouldPrintTheVersion() {
    CliRun r = CliRun.execute("--version");

    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).matches("wire-ingest \\S+");
  }

  // ---- usage errors: exit 2 ----

  @Test
  void shouldRequireACommand() {
    CliRun r = CliRun.execute();

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("a command is required");
  }

  @Test
  void shouldRejectAnUnknownOption() {
    CliRun r = CliRun.execute("run", "--no-such-option");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--no-such-option'");
  }

  /** Found in a new-user test: {@code --poll-threads abc} printed 138 lines of usage. */
  @Test
  void shouldSayABadValueInOneLineAndWhereToLookNotTheWholeUsage() {
    CliRun r = CliRun.execute("run", "--poll-threads", "abc");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList())
        .hasSize(2)
        .satisfies(
            lines -> {
              assertThat(lines.get(0)).startsWith("wire-ingest: ").contains("'abc'");
              assertThat(lines.get(1)).isEqualTo("see: wire-ingest run --help");
            });
  }

  @Test
  void shouldRejectAnInvalidFeedsListWithOneLineBeforeStartingKafka() throws IOException {
    Path feeds =
        write(
            "feeds.yaml",
            "sources:\n  - {id: dw-english, name: DW, agency: dw, url: 'https://rss.dw.com/xml/rss-en-all', interval: 1s}\n");
    Path dataDir = dir.resolve("data");

    CliRun r =
        CliRun.execute(
            "run", "--once", "--feeds", feeds.toString(), "--data-dir", dataDir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("wire-ingest: " + feeds + ": source #1 (id 'dw-english'): field 'interval'");
    assertThat(dataDir).as("no embedded broker was started").doesNotExist();
  }

  /** Found in a new-user test: {@code run --once --poller-group foo} ran, and ignored it. */
  @Test
  void shouldRefuseAContinuousPollersOptionWithOnceBeforeStartingKafka() throws IOException {
    Path feeds =
        write(
            "feeds.yaml",
            "sources:\n  - {id: dw-english, name: DW, agency: dw, url: 'https://rss.dw.com/xml/rss-en-all'}\n");
    Path dataDir = dir.resolve("data");

    CliRun once =
        CliRun.execute(
            "run",
            "--once",
            "--poller-group",
            "foo",
            "--session-timeout",
            "30s",
            "--feeds",
            feeds.toString(),
            "--data-dir",
            dataDir.toString());
    CliRun continuous =
        CliRun.execute(
            "run",
            "--catch-up-timeout",
            "1m",
            "--feeds",
            feeds.toString(),
            "--data-dir",
            dataDir.toString());

    assertThat(once.exit()).isEqualTo(2);
    assertThat(once.err().strip())
        .isEqualTo(
            "wire-ingest: --poller-group, --session-timeout set how a continuous poller shares and"
                + " watches the feeds; --once polls every feed of the list once, in no group: leave"
                + " them out");
    assertThat(continuous.exit()).isEqualTo(2);
    assertThat(continuous.err().strip())
        .isEqualTo(
            "wire-ingest: --catch-up-timeout is the wait for the normalizer of --once: give it"
                + " with --once only");
    assertThat(dataDir).as("no embedded broker was started").doesNotExist();
  }

  @Test
  void shouldRejectAMissingFeedsList() {
    Path missing = dir.resolve("missing.yaml");

    CliRun r =
        CliRun.execute(
            "run", "--feeds", missing.toString(), "--data-dir", dir.resolve("data").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("wire-ingest: " + missing + ": feeds list not found");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void shouldRequireATopicToTail() {
    CliRun r = CliRun.execute("tail");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--topic=TOPIC'");
  }

  /**
   * A mistyped required option ({@code replay --frm 1d}) was reported as the missing {@code --from}
   * alone, without the typo or the closest option.
   */
  @ParameterizedTest
  @CsvSource({
    "replay,--frm,1d,--from",
    "tail,--topc,wire.articles.v1,--topic",
  })
  void shouldNameAMistypedRequiredOptionAndTheClosestOneRatherThanItsAbsence(
      String command, String typo, String value, String closest) {
    CliRun r = CliRun.execute(command, typo, value);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList())
        .containsExactly(
            "wire-ingest: Unknown options: '" + typo + "', '" + value + "'",
            "Did you mean: " + closest + "?",
            "see: wire-ingest " + command + " --help");
  }

  /**
   * picocli's own suggestions (shared bigrams) offered {@code normalize} for {@code tial} and
   * nothing for {@code replay --form 1d}: a swapped pair of letters is the commonest typo. Found in
   * a review: in names of three letters or less ({@code rnu} for {@code run}, {@code --mxa} for
   * {@code --max}) Jaro-Winkler finds no swap, and nothing was offered.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          tial                            | wire-ingest: Unmatched argument at index 0: 'tial' | Did you mean: wire-ingest tail?
          replay --form 1d                | wire-ingest: Unknown options: '--form', '1d'       | Did you mean: --from?
          tail --topic t --form-beginning | wire-ingest: Unknown option: '--form-beginning'    | Did you mean: --from-beginning?
          rnu                             | wire-ingest: Unmatched argument at index 0: 'rnu'  | Did you mean: wire-ingest run?
          tail --topic t --mxa 5          | wire-ingest: Unknown options: '--mxa', '5'         | Did you mean: --max?
          """)
  void shouldSuggestTheClosestCommandOrOptionForASwappedPairOfLetters(
      String line, String error, String suggestion) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().limit(2).toList()).containsExactly(error, suggestion);
  }

  /**
   * {@code help tial} said only {@code Unknown subcommand 'tial'.}, where {@code tial} alone is
   * offered {@code tail}: picocli's help command raises a plain parameter error, no unmatched
   * argument.
   */
  @Test
  void shouldSuggestTheClosestCommandToAHelpForAMistypedOne() {
    CliRun r = CliRun.execute("help", "tial");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList())
        .containsExactly(
            "wire-ingest: Unknown subcommand 'tial'.",
            "Did you mean: wire-ingest tail?",
            "see: wire-ingest --help");
  }

  /**
   * {@code --verbose} was offered {@code --version}, which prints the version and exits: what it
   * asks for, more log lines, is the log level setting. Of {@code --verbose --debug} only the last
   * was named, as if {@code --verbose} had been taken.
   */
  @ParameterizedTest
  @CsvSource({
    "--verbose,--verbose",
    "--verbose run,--verbose",
    "run --debug,--debug",
    "--verbose --debug run,--verbose or --debug",
    "run --debug --debug,--debug"
  })
  void shouldNameTheLogLevelSettingNotVersionForAVerbosityOption(String line, String option) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .doesNotContain("--version")
        .contains(
            "wire-ingest has no "
                + option
                + ": for more log lines set WIRE_INGEST_LOG_LEVEL=DEBUG");
  }

  /**
   * {@code run --log-level DEBUG}, as many services take it, was offered {@code --log-every-poll},
   * which logs every poll but leaves the log level as it is: the level is the environment variable.
   * The level given was then dropped: {@code --log-level WARN}, asking for fewer lines, was told to
   * set {@code DEBUG}; a name that is no level ({@code WARNING}) is told the levels there are, not
   * echoed as one.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          run --log-level DEBUG   | wire-ingest has no --log-level: to set the log level, set WIRE_INGEST_LOG_LEVEL=DEBUG
          run --log-level WARN    | wire-ingest has no --log-level: to set the log level, set WIRE_INGEST_LOG_LEVEL=WARN
          --loglevel=ERROR        | wire-ingest has no --loglevel: to set the log level, set WIRE_INGEST_LOG_LEVEL=ERROR
          tail --log-level=warn   | wire-ingest has no --log-level: to set the log level, set WIRE_INGEST_LOG_LEVEL=WARN
          run --log-level WARNING | wire-ingest has no --log-level: to set the log level, set WIRE_INGEST_LOG_LEVEL to one of TRACE, DEBUG, INFO, WARN, ERROR, OFF
          run --log-level --once  | wire-ingest has no --log-level: for more log lines set WIRE_INGEST_LOG_LEVEL=DEBUG
          """)
  void shouldNameTheLevelGivenToALogLevelOptionInTheLogLevelSetting(String line, String told) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("Did you mean").doesNotContain("LEVEL=WARNING");
    assertThat(r.err().lines().toList()).contains(told);
  }

  /**
   * {@code -v}, more log lines in many tools, was offered {@code -V}, which prints the version and
   * exits 0: told the log level setting, as {@code --verbose} is.
   */
  @ParameterizedTest
  @ValueSource(strings = {"-v", "run -v", "-vv run"})
  void shouldNameTheLogLevelSettingNotVersionForMinusV(String line) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .doesNotContain("-V")
        .contains(
            "wire-ingest has no "
                + line.split(" ")[line.startsWith("-") ? 0 : 1]
                + ": for more log lines set WIRE_INGEST_LOG_LEVEL=DEBUG");
  }

  /**
   * Found in a new-user test: {@code -q} and {@code --quiet}, fewer log lines in many tools, were
   * only {@code Unknown option}, where {@code -v} and {@code --verbose} name the log level setting:
   * they are told its level for fewer lines, {@code WARN}.
   */
  @ParameterizedTest
  @CsvSource({"-q,-q", "-q run,-q", "run --quiet,--quiet", "--silent tail,--silent"})
  void shouldNameTheWarnLogLevelForAQuietOption(String line, String option) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .doesNotContain("Did you mean")
        .contains(
            "wire-ingest has no "
                + option
                + ": for fewer log lines set WIRE_INGEST_LOG_LEVEL=WARN");
  }

  /**
   * Options typed before the command ({@code wire-ingest --data-dir /tmp/x run}) were only {@code
   * Unknown options}: picocli takes them for options of {@code wire-ingest} itself. A forgotten
   * required one ({@code --topic t tail}) was only its absence. A value named as the command
   * ({@code --data-dir run run}) was only {@code Unmatched argument at index 2: 'run'}, about the
   * second {@code run}, which is left over because of the misplaced option.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          --data-dir /tmp/x run                   | wire-ingest: Unknown options: '--data-dir', '/tmp/x' | --data-dir is an option of run: put it after the command: wire-ingest run --data-dir /tmp/x
          --feeds f.yaml run --once               | wire-ingest: Unknown options: '--feeds', 'f.yaml'    | --feeds is an option of run: put it after the command: wire-ingest run --feeds f.yaml --once
          --topic t --max=5 tail --from-beginning | wire-ingest: Unknown options: '--topic', 't', '--max=5' | --topic and --max are options of tail: put them after the command: wire-ingest tail --topic t --max=5 --from-beginning
          --once run                              | wire-ingest: Unknown option: '--once'                | --once is an option of run: put it after the command: wire-ingest run --once
          -Kacks=all tail --topic t               | wire-ingest: Unknown option: '-Kacks=all'          | -K is an option of tail: put it after the command: wire-ingest tail -Kacks=all --topic t
          --data-dir run run                      | wire-ingest: Unknown option: '--data-dir'            | --data-dir is an option of run: put it after the command: wire-ingest run --data-dir run
          --feeds run run --once                  | wire-ingest: Unknown option: '--feeds'               | --feeds is an option of run: put it after the command: wire-ingest run --feeds run --once
          --topic-prefix a. --from 1d             | wire-ingest: Unknown options: '--topic-prefix', 'a.', '--from', '1d' | --topic-prefix and --from are options of replay, story: put them after the command: wire-ingest COMMAND --topic-prefix a. --from 1d
          """)
  void shouldSayAnOptionTypedBeforeTheCommandGoesAfterIt(String line, String error, String hint) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList()).startsWith(error).contains(hint);
  }

  /**
   * A misspelled option typed before its command ({@code --feds f.yaml run}) got no hint, while
   * {@code --feeds f.yaml run} did: no command has {@code --feds}, so it was no option of {@code
   * run}'s. The closest option of the command given is named, with where it goes.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          --feds f.yaml run --once      | --feeds (not --feds) is an option of run: put it after the command: wire-ingest run --feeds f.yaml --once
          --feds=f.yaml --onec run      | --feeds (not --feds) and --once (not --onec) are options of run: put them after the command: wire-ingest run --feeds=f.yaml --once
          --form 1d --topic-prefix a. replay | --from (not --form) and --topic-prefix are options of replay: put them after the command: wire-ingest replay --from 1d --topic-prefix a.
          """)
  void shouldNameTheClosestOptionOfTheCommandForAMisspelledOneTypedBeforeIt(
      String line, String hint) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList()).contains(hint);
  }

  /**
   * After a hint about one command's options, {@code see:} named {@code wire-ingest --help}, which
   * lists the commands, not their options.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          --data-dir /tmp/x run   | see: wire-ingest run --help
          --topic t tail          | see: wire-ingest tail --help
          --feds f.yaml poll      | see: wire-ingest poll --help
          --topic-prefix a. --from 1d | see: wire-ingest --help
          """)
  void shouldNameTheHelpOfTheCommandAHintIsAbout(String line, String see) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList()).last().isEqualTo(see);
  }

  /**
   * A misspelled option closer to another command's option than to any of the given command's is
   * not "corrected" into the given command's: {@code --topic-prefx x tail} was told to type {@code
   * tail --topic x}, another option, where the user meant run's {@code --topic-prefix}.
   */
  @ParameterizedTest
  @ValueSource(strings = {"--topic-prefx x tail", "--topic-prefx=x --from-begining tail"})
  void shouldNotCorrectAMisspelledOptionIntoAnotherOfTheGivenCommand(String line) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("(not ");
  }

  @Test
  void shouldQuoteTheArgumentsOfTheCommandLineToTypeForAShell() {
    CliRun r = CliRun.execute("--feeds", "my feeds.yaml", "run");

    assertThat(r.err())
        .contains(
            "--feeds is an option of run: put it after the command: wire-ingest run --feeds 'my feeds.yaml'");
  }

  /**
   * The command line to type, pasted into bash, gives back each argument as typed. Escaped with
   * backslashes (XSI), an empty argument vanished, a line break was dropped, and braces were left
   * bare, so bash made two arguments of {@code a{b,c}}.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"", "a b{c,d}", "x{1..3}", "it's $HOME `id`", "line\nbreak", "ü日本 ~x", "*"})
  void shouldQuoteTheCommandLineToTypeSoThatBashGivesBackEachArgument(String value)
      throws IOException, InterruptedException {
    CliRun r = CliRun.execute("--data-dir", value, "run");

    String marker = "put it after the command: wire-ingest run ";
    String err = r.err();
    int from = err.indexOf(marker) + marker.length();
    String typed = err.substring(from, err.indexOf("\nsee: ", from));
    Process bash = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + typed).start();
    String echoed = new String(bash.getInputStream().readAllBytes(), UTF_8);
    assertThat(bash.waitFor()).isZero();
    assertThat(echoed.split("\0", -1)).containsExactly("--data-dir", value, "");
  }

  /**
   * A name typed after {@code --} is an argument, not an option or command: {@code run -- --once}
   * was answered {@code Did you mean: --once?}, offering the very name typed.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          run -- --once | wire-ingest: Unknown option: '--once'             | --once came after --, so it was taken as an argument: put it before the -- | see: wire-ingest run --help
          -- run        | wire-ingest: Unmatched argument at index 1: 'run' | run came after --, so it was taken as an argument: put it before the --    | see: wire-ingest --help
          """)
  void shouldSayANameAfterTheEndOfOptionsGoesBeforeItNotOfferItself(
      String line, String error, String hint, String see) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().toList()).containsExactly(error, hint, see);
  }

  /** Only an option of the command given is said to go after it. */
  @ParameterizedTest
  @ValueSource(strings = {"--topic t run", "--feeds f.yaml --nope run", "--nope"})
  void shouldNotSayWhereAnOptionGoesThatNoCommandGivenTakes(String line) {
    CliRun r = CliRun.execute(line.split(" "));

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("wire-ingest: Unknown option")
        .doesNotContain("after the command");
  }

  /** A 100 KB argument typed by mistake was echoed whole: an error line of 100 KB. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                   | wire-ingest: Unmatched argument at index 0: '             | 256
          --                   | wire-ingest: Unknown option: '--                         | 254
          run --poll-threads=  | wire-ingest: Invalid value for option '--poll-threads': ' | 256
          """)
  void shouldCutAHugeArgumentShortInTheErrorLine(String before, String start, int xsShown) {
    String huge = "x".repeat(100_000);
    String[] words = before.split(" ");
    words[words.length - 1] = words[words.length - 1] + huge;

    CliRun r = CliRun.execute(words);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines().findFirst().orElseThrow())
        .startsWith(start + "x".repeat(xsShown) + "…'")
        .hasSizeLessThan(400);
    assertThat(r.err()).hasSizeLessThan(1000);
  }

  @Test
  void shouldCutALongArgumentShortInWireIngestsOwnMessage() {
    Path feeds = dir.resolve("f".repeat(200)).resolve("f".repeat(200) + ".yaml");

    CliRun r =
        CliRun.execute(
            "run", "--feeds", feeds.toString(), "--data-dir", dir.resolve("data").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "wire-ingest: "
                + feeds.toString().substring(0, LongArguments.MOST_SHOWN)
                + "…: feeds list not found");
  }

  /** A huge argument typed before its command is cut short in the line that says where it goes. */
  @Test
  void shouldCutAHugeArgumentShortInTheLineSayingWhereAnOptionGoes() {
    String huge = "/" + "d".repeat(100_000);

    CliRun r = CliRun.execute("--data-dir", huge, "run");

    assertThat(r.err().lines().toList())
        .contains(
            "--data-dir is an option of run: put it after the command: wire-ingest run --data-dir "
                + huge.substring(0, LongArguments.MOST_SHOWN)
                + "…");
    assertThat(r.err()).hasSizeLessThan(1000);
  }

  /**
   * A huge argument that the shell needs quoted ({@code "/a b..."}) was shown whole in the line
   * saying where its option goes: it was escaped first, and the escaped word no longer held the
   * argument for the cut to find (100 KB typed, a 100 KB line).
   */
  @Test
  void shouldCutAHugeArgumentThatNeedsQuotingShortInTheLineSayingWhereAnOptionGoes() {
    String huge = "/a b" + "d".repeat(100_000);

    CliRun r = CliRun.execute("--data-dir", huge, "run");

    assertThat(r.exit()).isEqualTo(2);
    String hint = r.err().lines().filter(l -> l.contains("after the command")).findFirst().get();
    assertThat(hint)
        .startsWith("--data-dir is an option of run: put it after the command: wire-ingest run")
        .endsWith("…")
        .hasSizeLessThan(400);
    assertThat(r.err()).hasSizeLessThan(1000);
  }

  /**
   * A value without its option ({@code replay 1d}, {@code --from} forgotten) is no mistyped option:
   * the missing option is what to name, not only the stray value.
   */
  @Test
  void shouldNameTheMissingOptionWhenOnlyAValueIsLeftOver() {
    CliRun r = CliRun.execute("replay", "1d");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option").contains("--from");
  }

  @Test
  void shouldRejectATailTimeoutThatIsNoDuration() {
    CliRun r = CliRun.execute("tail", "--topic", "wire.articles.v1", "--timeout", "xyz");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'xyz' is not a duration").contains("20s");
  }

  // Found in a consumer's test: --timeout 0s stopped before the first poll and printed nothing,
  // topic full or not.
  @Test
  void shouldRejectATailTimeoutOfZeroBeforeConnecting() {
    CliRun r =
        CliRun.execute(
            "tail",
            "--topic",
            "wire.articles.v1",
            "--timeout",
            "0s",
            "--bootstrap-servers",
            "127.0.0.1:1");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("--timeout must be positive (got 0s); leave it out to follow until Ctrl-C")
        .doesNotContain("broker");
  }

  // ---- check-feed ----

  @Test
  void shouldPrintOneArticleJsonLinePerEntryOfAFeedFile() throws IOException {
    Path feed = write("feed.xml", RSS);

    CliRun r = CliRun.execute("check-feed", "--agency", "trtworld", feed.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).hasSize(2);
    assertThat(r.err()).contains("2 entries, 2 articles, 0 not normalised");
  }

  // The summary read "1 entries, 1 articles" for a one-entry feed.
  @Test
  void shouldCountASingleEntryAndArticleInTheSingular() throws IOException {
    String one =
        RSS.replaceAll(
            "(?s)\\s*<item>\\s*<guid>https://www.trtworld.com/article/2</guid>.*?</item>", "");
    assertThat(one).doesNotContain("article/2");
    Path feed = write("feed.xml", one);

    CliRun r = CliRun.execute("check-feed", "--agency", "trtworld", feed.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).hasSize(1);
    assertThat(r.err()).contains("feed.xml: 1 entry, 1 article, 0 not normalised");
  }

  // Entries sharing one identity (here GUID and link) are versions of one story; the summary says
  // so instead of leaving "3 entries, 2 articles" unexplained.
  @Test
  void shouldSayWhenEntriesMergeAsVersionsOfOneStory() throws IOException {
    String edited =
        RSS.replace(
            "</channel>",
            """
          <item>
            <guid>https://www.trtworld.com/article/1</guid>
            <title>Türkiye and Iraq sign Development Road deal (updated)</title>
            <link>https://www.trtworld.com/article/1</link>
            <pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate>
          </item>
        </channel>""");
    Path feed = write("feed.xml", edited);

    CliRun r = CliRun.execute("check-feed", "--agency", "trtworld", feed.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).hasSize(2).anySatisfy(line -> assertThat(line).contains("(updated)"));
    assertThat(r.err())
        .contains(
            "3 entries, 2 articles (1 entry merged into another entry's story: same identity, the newest kept), 0 not normalised");
  }

  // Found in a new-user test: check-feed, the tool for looking at one feed, did not show the
  // document-level warnings the poller counts (here Latin-1 bytes declared as UTF-8).
  @Test
  void shouldPrintTheDocumentsParseWarnings() throws IOException {
    Path feed = dir.resolve("latin1.xml");
    Files.write(
        feed,
        RSS.replace("Türkiye", "M\u00fcller \u00fcber Stra\u00dfe")
            .getBytes(StandardCharsets.ISO_8859_1));

    CliRun r = CliRun.execute("check-feed", "--agency", "trtworld", feed.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("latin1.xml: parse warnings: charset-mismatch");
    assertThat(r.out()).contains("Müller über Straße");
  }

  // Found by a hostile feed server: 100,000 entries without any text printed 100,000 "not
  // normalised" lines on stderr before the summary.
  @Test
  void shouldCountTheEntriesNotNormalisedPastTheFirstTwentyInOneLine() throws IOException {
    StringBuilder items = new StringBuilder();
    for (int i = 1; i <= 25; i++) {
      items
          .append("<item><guid>https://example.com/")
          .append(i)
          .append("</guid><link>https://example.com/")
          .append(i)
          .append("</link></item>");
    }
    Path feed =
        write(
            "untitled.xml",
            "<rss version=\"2.0\"><channel><title>t</title><link>https://example.com/</link>"
                + items
                + "</channel></rss>");

    CliRun r = CliRun.execute("check-feed", "--agency", "trtworld", feed.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().lines().filter(l -> l.contains(" not normalised: "))).hasSize(20);
    assertThat(r.err())
        .contains("check-feed: ... and 5 more entries not normalised (the first 20 shown)")
        .contains("25 entries, 0 articles, 25 not normalised");
  }

  // Regression (fresh-eyes read): check-feed took --language 'not a lang' silently (and dropped
  // the
  // language) and turned a bad --agency into one "not normalised" line per entry.
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--agency|BAD AGENCY|wire-ingest: --agency: must be 1-100 characters of [a-z0-9-], starting with a letter or digit (got 'BAD AGENCY')",
        "--language|not a lang|wire-ingest: --language: not a BCP 47 language tag (got 'not a lang')",
        "--language|english_please|wire-ingest: --language: not a BCP 47 language tag (got 'english_please')"
      })
  void shouldRefuseAnAgencyOrLanguageTheFeedsListWouldRefuse(
      String option, String value, String message) throws IOException {
    Path feed = write("feed.xml", RSS);

    CliRun r = CliRun.execute("check-feed", option, value, feed.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().isEqualTo(message);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void shouldPrintArticlesThatFollowTheArticleSchemaApartFromLineage() throws IOException {
    Path feed = write("feed.xml", RSS);

    CliRun r = CliRun.execute("check-feed", "--agency", "trtworld", feed.toString());

    assertThat(r.outLines())
        .hasSize(2)
        .allSatisfy(
            line -> {
              ObjectNode article = (ObjectNode) Json.MAPPER.readTree(line);
              // check-feed reads no Kafka record, so its events have no lineage; the schema
              // requires one.
              assertThat(article.has("lineage")).isFalse();
              article.set(
                  "lineage",
                  Json.MAPPER.valueToTree(
                      new ArticleEvent.Lineage("wire.raw-items.v1", 0, 0, "check/00")));
              SchemaAssert.assertValid("article", article);
              assertThat(article.get("uri").asText()).startsWith("urn:wire:trtworld:");
              assertThat(article.get("changeType").asText()).isEqualTo("created");
            });
    assertThat(Json.MAPPER.readTree(r.outLines().get(0)).get("headline").asText())
        .isEqualTo("Türkiye and Iraq sign Development Road deal");
  }

  /** Found in a new-user test: a cut-off document got only "parse warnings: truncated-document". */
  @Test
  void shouldSayWhatACutOffDocumentLoses() throws IOException {
    Path feed =
        write("cut.xml", RSS.substring(0, RSS.indexOf("</item>") + "</item>".length() + 20));

    CliRun r = CliRun.execute("check-feed", feed.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .contains("parse warnings: truncated-document")
        .contains(
            feed
                + ": truncated: the document ends before its last element is closed; its complete"
                + " entries were read (an entry cut short is dropped), anything past the cut is"
                + " lost");
  }

  @Test
  void shouldAcceptAFileUrl() throws IOException {
    Path feed = write("feed.xml", RSS);

    CliRun r = CliRun.execute("check-feed", feed.toUri().toString());

    assertThat(r.exit()).isZero();
    assertThat(r.outLines()).hasSize(2);
  }

  // Regression: check-feed file:feeds/x.xml failed as io-error "invalid URL" (exit 1), while the
  // feeds list reads the same url as a path relative to its directory: check-feed passed the text
  // to URI.create, the feeds list resolved it. Both read it through FeedsConfig.feedUrl now.
  @Test
  void shouldReadARelativeFileUrlFromTheWorkingDirectoryAsTheFeedsListDoes() throws IOException {
    Path feed = write("feed.xml", RSS);
    String relative = Path.of("").toAbsolutePath().relativize(feed).toString();

    CliRun r = CliRun.execute("check-feed", "file:" + relative);

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outLines()).hasSize(2);
  }

  @Test
  void shouldRejectAUrlWithoutHostAsBadUsage() {
    CliRun r = CliRun.execute("check-feed", "http:///feed.xml");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("wire-ingest: no host in http:///feed.xml");
  }

  /**
   * Runs a command, also collecting what {@code logger} logs meanwhile (at any level it lets
   * through).
   */
  private static CliRun run(ListAppender<ILoggingEvent> logs, String logger, String... args) {
    ch.qos.logback.classic.Logger l =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger);
    logs.start();
    l.addAppender(logs);
    try {
      return CliRun.execute(args);
    } finally {
      l.detachAppender(logs);
    }
  }

  /** Found in a newcomer's test: the poller's WARN said each failure first, worded for polling. */
  @Test
  void shouldSayAFailedFeedOnceInItsOwnLineWithoutThePollersWarning() throws IOException {
    Path page =
        write(
            "page.xml",
            "<!DOCTYPE html><html><head><title>Error 404 (Not Found)</title></head><body><p>404.</p></body></html>");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    ch.qos.logback.classic.Logger poller =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(FeedPoller.class);
    Level before = poller.getLevel();

    CliRun r = run(logs, FeedPoller.class.getName(), "check-feed", page.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("check-feed: " + page + ": not-a-feed: ");
    assertThat(logs.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    assertThat(poller.getLevel()).as("the logger's own level, restored").isEqualTo(before);
  }

  @Test
  void shouldSayWhyTheIdentityDegradedInCheckFeedsOwnLine() throws IOException {
    // Three entries share one GUID but point to different links: the GUIDs are unusable, links
    // identify.
    String shared =
        RSS.replace("<guid>https://www.trtworld.com/article/2</guid>", "<guid>same</guid>")
            .replace("<guid>https://www.trtworld.com/article/1</guid>", "<guid>same</guid>")
            .replace(
                "</channel>",
                "<item><guid>same</guid><title>Third story</title><link>https://www.trtworld.com/article/3</link>"
                    + "<description>Third.</description></item></channel>");
    Path feed = write("feed.xml", shared);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();

    CliRun r = run(logs, FeedPoller.class.getName(), "check-feed", feed.toString());

    assertThat(r.outLines()).hasSize(3);
    assertThat(r.err())
        .contains("parse warnings: identity-degraded")
        .contains(
            "check-feed: "
                + feed
                + ": identity: 3 of 3 GUIDs unusable (100%): 3 shared by different links; auto identity now uses link");
    assertThat(logs.list).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
  }

  @Test
  void shouldFailAsNotAFeedOnAnHtmlFile() throws IOException {
    Path page =
        write(
            "page.xml",
            "<!DOCTYPE html><html><head><title>Error 404 (Not Found)</title></head><body><p>404.</p></body></html>");

    CliRun r = CliRun.execute("check-feed", page.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("not-a-feed");
  }

  @Test
  void shouldRejectAMissingFile() {
    Path missing = dir.resolve("missing.xml");

    CliRun r = CliRun.execute("check-feed", missing.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("wire-ingest: no such file: " + missing);
  }

  @Test
  void shouldCallADirectoryOneRatherThanAMissingFile() {
    CliRun r = CliRun.execute("check-feed", dir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("wire-ingest: " + dir + " is a directory: give one feed's file or URL");
  }

  @Test
  void shouldNameTheSchemeOfAMistypedUrlRatherThanCallItAMissingFile() {
    CliRun r = CliRun.execute("check-feed", "htps://www.trtworld.com/feed/rss.xml");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo(
            "wire-ingest: scheme must be http, https or file"
                + " (got 'htps://www.trtworld.com/feed/rss.xml')");
  }

  @Test
  void shouldSayAUrlWithOneSlashHasNoHost() {
    CliRun r = CliRun.execute("check-feed", "https:/www.trtworld.com/feed/rss.xml");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("wire-ingest: no host in https:/www.trtworld.com/feed/rss.xml");
  }

  @Test
  void shouldRejectAnUnknownIdentityPolicy() throws IOException {
    CliRun r =
        CliRun.execute("check-feed", "--identity", "title", write("feed.xml", RSS).toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--identity");
  }

  // Found in a newcomer's test: the help said "Exit 0 when the feed yields articles", but a feed
  // without entries exits 0 (it is fetched and parsed), and a missing file is bad usage (2).
  @Test
  void shouldDescribeTheExitStatusOfAFeedWithoutEntriesAsItIs() throws IOException {
    Path empty =
        write(
            "empty.xml",
            "<rss version=\"2.0\"><channel><title>t</title><link>https://example.com/</link><description>d</description></channel></rss>");

    CliRun r = CliRun.execute("check-feed", empty.toString());
    CliRun help = CliRun.execute("check-feed", "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("0 entries, 0 articles");
    assertThat(help.out().replaceAll("\\s+", " "))
        .contains(
            "Exit 0 when the feed is fetched and parsed and its entries normalised (a feed without entries too)")
        .contains("2 bad usage");
  }

  // The help listed AUTO, GUID, LINK, CONTENT, while the feeds list and the default are written in
  // lower case (any case is read).
  @Test
  void shouldListTheIdentityPoliciesAsTheFeedsListWritesThem() {
    CliRun help = CliRun.execute("check-feed", "--help");

    assertThat(help.out().replaceAll("\\s+", " "))
        .contains("Identity policy: auto, guid, link, content (default: auto).");
  }

  @Test
  void shouldRefuseALoopbackFeedUrlByDefault() throws IOException {
    try (LocalHttpServer server = new LocalHttpServer()) {
      server.on("/feed.xml", LocalHttpServer.respond(200, RSS.getBytes(UTF_8)));

      CliRun r = CliRun.execute("check-feed", server.uri("/feed.xml").toString());

      assertThat(r.exit()).isEqualTo(1);
      assertThat(r.err()).contains("blocked-address");
      // Found in a newcomer's test: the failure named the address and its range, not the option
      // that allows it.
      assertThat(r.err()).contains("give check-feed --allow-private-addresses");
      assertThat(server.received()).isEmpty();
    }
  }

  @Test
  void shouldFetchALoopbackFeedUrlWithAllowPrivateAddresses() throws IOException {
    try (LocalHttpServer server = new LocalHttpServer()) {
      server.on("/feed.xml", LocalHttpServer.respond(200, RSS.getBytes(UTF_8)));

      CliRun r =
          CliRun.execute(
              "check-feed", "--allow-private-addresses", server.uri("/feed.xml").toString());

      assertThat(r.exit()).isZero();
      assertThat(r.outLines()).hasSize(2);
    }
  }

  // Found in a review: check-feed printed the URL as typed, credentials included, as each
  // article's source name and in its messages, where the service masks them
  @Test
  void shouldMaskTheFeedUrlsCredentialsInItsOutput() throws IOException {
    try (LocalHttpServer server = new LocalHttpServer()) {
      server.on("/feed.xml", LocalHttpServer.respond(200, RSS.getBytes(UTF_8)));

      CliRun r =
          CliRun.execute(
              "check-feed",
              "--allow-private-addresses",
              server.uri("/feed.xml") + "?apikey=k3y-s3cret&edition=world");

      assertThat(r.exit()).isZero();
      assertThat(r.outLines()).hasSize(2);
      assertThat(r.out() + r.err()).doesNotContain("k3y-s3cret").contains("apikey=***");
      assertThat(r.outLines().get(0))
          .contains("\"name\":\"" + server.uri("/feed.xml") + "?apikey=***&edition=world\"");
      assertThat(server.received()).hasSize(1);
    }
  }

  @Test
  void shouldSayWhereAFeedMovedPermanently() throws IOException {
    try (LocalHttpServer server = new LocalHttpServer()) {
      server
          .on("/old.xml", LocalHttpServer.respond(308, "Location", "/feed.xml"))
          .on("/feed.xml", LocalHttpServer.respond(200, RSS.getBytes(UTF_8)));

      CliRun r =
          CliRun.execute(
              "check-feed", "--allow-private-addresses", server.uri("/old.xml").toString());

      assertThat(r.exit()).isZero();
      assertThat(r.outLines()).hasSize(2);
      assertThat(r.err())
          .contains(
              ": moved permanently (HTTP 301 / 308) to "
                  + server.uri("/feed.xml")
                  + ": give that URL in the feeds list");
    }
  }

  @Test
  void shouldRejectAPerHostConcurrencyBelowOneBeforeStartingKafka() throws IOException {
    Path feeds =
        write(
            "feeds.yaml", "sources:\n  - {id: one, name: One, agency: a, url: 'file:feed.xml'}\n");

    CliRun r =
        CliRun.execute(
            "run",
            "--once",
            "--feeds",
            feeds.toString(),
            "--per-host-concurrency",
            "0",
            "--data-dir",
            dir.resolve("data").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--per-host-concurrency must be at least 1");
  }

  // ---- tail's line format ----

  private static ConsumerRecord<byte[], byte[]> record(
      String key, byte[] value, RecordHeaders headers) {
    return new ConsumerRecord<>(
        "wire.articles.v1",
        2,
        41L,
        1_796_022_000_000L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        key == null ? null : key.getBytes(UTF_8),
        value,
        headers,
        Optional.empty());
  }

  private static JsonNode tailLine(ConsumerRecord<byte[], byte[]> record) throws IOException {
    String line = TailCommand.line(record);
    assertThat(line).doesNotContain("\n");
    return Json.MAPPER.readTree(line);
  }

  @Test
  void shouldPrintRecordCoordinatesAndUtcTimestamp() throws IOException {
    JsonNode line =
        tailLine(record("urn:wire:trtworld:00ff", "{}".getBytes(UTF_8), new RecordHeaders()));

    assertThat(line.get("topic").asText()).isEqualTo("wire.articles.v1");
    assertThat(line.get("partition").asInt()).isEqualTo(2);
    assertThat(line.get("offset").asLong()).isEqualTo(41L);
    assertThat(line.get("timestamp").asText()).isEqualTo("2026-11-30T07:00:00Z");
    assertThat(line.get("key").asText()).isEqualTo("urn:wire:trtworld:00ff");
  }

  @Test
  void shouldEmbedAJsonValueAsJson() throws IOException {
    JsonNode line =
        tailLine(
            record(
                "k",
                "{\"headline\":\"Türkiye\",\"version\":2}".getBytes(UTF_8),
                new RecordHeaders()));

    assertThat(line.get("value").isObject()).isTrue();
    assertThat(line.get("value").get("headline").asText()).isEqualTo("Türkiye");
    assertThat(line.get("value").get("version").asInt()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "<rss version=\"2.0\"/>"})
  void shouldPrintANonJsonValueAsAString(String value) throws IOException {
    JsonNode line = tailLine(record("k", value.getBytes(UTF_8), new RecordHeaders()));

    assertThat(line.get("value").isTextual()).as("value of %s", line).isTrue();
    assertThat(line.get("value").asText()).isEqualTo(value);
  }

  /**
   * Regression: the value was read with a lenient {@code readTree}, which stops after the first
   * JSON token, so {@code 404 Not Found} printed as the number 404, {@code {"a":1} trailing} as the
   * object, and an empty value as null.
   */
  @ParameterizedTest
  @ValueSource(strings = {"404 Not Found", "{\"a\":1} trailing", "true story", ""})
  void shouldPrintAValueThatOnlyStartsAsJsonAsAString(String value) throws IOException {
    JsonNode line = tailLine(record("k", value.getBytes(UTF_8), new RecordHeaders()));

    assertThat(line.get("value").isTextual()).as("value of %s", line).isTrue();
    assertThat(line.get("value").asText()).isEqualTo(value);
  }

  @Test
  void shouldPrintANullValueAndKeyAsNull() throws IOException {
    JsonNode line = tailLine(record(null, null, new RecordHeaders()));

    assertThat(line.get("value").isNull()).isTrue();
    assertThat(line.get("key").isNull()).isTrue();
  }

  @Test
  void shouldPrintHeadersAsText() throws IOException {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_id", "urn:wire:trtworld:00ff#2".getBytes(UTF_8));
    headers.add("content-type", "application/json".getBytes(UTF_8));
    headers.add("empty", null);

    JsonNode line = tailLine(record("k", "{}".getBytes(UTF_8), headers));

    assertThat(line.get("headers").get("ce_id").asText()).isEqualTo("urn:wire:trtworld:00ff#2");
    assertThat(line.get("headers").get("content-type").asText()).isEqualTo("application/json");
    assertThat(line.get("headers").get("empty").isNull()).isTrue();
  }

  // Regression (fresh-eyes review): a bad --topic-prefix printed a stack trace and exited 1.
  @Test
  void shouldRejectAnIllegalTopicPrefixWithOneLine() throws IOException {
    Path feeds =
        write("feeds.yaml", "sources:\n  - {id: a, name: A, agency: a, url: 'file:a.xml'}\n");

    CliRun r =
        CliRun.execute(
            "run",
            "--once",
            "--feeds",
            feeds.toString(),
            "--data-dir",
            dir.resolve("data").toString(),
            "--topic-prefix",
            "bad prefix");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("wire-ingest: --topic-prefix");
  }

  // Regression (fresh-eyes read): normalize --topic-prefix s8. kept the default application id, so
  // it deduplicated s8.'s stories against the wire. topics' version store and dropped them.
  @Test
  void shouldRequireAnApplicationIdOfItsOwnWithAnotherTopicPrefix() throws IOException {
    Path feeds =
        write("feeds.yaml", "sources:\n  - {id: a, name: A, agency: a, url: 'file:a.xml'}\n");

    CliRun normalize =
        CliRun.execute(
            "normalize",
            "--bootstrap-servers",
            "127.0.0.1:9",
            "--data-dir",
            dir.resolve("n").toString(),
            "--topic-prefix",
            "s8.");
    CliRun runOnce =
        CliRun.execute(
            "run",
            "--once",
            "--feeds",
            feeds.toString(),
            "--data-dir",
            dir.resolve("r").toString(),
            "--topic-prefix",
            "staging.");

    assertThat(normalize.exit()).isEqualTo(2);
    assertThat(normalize.err().lines())
        .singleElement()
        .asString()
        .startsWith("wire-ingest: --topic-prefix 's8.' needs its own --application-id")
        .contains("e.g. --application-id s8-normalizer")
        .contains(
            "already ran on these topics with the default id must keep it (--application-id wire-ingest-normalizer)");
    assertThat(runOnce.exit()).isEqualTo(2);
    assertThat(runOnce.err()).contains("--application-id staging-normalizer");
    assertThat(dir.resolve("n")).doesNotExist(); // refused before anything was written
    assertThat(dir.resolve("r")).doesNotExist();
  }

  // Regression (fresh-eyes read): a malformed --bootstrap-servers exited 1 with "Failed to create
  // new KafkaAdminClient", naming neither the option nor the value.
  @ParameterizedTest
  @ValueSource(
      strings = {"not a host", "localhost", "kafka-1:99999", "kafka-1:0", "kafka-1:port", " , "})
  void shouldRefuseABootstrapServersEntryThatIsNotHostAndPort(String servers) throws IOException {
    Path feeds =
        write("feeds.yaml", "sources:\n  - {id: a, name: A, agency: a, url: 'file:a.xml'}\n");

    CliRun r =
        CliRun.execute(
            "run", "--once", "--feeds", feeds.toString(), "--bootstrap-servers", servers);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("wire-ingest: --bootstrap-servers: ")
        .containsPattern("is not HOST:PORT|no HOST:PORT given");
  }

  @Test
  void shouldCheckBootstrapServersBeforeTheOpsServerStarts() throws IOException {
    CliRun r =
        CliRun.execute(
            "normalize",
            "--bootstrap-servers",
            "kafka-1:99999",
            "--ops-port",
            "0",
            "--data-dir",
            dir.resolve("n").toString(),
            "--application-id",
            "x");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("wire-ingest: --bootstrap-servers: 'kafka-1:99999'");
  }
}
