package org.wireingest.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.ParsedEntry;

/**
 * The least work any normaliser built on this project's chosen libraries must do for a raw item it
 * publishes, and nothing more: read the raw item's JSON with Jackson ({@link Json#MAPPER}),
 * sanitise its HTML body with jsoup (parse, {@link Cleaner} with {@link Safelist#relaxed()} minus
 * its URL protocol checks, write the cleaned HTML), take the body's plain text (and the summary's,
 * when the entry has both a description and a content), and write an article-shaped JSON with
 * Jackson. No identity, no fingerprint, no version rule, no URL canonicalising, no media, no
 * warnings; text that holds no {@code <} or {@code &} is not parsed (as the normaliser does).
 * Measured in the pipeline by {@link PipelineThroughput}'s {@code floor} topology (the bare dedup
 * with this work on each record it writes) and on one thread by {@link NormalizerStepsCpu}.
 * Thread-safe (stateless).
 */
final class LibraryFloor {

  /**
   * jsoup's relaxed safelist without its URL protocol checks: cheaper than any safe sanitiser (a
   * protocol check resolves every link and image URL), so a floor, not a sanitiser to ship.
   */
  private static final Safelist SAFELIST =
      Safelist.relaxed()
          .removeProtocols("a", "href", "ftp", "http", "https", "mailto")
          .removeProtocols("blockquote", "cite", "http", "https")
          .removeProtocols("cite", "cite", "http", "https")
          .removeProtocols("img", "src", "http", "https")
          .removeProtocols("q", "cite", "http", "https");

  private LibraryFloor() {}

  /**
   * The article a floor normaliser writes: the fields that carry the entry's text.
   *
   * @param uri the item key (the story's identity)
   * @param headline the entry's title, as given
   * @param summary the description's plain text when the entry also has a content; else null
   * @param bodyHtml the sanitised body HTML; null when the entry has no body
   * @param bodyText the body's plain text; null when the entry has no body
   * @param versionCreated the entry's date (UTC); null when it gave none
   * @param link the entry's link; null when none
   */
  record Article(
      String uri,
      String headline,
      String summary,
      String bodyHtml,
      String bodyText,
      Instant versionCreated,
      String link) {}

  /**
   * @param rawJson a raw item as the poller writes it (UTF-8 JSON, {@link RawWireItem})
   * @return the {@link Article} JSON (UTF-8) for it
   * @throws UncheckedIOException when the JSON cannot be read
   */
  static byte[] article(byte[] rawJson) {
    try {
      RawWireItem item = Json.MAPPER.readValue(rawJson, RawWireItem.class);
      ParsedEntry e = item.entry();
      String body = e.contentHtml() != null ? e.contentHtml() : e.descriptionHtml();
      String summary =
          e.contentHtml() != null && e.descriptionHtml() != null ? text(e.descriptionHtml()) : null;
      String bodyHtml = null;
      String bodyText = null;
      if (body != null) {
        if (plain(body)) {
          bodyHtml = body;
          bodyText = body.strip();
        } else {
          Document parsed = Jsoup.parseBodyFragment(body);
          bodyHtml = new Cleaner(SAFELIST).clean(parsed).body().html();
          bodyText = parsed.body().text();
        }
      }
      Instant date = e.updated() != null ? e.updated() : e.published();
      return Json.MAPPER.writeValueAsBytes(
          new Article(item.itemKey(), e.title(), summary, bodyHtml, bodyText, date, e.link()));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static String text(String html) {
    return plain(html) ? html.strip() : Jsoup.parseBodyFragment(html).body().text();
  }

  private static boolean plain(String html) {
    return html.indexOf('<') < 0 && html.indexOf('&') < 0;
  }
}
