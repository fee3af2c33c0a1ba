package org.wireingest.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.InputHash;
import org.wireingest.dedup.Versioning;
import org.wireingest.kafka.JsonSerde;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.poll.RawItems;

/** The per-record rules shared by the live topology and replay. */
class NormalizerStepsTest {

  private static final Instant NOW = Instant.parse("2026-11-30T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final NormalizerSteps.Position AT =
      new NormalizerSteps.Position("wire.raw-items.v1", 2, 17, "wire-world/ab");
  private static final FeedSource WORLD =
      TestFeeds.feed("wire-world")
          .name("Wire")
          .agency("wire")
          .url("https://wire.example/rss")
          .build();

  private final NormalizerStats stats = new NormalizerStats(new SimpleMeterRegistry(), CLOCK);
  private final NormalizerSteps steps = new NormalizerSteps(new Normalizer(CLOCK), stats, CLOCK);

  private static byte[] rawItem(String title) throws JsonProcessingException {
    return Json.MAPPER.writeValueAsBytes(item(title, "wire"));
  }

  private static RawWireItem item(String title, String agency) {
    String rss =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Wire</title>
          <item><guid>g-1</guid><title>%s</title><pubDate>Mon, 30 Nov 2026 06:00:00 GMT</pubDate></item>
        </channel></rss>
        """
            .formatted(title);
    var feed = ((ParseResult.Parsed) new FeedParser().parse(rss.getBytes(UTF_8), null)).feed();
    RawWireItem.Fetch fetch =
        new RawWireItem.Fetch(
            NOW, "https://wire.example/rss", 200, null, null, null, "ab".repeat(32));
    FeedSource source = TestFeeds.from(WORLD).agency(agency).build();
    return RawItems.plan(
            source, fetch, feed, FeedState.initial(source.id(), "https://wire.example/rss"), NOW)
        .toPublish()
        .get(0);
  }

  private NormalizerSteps.Routing.Routed routed(String title) throws JsonProcessingException {
    return (NormalizerSteps.Routing.Routed) steps.route(AT, rawItem(title));
  }

  /** As the dedup stage receives it live: the bytes only, read again there. */
  private NormalizerSteps.Routing.Routed live(String title) throws JsonProcessingException {
    return routed(title).withoutItem();
  }

  private static NormalizerSteps.Dedup.Emit emitted(NormalizerSteps.Dedup outcome) {
    assertThat(outcome).isInstanceOf(NormalizerSteps.Dedup.Emit.class);
    return (NormalizerSteps.Dedup.Emit) outcome;
  }

  /**
   * Found in a hostile test: records a poller never writes were read as raw items. An empty or
   * missing identity made the uri of "null:null" or "guid:", so unrelated stories became versions
   * of one another; an unknown schemaVersion, a source id that is no feed id (it names the event's
   * source, ce_source and metric labels), a second JSON document or stray text after the item were
   * taken too (the second document was dropped without a trace). Each is now a dead letter.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "empty identity | identity={} | normalize | identity basis must be one of [guid, guid+link, link, content], got: null",
        "blank identity value | identity.value= | normalize | identity value is missing or has no visible character",
        "unknown identity basis | identity.basis=foo | normalize | identity basis must be one of",
        "schemaVersion 2 | schemaVersion=2 | deserialize | raw item schemaVersion 2 (0 when absent) is not supported: this normalizer reads schemaVersion 1",
        "no schemaVersion | schemaVersion= | deserialize | raw item schemaVersion 0 (0 when absent) is not supported",
        "source id not a feed id | source.id=Evil Src | deserialize | not a raw wire item: source.id is not a feed id",
        "two documents | append={} | deserialize | Trailing token",
        "stray text | append=garbage | deserialize | Unrecognized token 'garbage'",
        "fetch time out of range | fetch.fetchedAt=-1000000000-01-01T00:00:00Z | deserialize | firstSeenAt or fetch.fetchedAt is outside the years 0000-9999",
        "agency of 300 characters | source.agency=#300 | normalize | agency id must be 1-100 characters of [a-z0-9-], starting with a letter or digit (got 'aaaa",
        "record key of 2,000 characters | key=#2000 | deserialize | not a raw wire item: its record key is not",
        "no record key | key= | deserialize | not a raw wire item: its record key is not <source id>/<item key in lower-case hex>",
        "another record key | key=Wire World | deserialize | not a raw wire item: its record key is not",
        "a key of another feed | key=other-feed/ab | deserialize | not a raw wire item: its record key names another feed than its source.id, wire-world",
        "a key of a feed whose id starts alike | key=wire-world-2/ab | deserialize | its record key names another feed",
        "schemaVersion as a string | schemaVersion=\"1\" | deserialize | Cannot coerce String value (\"1\")",
        "schemaVersion with a fraction | schemaVersion=1.9 | deserialize | Cannot coerce Floating-point value (1.9)",
        "identity value of invisible characters | identity.value=\\u00a0\\u200b\\ufeff | normalize | identity value is missing or has no visible character",
        "agency starting with a dash | source.agency=-wire | normalize | agency id must be 1-100 characters of [a-z0-9-], starting with a letter or digit (got '-wire')",
        "the reserved agency | source.agency=cluster | normalize | agency id 'cluster' is reserved",
        "no source name | source.name= | deserialize | not a raw wire item: source.name or source.feedUrl missing",
        "no feed URL | source.feedUrl= | deserialize | not a raw wire item: source.name or source.feedUrl missing",
      })
  void shouldDeadLetterARecordThatIsNoRawItemAPollerWrites(
      String name, String change, String stage, String message) throws Exception {
    ObjectNode tree = Json.MAPPER.valueToTree(item("Talks resume", "wire"));
    String field = change.substring(0, change.indexOf('='));
    String value = change.substring(change.indexOf('=') + 1);
    String append = "";
    NormalizerSteps.Position at = AT;
    switch (field) {
      case "key" ->
          at =
              new NormalizerSteps.Position(
                  AT.topic(),
                  AT.partition(),
                  AT.offset(),
                  value.isEmpty()
                      ? null
                      : value.startsWith("#")
                          ? "wire-world/" + "a".repeat(Integer.parseInt(value.substring(1)))
                          : value);
      case "source.agency" ->
          ((ObjectNode) tree.get("source"))
              .put(
                  "agency",
                  value.startsWith("#") ? "a".repeat(Integer.parseInt(value.substring(1))) : value);
      case "identity" -> tree.set("identity", Json.MAPPER.createObjectNode());
      case "identity.value" ->
          ((ObjectNode) tree.get("identity"))
              .put(
                  "value",
                  Json.MAPPER.readValue(
                      "\"" + value + "\"",
                      String.class)); // backslash escapes read as JSON reads them
      case "identity.basis" -> ((ObjectNode) tree.get("identity")).put("basis", value);
      case "schemaVersion" -> {
        if (value.isEmpty()) {
          tree.remove("schemaVersion");
        } else {
          tree.set(
              "schemaVersion", Json.MAPPER.readTree(value)); // "1" stays a string, 1.9 a fraction
        }
      }
      case "source.id" -> ((ObjectNode) tree.get("source")).put("id", value);
      case "source.name" -> ((ObjectNode) tree.get("source")).remove("name");
      case "source.feedUrl" -> ((ObjectNode) tree.get("source")).remove("feedUrl");
      case "append" -> append = value;
      case "fetch.fetchedAt" -> ((ObjectNode) tree.get("fetch")).put("fetchedAt", value);
      default -> throw new AssertionError(field);
    }
    byte[] bytes = (Json.MAPPER.writeValueAsString(tree) + append).getBytes(UTF_8);

    NormalizerSteps.Routing out = steps.route(at, bytes);

    assertThat(NormalizerSteps.rawItem(at.key(), bytes))
        .as(name + ": a raw item unless refused at the first stage")
        .isEqualTo(!stage.equals(NormalizerSteps.STAGE_DESERIALIZE));
    assertThat(out)
        .as(name)
        .isInstanceOfSatisfying(
            NormalizerSteps.Routing.Rejected.class,
            r -> {
              assertThat(r.deadLetter().stage()).isEqualTo(stage);
              assertThat(r.deadLetter().errorMessage()).contains(message);
              assertThat(r.deadLetter().valueBytes()).isEqualTo(bytes.length);
            });
  }

  /**
   * Found in a hostile test: a number or a boolean where the raw-item schema has a string ({@code
   * "title": 42}, {@code "authors": [5]}, {@code "itemKey": 12}) was read as its text, so the
   * record was published as if a poller had written {@code "42"}, though the reader refused the
   * converse ({@code "schemaVersion": "1"}). No poller writes one: it is a dead letter naming the
   * field.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a whole number as the title | entry | title | 42",
        "a fraction as the content | entry | contentHtml | 1.5",
        "a boolean as the description | entry | descriptionHtml | true",
        "a number as an author | entry | authors | [5]",
        "a number as the item key | . | itemKey | 12",
        "a number as the identity value | identity | value | 18234567",
      })
  void shouldDeadLetterANumberOrBooleanWhereTheSchemaHasAString(
      String name, String object, String field, String json) throws Exception {
    ObjectNode tree = Json.MAPPER.valueToTree(item("Talks resume", "wire"));
    ObjectNode parent = object.equals(".") ? tree : (ObjectNode) tree.get(object);
    parent.set(field, Json.MAPPER.readTree(json));
    byte[] bytes = Json.MAPPER.writeValueAsBytes(tree);

    NormalizerSteps.Routing out = steps.route(AT, bytes);

    DeadLetter letter = deserializeDeadLetter(out, name);
    assertThat(letter.errorMessage()).contains("Cannot coerce").contains("[\"" + field + "\"]");
  }

  /**
   * Found by a Node.js consumer of the dead-letter topic: a JSON record of the wrong shape was
   * dead-lettered as {@code java.io.IOException}, which says nothing a consumer can act on without
   * reading the message; bytes that are no JSON keep Jackson's class.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "JSON of another shape | wire-world/ab | {\"hello\":\"world\"} | org.wireingest.streams.NotARawItemException",
        "a tombstone | wire-world/ab | | org.wireingest.streams.NotARawItemException",
        "an empty value | wire-world/ab | '' | org.wireingest.streams.NotARawItemException",
        "no JSON at all | wire-world/ab | hello | com.fasterxml.jackson.core.JsonParseException",
      })
  void shouldNameTheErrorClassOfARecordThatIsNoRawItem(
      String name, String key, String value, String errorClass) {
    NormalizerSteps.Position at =
        new NormalizerSteps.Position(AT.topic(), AT.partition(), AT.offset(), key);

    NormalizerSteps.Routing out = steps.route(at, value == null ? null : value.getBytes(UTF_8));

    DeadLetter letter = deserializeDeadLetter(out, name);
    assertThat(letter.errorClass()).isEqualTo(errorClass);
  }

  /**
   * Found in a hostile test: bytes that are no JSON were dead-lettered as Jackson's parser class
   * only at the top level. A byte that is no UTF-8 inside a string, or a key given twice in an
   * object (which was {@code InvalidDefinitionException: No fallback setter/field defined for
   * creator property}, the class Jackson gives a bug in a class definition), were named {@code
   * JsonMappingException}, the class of JSON of another shape.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a byte that is no UTF-8 in the title | bad-utf8 | Invalid UTF-8 start byte 0xff",
        "a key given twice | twice | Duplicate field 'identity'",
        "a key given twice in the entry | twice-in-entry | Duplicate field 'title'",
      })
  void shouldNameTheParsersClassForBytesThatAreNoJsonInsideAField(
      String name, String change, String message) throws Exception {
    String json = new String(rawItem("Talks resume"), UTF_8);
    byte[] bytes =
        switch (change) {
          case "bad-utf8" -> {
            byte[] b = json.getBytes(UTF_8);
            int at = json.indexOf("Talks resume");
            b[at] = (byte) 0xff;
            yield b;
          }
          case "twice" ->
              (json.substring(0, json.length() - 1)
                      + ",\"identity\":{\"basis\":\"guid\",\"value\":\"x\"}}")
                  .getBytes(UTF_8);
          case "twice-in-entry" ->
              json.replace("\"title\":\"Talks", "\"title\":\"x\",\"title\":\"Talks")
                  .getBytes(UTF_8);
          default -> throw new AssertionError(change);
        };

    NormalizerSteps.Routing out = steps.route(AT, bytes);

    DeadLetter letter = deserializeDeadLetter(out, name);
    assertThat(letter.errorClass()).isEqualTo("com.fasterxml.jackson.core.JsonParseException");
    assertThat(letter.errorMessage()).contains(message);
  }

  /**
   * Found in a hostile test: bytes that are no UTF-8 but that Jackson's parser decodes without a
   * check were read as text and published: an overlong form ({@code C0 AF} became the title's "/"),
   * a surrogate encoded on its own ({@code ED A0 80}, CESU-8, dropped from the title), and a whole
   * record in UTF-16, with or without a byte order mark, which the parser detects. A raw item is
   * UTF-8 (RFC 8259 for JSON between systems; RFC 3629 forbids both forms): such a record is a dead
   * letter with the parser's class, as other bytes that are no UTF-8 are.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "an overlong slash in the title | C0AF | Invalid UTF-8 (RFC 3629) at byte ",
        "a lone surrogate encoded in the title | EDA080 | Invalid UTF-8 (RFC 3629) at byte ",
        "the record in UTF-16 with a byte order mark | UTF-16 | Invalid UTF-8 (RFC 3629) at byte 0",
        "the record in UTF-16 without one | UTF-16BE | Illegal byte 0x00 at byte 0",
        "the record in UTF-32 | UTF-32LE | Illegal byte 0x00 at byte 1",
        // read as UTF-8, a zero byte past the first four is the parser's own refusal
        "a zero byte in the title | 00 | Illegal unquoted character ((CTRL-CHAR, code 0))",
      })
  void shouldDeadLetterARecordThatIsNoUtf8ThoughTheParserDecodesIt(
      String name, String change, String message) throws Exception {
    String json = new String(rawItem("Talks resume"), UTF_8);
    byte[] bytes;
    if (change.startsWith("UTF")) {
      bytes = json.getBytes(Charset.forName(change));
    } else {
      byte[] b = json.replace("Talks resume", "Talks@resume").getBytes(UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte x : b) {
        if (x == '@') {
          out.write(HexFormat.of().parseHex(change));
        } else {
          out.write(x);
        }
      }
      bytes = out.toByteArray();
    }

    NormalizerSteps.Routing out = steps.route(AT, bytes);

    DeadLetter letter = deserializeDeadLetter(out, name);
    assertThat(letter.errorClass()).isEqualTo("com.fasterxml.jackson.core.JsonParseException");
    assertThat(letter.errorMessage()).startsWith(message);
    assertThat(letter.valueBytes()).isEqualTo(bytes.length);
  }

  /**
   * Found in a hostile test: an entry list holding a JSON null ({@code "categories": [null]}),
   * which no poller writes, was dead-lettered with nothing but {@code problem:
   * java.lang.NullPointerException} for its reason. The message names the field.
   */
  @ParameterizedTest
  @ValueSource(strings = {"links", "authors", "categories", "enclosures"})
  void shouldSayWhichEntryListHoldsANull(String field) throws Exception {
    ObjectNode tree = Json.MAPPER.valueToTree(item("Talks resume", "wire"));
    ((ObjectNode) tree.get("entry")).putArray(field).addNull();
    byte[] bytes = Json.MAPPER.writeValueAsBytes(tree);

    NormalizerSteps.Routing out = steps.route(AT, bytes);

    DeadLetter letter = deserializeDeadLetter(out, "rejected");
    assertThat(letter.errorClass())
        .isEqualTo("com.fasterxml.jackson.databind.exc.ValueInstantiationException");
    assertThat(letter.errorMessage())
        .contains("entry." + field + "[0] is null")
        .doesNotContain("NullPointerException");
  }

  @Test
  void shouldRouteByTheNormalizersUriWithoutTouchingTheBytes() throws Exception {
    byte[] value = rawItem("Talks resume");

    NormalizerSteps.Routing out = steps.route(AT, value);

    assertThat(out)
        .isInstanceOfSatisfying(
            NormalizerSteps.Routing.Routed.class,
            r -> {
              assertThat(r.uri())
                  .isEqualTo(new Normalizer(CLOCK).normalize(item("Talks resume", "wire")).uri());
              assertThat(r.value()).isSameAs(value);
              assertThat(r.at()).isEqualTo(AT);
              assertThat(r.inputHash())
                  .isEqualTo(InputHash.of(item("Talks resume", "wire")))
                  .hasSize(64);
            });
  }

  @Test
  void shouldTellARawItemFromOtherRecords() throws Exception {
    byte[] value = rawItem("Talks resume");

    assertThat(NormalizerSteps.rawItem(AT.key(), value)).isTrue();
    assertThat(NormalizerSteps.rawItem(AT.key(), null)).as("a tombstone").isFalse();
    assertThat(NormalizerSteps.rawItem(null, value)).as("no key").isFalse();
    assertThat(NormalizerSteps.rawItem(AT.key(), "{\"uri\":\"urn:wire:x:1\"}".getBytes(UTF_8)))
        .isFalse();
  }

  @Test
  void shouldDeadLetterATombstoneAtTheDeserializeStage() {
    NormalizerSteps.Routing out = steps.route(AT, null);

    assertThat(out)
        .isInstanceOfSatisfying(
            NormalizerSteps.Routing.Rejected.class,
            r -> assertThat(r.deadLetter().stage()).isEqualTo(NormalizerSteps.STAGE_DESERIALIZE));
  }

  @Test
  void shouldLogEachDeadLetterWithItsCoordinatesButNotItsValue() {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(NormalizerSteps.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      steps.route(AT, "not json: secret-looking-value".getBytes(StandardCharsets.UTF_8));
    } finally {
      logger.detachAppender(logs);
    }

    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
              assertThat(e.getFormattedMessage())
                  .startsWith(
                      "dead letter from stage deserialize: "
                          + AT.topic()
                          + "-"
                          + AT.partition()
                          + "@"
                          + AT.offset()
                          + " (key "
                          + AT.key()
                          + "): JsonParseException: ")
                  .doesNotContain("secret-looking-value");
            });
  }

  @Test
  void shouldDeadLetterAnInvalidAgencyAtTheFirstStageAsTheNormalizerDid() throws Exception {
    RawWireItem ok = item("Talks resume", "wire");
    RawWireItem.Source s = ok.source();
    RawWireItem bad =
        new RawWireItem(
            ok.schemaVersion(),
            new RawWireItem.Source(
                s.id(), s.name(), "Wire!", s.feedUrl(), s.language(), s.identityPolicy()),
            ok.itemKey(),
            ok.identity(),
            ok.fetch(),
            ok.feed(),
            ok.entry(),
            ok.entryHash(),
            ok.firstSeenAt());

    NormalizerSteps.Routing out = steps.route(AT, Json.MAPPER.writeValueAsBytes(bad));

    assertThat(out)
        .isInstanceOfSatisfying(
            NormalizerSteps.Routing.Rejected.class,
            r -> {
              assertThat(r.deadLetter().stage()).isEqualTo(NormalizerSteps.STAGE_NORMALIZE);
              assertThat(r.deadLetter().errorClass()).endsWith("NormalizationException");
              assertThat(r.deadLetter().key()).isEqualTo(AT.key());
            });
    assertThat(stats.deadLetters()).isEqualTo(1);
    assertThat(stats.awaitDecided(Duration.ZERO, Duration.ZERO))
        .as("never routed, so nothing to decide")
        .isTrue();
  }

  @Test
  void shouldEmitVersionOneWithTheRawRecordAsLineageForANewUri() throws Exception {
    NormalizerSteps.Routing.Routed item = live("Talks resume");

    NormalizerSteps.Dedup.Emit emit = emitted(steps.decide(null, item));

    assertThat(emit.state().version()).isEqualTo(1);
    assertThat(emit.state().inputHash()).isEqualTo(item.inputHash());
    assertThat(emit.state().lastSeenAt())
        .as("the retention clock starts with every version")
        .isEqualTo(NOW);
    assertThat(emit.event().lineage())
        .isEqualTo(new ArticleEvent.Lineage("wire.raw-items.v1", 2, 17, "wire-world/ab"));
    assertThat(emit.event().ingestedAt()).isEqualTo(NOW);
    assertThat(emit.headers())
        .containsEntry("ce_type", "org.wireingest.article.created")
        .containsEntry("ce_subject", item.uri());
  }

  @Test
  void shouldSuppressAnExactCopyWithoutNormalisingIt() throws Exception {
    NormalizerSteps.Routing.Routed first = live("Talks resume");
    DedupState stored = emitted(steps.decide(null, first)).state();
    // The copy's bytes are not even JSON: were it read or normalised, it would be a dead letter.
    NormalizerSteps.Routing.Routed copy =
        new NormalizerSteps.Routing.Routed(
            first.uri(), first.inputHash(), AT, "not json".getBytes(UTF_8), null);

    NormalizerSteps.Dedup out = steps.decide(stored, copy);

    assertThat(out)
        .isEqualTo(
            new NormalizerSteps.Dedup.Suppressed(
                Versioning.Decision.Duplicate.SAME_FINGERPRINT, null));
    assertThat(stats.normalizationsSkipped()).isEqualTo(1);
    assertThat(stats.duplicates()).isEqualTo(1);
    assertThat(stats.deadLetters()).isZero();
  }

  @Test
  void shouldNormaliseAndVersionAChangedItem() throws Exception {
    DedupState stored = emitted(steps.decide(null, live("Talks resume"))).state();
    NormalizerSteps.Routing.Routed edited = live("Talks resume in Geneva");

    NormalizerSteps.Dedup.Emit emit = emitted(steps.decide(stored, edited));

    assertThat(edited.inputHash()).isNotEqualTo(stored.inputHash());
    assertThat(emit.event().version()).isEqualTo(2);
    assertThat(emit.event().changeType()).isEqualTo(Versioning.UPDATED);
    assertThat(emit.event().headline()).isEqualTo("Talks resume in Geneva");
    // the edit keeps its 06:00 pubDate: this version's time is when it was fetched
    assertThat(emit.event().versionCreated()).isEqualTo(NOW).isAfter(stored.lastVersionCreated());
    assertThat(emit.headers()).containsEntry("ce_time", NOW.toString());
    assertThat(emit.state().inputHash()).isEqualTo(edited.inputHash());
    assertThat(stats.normalizationsSkipped()).isZero();
  }

  @Test
  void shouldNormaliseAgainstAStateOfTheOldFormatAndLearnTheInputHash() throws Exception {
    NormalizerSteps.Routing.Routed item = live("Talks resume");
    String fingerprint =
        new Normalizer(CLOCK).normalize(item("Talks resume", "wire")).fingerprint();
    byte[] oldValue =
        ("{\"uri\":\""
                + item.uri()
                + "\",\"version\":3,\"fingerprint\":\""
                + fingerprint
                + "\",\"firstCreated\":\"2026-11-30T06:00:00Z\",\"lastVersionCreated\":\"2026-11-30T06:00:00Z\"}")
            .getBytes(UTF_8);
    DedupState old;
    try (JsonSerde<DedupState> serde = new JsonSerde<>(DedupState.class)) {
      old =
          serde
              .deserializer()
              .deserialize("wire-ingest-normalizer-article-versions-changelog", oldValue);
    }
    assertThat(old.inputHash()).isNull();
    assertThat(old.mediaHashes()).as("unknown, not none").isNull();

    NormalizerSteps.Dedup out = steps.decide(old, item);

    // learnt too: the copy's media (none), as the last version's
    assertThat(out)
        .isEqualTo(
            new NormalizerSteps.Dedup.Suppressed(
                Versioning.Decision.Duplicate.SAME_FINGERPRINT,
                old.withInputHash(item.inputHash())
                    .withMediaHashes(List.of())
                    .withLastSeenAt(NOW)));
    assertThat(stats.normalizationsSkipped())
        .as("normalised: nothing vouched for the copy")
        .isZero();
  }

  @Test
  void shouldNormaliseAnOldStateWithAnotherFingerprintAsAnUpdate() throws Exception {
    NormalizerSteps.Routing.Routed item = live("Talks resume");
    DedupState old =
        DedupState.builder(item.uri(), 1, "f".repeat(64))
            .firstCreated(NOW.minusSeconds(4 * 3600))
            .lastVersionCreated(NOW.minusSeconds(4 * 3600))
            .build();

    assertThat(emitted(steps.decide(old, item)).event().version()).isEqualTo(2);
  }

  @Test
  void shouldNotSkipWhenTheStoredStateBelongsToAnotherUri() throws Exception {
    NormalizerSteps.Routing.Routed item = live("Talks resume");
    DedupState other =
        DedupState.builder("urn:wire:wire:" + "0".repeat(32), 1, "f".repeat(64))
            .firstCreated(NOW)
            .lastVersionCreated(NOW)
            .inputHash(item.inputHash())
            .build();

    assertThat(steps.decide(other, item))
        .isInstanceOfSatisfying(
            NormalizerSteps.Dedup.Rejected.class,
            r -> {
              assertThat(r.deadLetter().stage()).isEqualTo(NormalizerSteps.STAGE_DEDUP);
              // the input as every dead letter keeps it (it kept the draft, keyed by the uri, until
              // a hostile test)
              assertThat(r.key()).isEqualTo(AT.key());
              assertThat(r.deadLetter().sourceTopic()).isEqualTo(AT.topic());
              assertThat(java.util.Base64.getDecoder().decode(r.deadLetter().valueBase64()))
                  .isEqualTo(item.value());
            });
  }

  @Test
  void shouldDeadLetterAnItemWithoutTextAtTheSecondStageKeyedByTheRawKey() throws Exception {
    byte[] value = rawItem("Talks resume");
    String noTitle =
        new String(value, UTF_8).replace("\"title\":\"Talks resume\"", "\"title\":null");
    assertThat(noTitle).isNotEqualTo(new String(value, UTF_8));
    NormalizerSteps.Routing.Routed item =
        (NormalizerSteps.Routing.Routed) steps.route(AT, noTitle.getBytes(UTF_8));

    NormalizerSteps.Dedup out = steps.decide(null, item.withoutItem());

    assertThat(out)
        .isInstanceOfSatisfying(
            NormalizerSteps.Dedup.Rejected.class,
            r -> {
              assertThat(r.key()).isEqualTo(AT.key());
              assertThat(r.deadLetter().stage()).isEqualTo(NormalizerSteps.STAGE_NORMALIZE);
              assertThat(r.deadLetter().valueText()).isEqualTo(noTitle);
            });
    assertThat(stats.awaitDecided(Duration.ZERO, Duration.ZERO))
        .as("the dead letter decided the routed item")
        .isTrue();
  }

  /**
   * @return the dead letter of a record the steps rejected at the {@code deserialize} stage; fails
   *     the test when it was routed, or rejected at another stage
   */
  private static DeadLetter deserializeDeadLetter(NormalizerSteps.Routing out, String what) {
    assertThat(out).as(what).isInstanceOf(NormalizerSteps.Routing.Rejected.class);
    DeadLetter letter = ((NormalizerSteps.Routing.Rejected) out).deadLetter();
    assertThat(letter.stage()).as(what).isEqualTo(NormalizerSteps.STAGE_DESERIALIZE);
    return letter;
  }
}
