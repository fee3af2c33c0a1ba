package org.wireingest.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wireingest.model.Hashes;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.ParsedEntry;
import org.wireingest.poll.RawItems;

/** What the input hash covers: what can change a fingerprint, and not the fetch around it. */
class InputHashTest {

  private static final Instant T = Instant.parse("2026-11-30T08:00:00Z");

  private static ParsedEntry entry(String title) {
    return new ParsedEntry(
        "g-1",
        null,
        title,
        "https://wire.example/a/1",
        List.of(),
        "<p>Body.</p>",
        null,
        List.of("Jane Doe"),
        List.of(),
        null,
        T,
        null,
        null,
        List.of(),
        null,
        null,
        null,
        null);
  }

  private static RawWireItem item(
      String sourceId,
      ParsedEntry entry,
      String feedLink,
      String feedLanguage,
      String sourceLanguage,
      Instant fetchedAt) {
    return new RawWireItem(
        1,
        new RawWireItem.Source(
            sourceId,
            "Wire " + sourceId,
            "wire",
            "https://wire.example/" + sourceId + ".rss",
            sourceLanguage,
            "auto"),
        "ab".repeat(16),
        new RawWireItem.Identity("guid", "g-1"),
        new RawWireItem.Fetch(
            fetchedAt,
            "https://wire.example/" + sourceId + ".rss",
            200,
            null,
            null,
            null,
            "cd".repeat(32)),
        new RawWireItem.Feed("rss_2.0", "Wire", feedLink, feedLanguage),
        entry,
        RawItems.entryHash(entry),
        fetchedAt);
  }

  private static RawWireItem base() {
    return item("wire-world", entry("Talks resume"), "https://wire.example", "en", "en", T);
  }

  @Test
  void shouldBeEqualForTheSameEntryFromAnotherFetchOrSectionFeed() {
    assertThat(
            InputHash.of(
                item(
                    "wire-sport",
                    entry("Talks resume"),
                    "https://wire.example",
                    "en",
                    "en",
                    T.plusSeconds(600))))
        .isEqualTo(InputHash.of(base()))
        .matches("[0-9a-f]{64}");
  }

  @Test
  void shouldDifferWhenTheEntryChanges() {
    assertThat(
            InputHash.of(
                item(
                    "wire-world",
                    entry("Talks resume in Geneva"),
                    "https://wire.example",
                    "en",
                    "en",
                    T)))
        .isNotEqualTo(InputHash.of(base()));
  }

  // The version rule compares media too (a picture added is an update): an item whose input
  // hash is the stored one must carry the same media, so an added enclosure must change it.
  @Test
  void shouldDifferWhenAnEnclosureIsAddedOrResized() {
    ParsedEntry text = entry("Talks resume");
    ParsedEntry.Enclosure picture =
        new ParsedEntry.Enclosure(
            "https://wire.example/img/1.jpg",
            "image/jpeg",
            123456L,
            null,
            null,
            null,
            null,
            "enclosure");
    ParsedEntry withPicture = withEnclosures(text, List.of(picture));
    ParsedEntry resized =
        withEnclosures(
            text,
            List.of(
                new ParsedEntry.Enclosure(
                    "https://wire.example/img/1.jpg",
                    "image/jpeg",
                    234567L,
                    null,
                    null,
                    null,
                    null,
                    "enclosure")));

    assertThat(RawItems.entryHash(withPicture)).isNotEqualTo(RawItems.entryHash(text));
    assertThat(InputHash.of(item("wire-world", withPicture, "https://wire.example", "en", "en", T)))
        .isNotEqualTo(InputHash.of(base()));
    assertThat(InputHash.of(item("wire-world", resized, "https://wire.example", "en", "en", T)))
        .isNotEqualTo(
            InputHash.of(item("wire-world", withPicture, "https://wire.example", "en", "en", T)));
  }

  private static ParsedEntry withEnclosures(ParsedEntry e, List<ParsedEntry.Enclosure> enclosures) {
    return new ParsedEntry(
        e.guid(),
        e.guidIsPermaLink(),
        e.title(),
        e.link(),
        e.links(),
        e.descriptionHtml(),
        e.contentHtml(),
        e.authors(),
        e.categories(),
        e.publishedRaw(),
        e.published(),
        e.updatedRaw(),
        e.updated(),
        enclosures,
        e.language(),
        e.rights(),
        null,
        e.baseUri());
  }

  @Test
  void shouldDifferWhenTheFeedLinkOrALanguageChanges() {
    String base = InputHash.of(base());

    assertThat(
            InputHash.of(
                item(
                    "wire-world",
                    entry("Talks resume"),
                    "https://wire.example/world",
                    "en",
                    "en",
                    T)))
        .isNotEqualTo(base);
    assertThat(InputHash.of(item("wire-world", entry("Talks resume"), null, "en", "en", T)))
        .isNotEqualTo(base);
    assertThat(
            InputHash.of(
                item("wire-world", entry("Talks resume"), "https://wire.example", "fr", "en", T)))
        .isNotEqualTo(base);
    assertThat(
            InputHash.of(
                item("wire-world", entry("Talks resume"), "https://wire.example", "en", null, T)))
        .isNotEqualTo(base);
  }

  // Input hashes are stored with each story's state: the same item must hash as before, or every
  // story would be normalised again after an upgrade. The input written out by hand, as stored.
  @Test
  void shouldKeepTheStoredEncoding() {
    RawWireItem item = item("wire-world", entry("Talks resume"), null, "en", "en", T);
    String written =
        "wire-ingest.normalizer-input.v1\n"
            + "entryHash=64:"
            + item.entryHash()
            + "\n"
            + "feedLink=-\n"
            + "feedLanguage=2:en\n"
            + "sourceLanguage=2:en\n";

    assertThat(InputHash.of(item)).isEqualTo(Hashes.sha256Hex(written));
  }

  @Test
  void shouldNotSeparateNullFromTheText() {
    // "-" as a value must not read like a null field
    assertThat(InputHash.of(item("wire-world", entry("Talks resume"), "-", "en", "en", T)))
        .isNotEqualTo(InputHash.of(item("wire-world", entry("Talks resume"), null, "en", "en", T)));
  }

  @Test
  void shouldBeNullWithoutAValidEntryHash() {
    RawWireItem ok = base();
    for (String bad : new String[] {null, "", "AB".repeat(32), "ab".repeat(31), "zz".repeat(32)}) {
      RawWireItem item =
          new RawWireItem(
              ok.schemaVersion(),
              ok.source(),
              ok.itemKey(),
              ok.identity(),
              ok.fetch(),
              ok.feed(),
              ok.entry(),
              bad,
              ok.firstSeenAt());
      assertThat(InputHash.of(item)).as("entryHash %s", bad).isNull();
    }
  }
}
