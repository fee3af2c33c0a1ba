package org.wireingest.replay;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.model.FeedState;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.parse.ParseResult;
import org.wireingest.poll.RawItems;

/** Test feeds and raw items made the way the poller makes them (FeedParser, then RawItems.plan). */
public final class Feeds {

  static final String RAW_TOPIC = "wire.raw-items.v1";

  private Feeds() {}

  public static FeedSource source(String id, String agency) {
    return TestFeeds.feed(id)
        .name("Wire " + id)
        .agency(agency)
        .url("https://" + agency + ".example/" + id + ".xml")
        .build();
  }

  /** One RSS 2.0 item. */
  static String item(String guid, String title, String pubDate, String updated) {
    return """
        <item><guid isPermaLink="false">%s</guid><title>%s</title><link>https://wire.example/a/%s</link>
          <description>Negotiators returned to the table on Monday.</description>
          <pubDate>%s</pubDate>%s</item>
        """
        .formatted(
            guid,
            title,
            guid,
            pubDate,
            updated == null ? "" : "<atom:updated>" + updated + "</atom:updated>");
  }

  /** An RSS 2.0 document of {@code items}. */
  public static String rss(String... items) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Wire</title><link>https://wire.example/</link>
        %s</channel></rss>
        """
        .formatted(String.join("", items));
  }

  /** An Atom 1.0 document of {@code entries}. */
  public static String atom(String... entries) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire-example</id>
        <updated>2026-11-30T07:00:00Z</updated><link rel="alternate" href="https://wire.example/"/>
        %s</feed>
        """
        .formatted(String.join("", entries));
  }

  /**
   * The raw items a first poll of {@code rss} (or another feed document) publishes for {@code
   * source}.
   */
  public static List<RawWireItem> rawItems(FeedSource source, String rss, Instant fetchedAt) {
    ParseResult parsed = new FeedParser().parse(rss.getBytes(UTF_8), "application/rss+xml");
    RawWireItem.Fetch fetch =
        new RawWireItem.Fetch(
            fetchedAt,
            source.url().toString(),
            200,
            null,
            null,
            "application/rss+xml",
            "ab".repeat(32));
    return RawItems.plan(
            source,
            fetch,
            ((ParseResult.Parsed) parsed).feed(),
            FeedState.initial(source.id(), source.url().toString()),
            fetchedAt)
        .toPublish();
  }

  public static RawWireItem rawItem(FeedSource source, String rss, Instant fetchedAt) {
    List<RawWireItem> items = rawItems(source, rss, fetchedAt);
    if (items.size() != 1) {
      throw new IllegalArgumentException("expected one item, got " + items.size());
    }
    return items.get(0);
  }

  static HistoryRecord record(int partition, long offset, RawWireItem item) {
    return new HistoryRecord(
        RAW_TOPIC,
        partition,
        offset,
        item.fetch().fetchedAt().toEpochMilli(),
        item.source().id() + "/" + item.itemKey(),
        json(item));
  }

  public static byte[] json(Object value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
