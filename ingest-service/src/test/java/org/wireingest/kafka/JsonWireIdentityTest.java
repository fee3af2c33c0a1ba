package org.wireingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.dedup.DedupState;
import org.wireingest.dedup.InputHash;
import org.wireingest.dedup.Versioning;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.NormalizationException;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.poll.RawItems;
import org.wireingest.testing.Corpus;

/**
 * The normaliser's JSON path ({@link Json#MAPPER} with its fast instant paths, directly and through
 * {@link JsonSerde}) writes the same bytes and reads the same records as a plain mapper with the
 * same settings and the JSR-310 module's own instant serializer and deserializer. Checked on every
 * raw item, article event and dedup state the real corpus makes, and on generated ones with awkward
 * text and instants.
 */
class JsonWireIdentityTest {

  /** The path before: same settings, nothing but the JSR-310 module. */
  private static final ObjectMapper PLAIN =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .defaultPropertyInclusion(
              JsonInclude.Value.construct(
                  JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
          .build();

  private static final String TOPIC = "wire.articles.v1";
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final JsonSerde<ArticleEvent> articles = JsonSerde.of(ArticleEvent.class);
  private final JsonSerde<DedupState> states = JsonSerde.of(DedupState.class);
  private final JsonSerde<RawWireItem> rawItems = JsonSerde.of(RawWireItem.class);
  private final JsonSerde<FeedState> feedStates = JsonSerde.of(FeedState.class);

  @TestFactory
  Stream<DynamicTest> corpusOutputIsUnchanged() throws IOException {
    Path corpus = Corpus.dir();
    if (!Corpus.isPresent(corpus)) {
      return Stream.of(Corpus.missing(corpus));
    }
    List<Path> files = Corpus.realFiles(corpus);
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> checkFile(f)));
  }

  private void checkFile(Path file) throws IOException {
    if (!(new FeedParser().parse(Files.readAllBytes(file), null)
        instanceof ParseResult.Parsed parsed)) {
      return;
    }
    FeedSource source =
        TestFeeds.feed("src").name("Source").agency("agency").url(file.toUri()).build();
    RawWireItem.Fetch fetch =
        new RawWireItem.Fetch(
            NOW, source.url().toString(), 200, "\"etag\"", null, "application/xml", "0");
    RawItems.Plan plan =
        RawItems.plan(
            source,
            fetch,
            parsed.feed(),
            FeedState.initial(source.id(), source.url().toString()),
            NOW);
    assertThat(Json.MAPPER.writeValueAsBytes(plan)).isEqualTo(PLAIN.writeValueAsBytes(plan));
    Normalizer normalizer = new Normalizer(Clock.fixed(NOW, ZoneOffset.UTC));
    for (RawWireItem item : plan.toPublish()) {
      checkRawItem(item);
      ArticleEvent draft;
      try {
        draft =
            normalizer
                .normalize(item)
                .withIngestion(
                    NOW, new ArticleEvent.Lineage("wire.raw-items.v1", 3, 42, item.itemKey()));
      } catch (NormalizationException e) {
        continue;
      }
      Versioning.Decision decision = Versioning.decide(null, draft);
      checkArticle(Versioning.apply(decision, draft).orElseThrow());
      checkState(decision.state().withInputHash(InputHash.of(item)));
    }
  }

  @Test
  void generatedOutputIsUnchanged() throws IOException {
    SplittableRandom rnd = new SplittableRandom(20261130);
    for (int i = 0; i < 500; i++) {
      RawWireItem item = rawItem(rnd);
      checkRawItem(item);
      checkArticle(article(rnd));
      List<String> earlier = new ArrayList<>();
      for (int e = rnd.nextInt(4); e > 0; e--) {
        String t = text(rnd);
        earlier.add(t == null ? "" : t); // fingerprints are never null
      }
      checkState(
          DedupState.builder(text(rnd), rnd.nextInt(1, 1000), text(rnd))
              .firstCreated(instant(rnd))
              .lastVersionCreated(instant(rnd))
              .inputHash(rnd.nextBoolean() ? null : text(rnd))
              .earlierFingerprints(earlier)
              .lastEventVersionCreated(rnd.nextBoolean() ? null : instant(rnd))
              .lastSourceId(rnd.nextBoolean() ? null : text(rnd))
              .build());
      FeedState state = FeedState.initial(text(rnd), text(rnd));
      assertThat(feedStates.serializer().serialize(TOPIC, state))
          .isEqualTo(PLAIN.writeValueAsBytes(state));
    }
  }

  @Test
  void aStateWithoutEarlierFingerprintsReadsAndWritesAsBeforeTheFieldExisted() throws IOException {
    // as states were written before earlierFingerprints existed
    String before =
        "{\"uri\":\"urn:wire:trtworld:1\",\"version\":1,\"fingerprint\":\"f1\","
            + "\"firstCreated\":\"2026-11-30T06:12:00Z\",\"lastVersionCreated\":\"2026-11-30T06:12:00Z\"}";
    DedupState state =
        states.deserializer().deserialize(TOPIC, before.getBytes(StandardCharsets.UTF_8));

    assertThat(state.earlierFingerprints()).isEmpty();
    assertThat(new String(states.serializer().serialize(TOPIC, state), StandardCharsets.UTF_8))
        .isEqualTo(before);
    DedupState v2 =
        DedupState.builder("urn:wire:trtworld:1", 2, "f2")
            .earlierFingerprints(List.of("f1"))
            .build();
    assertThat(new String(states.serializer().serialize(TOPIC, v2), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"uri\":\"urn:wire:trtworld:1\",\"version\":2,\"fingerprint\":\"f2\",\"earlierFingerprints\":[\"f1\"]}");
  }

  private void checkRawItem(RawWireItem item) throws IOException {
    byte[] plain = PLAIN.writeValueAsBytes(item);
    assertThat(Json.MAPPER.writeValueAsBytes(item)).isEqualTo(plain);
    assertThat(rawItems.serializer().serialize(TOPIC, item)).isEqualTo(plain);
    assertThat(Json.MAPPER.readValue(plain, RawWireItem.class))
        .isEqualTo(PLAIN.readValue(plain, RawWireItem.class))
        .isEqualTo(item);
    assertThat(rawItems.deserializer().deserialize(TOPIC, plain)).isEqualTo(item);
  }

  private void checkArticle(ArticleEvent event) throws IOException {
    byte[] plain = PLAIN.writeValueAsBytes(event);
    assertThat(articles.serializer().serialize(TOPIC, event)).isEqualTo(plain);
    assertThat(Json.MAPPER.writeValueAsBytes(event)).isEqualTo(plain);
    assertThat(articles.deserializer().deserialize(TOPIC, plain))
        .isEqualTo(PLAIN.readValue(plain, ArticleEvent.class))
        .isEqualTo(event);
  }

  private void checkState(DedupState state) throws IOException {
    byte[] plain = PLAIN.writeValueAsBytes(state);
    assertThat(states.serializer().serialize(TOPIC, state)).isEqualTo(plain);
    assertThat(states.deserializer().deserialize(TOPIC, plain))
        .isEqualTo(PLAIN.readValue(plain, DedupState.class))
        .isEqualTo(state);
  }

  private static RawWireItem rawItem(SplittableRandom rnd) {
    ParsedEntry entry =
        new ParsedEntry(
            text(rnd),
            rnd.nextBoolean() ? null : rnd.nextBoolean(),
            text(rnd),
            text(rnd),
            texts(rnd),
            text(rnd),
            text(rnd),
            texts(rnd),
            List.of(new ParsedEntry.Category(text(rnd), text(rnd), null)),
            text(rnd),
            instant(rnd),
            text(rnd),
            instant(rnd),
            List.of(
                new ParsedEntry.Enclosure(
                    text(rnd),
                    text(rnd),
                    rnd.nextBoolean() ? null : rnd.nextLong(),
                    null,
                    rnd.nextInt(),
                    null,
                    text(rnd),
                    text(rnd))),
            text(rnd),
            text(rnd),
            null,
            text(rnd));
    return new RawWireItem(
        1,
        new RawWireItem.Source(text(rnd), text(rnd), text(rnd), text(rnd), text(rnd), text(rnd)),
        text(rnd),
        new RawWireItem.Identity(text(rnd), text(rnd)),
        new RawWireItem.Fetch(
            instant(rnd),
            text(rnd),
            rnd.nextInt(100, 600),
            text(rnd),
            text(rnd),
            text(rnd),
            text(rnd)),
        new RawWireItem.Feed(text(rnd), text(rnd), text(rnd), text(rnd)),
        entry,
        text(rnd),
        instant(rnd));
  }

  private static ArticleEvent article(SplittableRandom rnd) {
    return new ArticleEvent(
        text(rnd),
        rnd.nextInt(1, 50),
        text(rnd),
        text(rnd),
        text(rnd),
        instant(rnd),
        instant(rnd),
        text(rnd),
        text(rnd),
        text(rnd),
        text(rnd),
        text(rnd),
        text(rnd),
        List.of(new ArticleEvent.Subject(text(rnd), text(rnd), text(rnd))),
        List.of(
            new ArticleEvent.Association(
                text(rnd),
                text(rnd),
                text(rnd),
                text(rnd),
                List.of(
                    new ArticleEvent.Rendition(
                        text(rnd), text(rnd), text(rnd), rnd.nextInt(), null, rnd.nextLong())))),
        text(rnd),
        text(rnd),
        text(rnd),
        new ArticleEvent.Source(text(rnd), text(rnd), text(rnd), text(rnd)),
        instant(rnd),
        new ArticleEvent.Lineage(
            text(rnd), rnd.nextInt(64), rnd.nextLong(Long.MAX_VALUE), text(rnd)),
        texts(rnd));
  }

  /**
   * Null, empty, or up to 300 characters mixing ASCII, JSON escapes, control characters, Latin, CJK
   * and emoji.
   */
  private static String text(SplittableRandom rnd) {
    int kind = rnd.nextInt(10);
    if (kind == 0) {
      return null;
    }
    if (kind == 1) {
      return "";
    }
    String[] pieces = {
      "a",
      "Z",
      " ",
      "\"",
      "\\",
      "/",
      "<p>",
      "&amp;",
      "\n",
      "\t",
      "\u0000",
      "\u001f",
      "\u007f",
      "é",
      "ß",
      "\u00a0",
      "\u2028",
      "\u4e2d\u6587",
      "\ud83d\udcf0",
      "\ufeff"
    };
    StringBuilder s = new StringBuilder();
    int n = rnd.nextInt(1, 300);
    for (int i = 0; i < n; i++) {
      s.append(
          rnd.nextInt(3) == 0
              ? pieces[rnd.nextInt(pieces.length)]
              : String.valueOf((char) rnd.nextInt('a', 'z' + 1)));
    }
    return s.toString();
  }

  private static List<String> texts(SplittableRandom rnd) {
    List<String> out = new ArrayList<>();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      String t = text(rnd);
      out.add(t == null ? "x" : t);
    }
    return out;
  }

  /**
   * Null, or an instant with a fraction of none, 3, 6 or 9 digits, mostly in 0000–9999, sometimes
   * outside it.
   */
  private static Instant instant(SplittableRandom rnd) {
    int kind = rnd.nextInt(12);
    if (kind == 0) {
      return null;
    }
    long seconds =
        kind == 1
            ? rnd.nextLong(-400_000_000_000L, 400_000_000_000L)
            : rnd.nextLong(-62_167_219_200L, 253_402_300_800L);
    int nano =
        switch (rnd.nextInt(4)) {
          case 0 -> 0;
          case 1 -> rnd.nextInt(1000) * 1_000_000;
          case 2 -> rnd.nextInt(1_000_000) * 1_000;
          default -> rnd.nextInt(1_000_000_000);
        };
    return Instant.ofEpochSecond(seconds, nano);
  }
}
