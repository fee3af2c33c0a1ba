package org.wireingest.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.wireingest.fetch.Redaction;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Counted;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Json;

/** Renders a {@link Story}: readable text, or JSON lines. Pure and thread-safe. */
public final class StoryFormat {

  private static final int FINGERPRINT_SHOWN = 16;

  /**
   * Most stories of a near-duplicate cluster listed in the text, one line each; the rest are
   * counted in one line. A story re-published by many outlets can gather hundreds.
   */
  public static final int CLUSTER_LINES_SHOWN = 20;

  private StoryFormat() {}

  /**
   * Human-readable: a heading line, the live near-duplicate cluster (a line, and one per story when
   * others share it: at most {@value #CLUSTER_LINES_SHOWN}, this story among them, then {@code and
   * N more stories (--json lists them all)}), then per version a line {@code v<N> <changeType>
   * <versionCreated> "<headline>" [<pubStatus>]} (with {@code changed: <fields>} on an update whose
   * changed fields are known), its fingerprint and {@code url} (without user-info, {@code
   * user:password@}: {@link Redaction#withoutUserInfo}), and one line per raw item behind it with
   * its fetch (its HTTP status; none for a {@code file:} URL, {@code no response} for a fetch that
   * got none).
   *
   * @param story the story
   * @return lines without line terminators
   */
  public static List<String> text(Story story) {
    List<String> out = new ArrayList<>();
    long behindVersions = story.versions().stream().mapToLong(v -> v.rawItems().size()).sum();
    long items = behindVersions + story.rejected().size();
    out.add(
        String.format(
            Locale.ROOT,
            "%s: %d version%s from %d raw item%s (%d suppressed as duplicates, %d rejected)",
            story.uri(),
            story.versions().size(),
            story.versions().size() == 1 ? "" : "s",
            items,
            items == 1 ? "" : "s",
            behindVersions - story.versions().size(),
            story.rejected().size()));
    clusterLines(story, out);
    for (Story.Version v : story.versions()) {
      ArticleEvent e = v.event();
      out.add(
          String.format(
              Locale.ROOT,
              "v%d %s %s \"%s\" [%s]%s",
              e.version(),
              e.changeType(),
              e.versionCreated(),
              e.headline(),
              e.pubStatus(),
              e.changedFields() == null
                  ? ""
                  : " changed: " + String.join(", ", e.changedFields())));
      out.add(
          "   fingerprint "
              + e.fingerprint().substring(0, Math.min(FINGERPRINT_SHOWN, e.fingerprint().length()))
              + "…  url "
              + (e.url() == null ? null : Redaction.withoutUserInfo(e.url())));
      for (Story.RawItem r : v.rawItems()) {
        rawItemLines(r, out);
      }
    }
    for (Story.Rejected r : story.rejected()) {
      out.add("rejected: " + r.deadLetter().stage() + ": " + r.deadLetter().errorMessage());
      rawItemLines(r.rawItem(), out);
    }
    return out;
  }

  /**
   * The live near-duplicate cluster: one line, then one per story when others share it, at most
   * {@link #CLUSTER_LINES_SHOWN} in {@code firstCreated} order; when this story is not among the
   * first of them it takes the last line shown, so the reader always sees how it joined.
   */
  private static void clusterLines(Story story, List<String> out) {
    StoryCluster c = story.cluster();
    if (c == null) {
      out.add(
          "near-duplicate cluster: none recorded in the story-signatures topic (it keeps 7 days; a text under 12 words has no signature)");
      return;
    }
    if (c.members().size() == 1) {
      out.add(
          "near-duplicate cluster "
              + c.id()
              + ": this story alone (no other story, of this agency or another, has joined it)");
      return;
    }
    out.add(
        String.format(
            Locale.ROOT, "near-duplicate cluster %s: %d stories", c.id(), c.members().size()));
    List<StoryCluster.Member> shown = c.members();
    if (shown.size() > CLUSTER_LINES_SHOWN) {
      shown = new ArrayList<>(c.members().subList(0, CLUSTER_LINES_SHOWN));
      if (shown.stream().noneMatch(m -> m.uri().equals(story.uri()))) {
        shown.set(
            CLUSTER_LINES_SHOWN - 1,
            c.members().stream()
                .filter(m -> m.uri().equals(story.uri()))
                .findFirst()
                .orElse(shown.get(CLUSTER_LINES_SHOWN - 1)));
      }
    }
    for (StoryCluster.Member m : shown) {
      String how =
          m.nearDuplicateOf() == null
              ? "started the cluster"
              : String.format(
                  Locale.ROOT,
                  "near-duplicate of %s (similarity %.3f)",
                  m.nearDuplicateOf(),
                  m.similarity());
      out.add(
          String.format(
              Locale.ROOT,
              "   %s first created %s, %s%s",
              m.uri(),
              m.firstCreated(),
              how,
              m.uri().equals(story.uri()) ? "  <- this story" : ""));
    }
    int more = c.members().size() - shown.size();
    if (more > 0) {
      out.add(
          "   and " + Counted.of(more, "more story", "more stories") + " (--json lists them all)");
    }
  }

  private static void rawItemLines(Story.RawItem r, List<String> out) {
    out.add(
        String.format(
            Locale.ROOT,
            "   %-26s raw item %s-%d@%d key %s, record time %s",
            r.decision(),
            r.topic(),
            r.partition(),
            r.offset(),
            r.key(),
            r.timestamp()));
    FetchLogRecord f = r.fetch();
    if (f == null) {
      out.add(
          String.format(
              Locale.ROOT,
              "   %-26s fetched %s by %s (fetch-log record no longer retained)",
              "",
              r.fetchedAt(),
              r.sourceId()));
      return;
    }
    out.add(
        String.format(
            Locale.ROOT,
            "   %-26s fetch %s of %s: %s%s, %,d bytes in %d ms, %s, %d published, body %s",
            "",
            f.startedAt(),
            f.url(),
            f.outcome(),
            statusNote(f),
            f.bytes(),
            f.durationMs(),
            entriesNote(f.entries()),
            f.published(),
            bodyNote(f)));
  }

  /**
   * A fetch's entry count: {@code "1 entry"}, {@code "12 entries"}, {@code "- entries"} when the
   * fetch parsed no feed (null).
   */
  private static String entriesNote(Integer entries) {
    return entries == null ? "- entries" : Counted.of(entries, "entry", "entries");
  }

  /**
   * The fetch's HTTP status as {@code ", status 200"}. Status 0 is no HTTP status: a {@code file:}
   * URL has none (nothing is shown, the URL says it), another fetch got no response (timeout,
   * refused, ...).
   */
  private static String statusNote(FetchLogRecord f) {
    if (f.status() > 0) {
      return ", status " + f.status();
    }
    return f.url() != null && f.url().regionMatches(true, 0, "file:", 0, 5) ? "" : ", no response";
  }

  private static String bodyNote(FetchLogRecord f) {
    if (f.body() == null) {
      return "not stored";
    }
    return f.body().omitted()
        ? String.format(
            Locale.ROOT, "omitted (%,d bytes zstd, over the cap)", f.body().compressedBytes())
        : String.format(Locale.ROOT, "stored (%,d bytes zstd)", f.body().compressedBytes());
  }

  /**
   * JSON lines: one object per version, {@code {"uri","version","changeType","versionCreated",
   * "headline","pubStatus","fingerprint","event":{..},"rawItems":[{..,"fetch":{..}}]}}, then one
   * {@code {"uri","rejected":{..},"deadLetter":{..}}} per rejected item, then, when the live
   * near-duplicate cluster is known, {@code {"uri","cluster":{"id","own":{..},"members":[{"uri",
   * "firstCreated","nearDuplicateOf","similarity"}]}}}. Fetch-log records are shown without their
   * body data.
   *
   * @param story the story
   * @return the lines
   */
  public static List<String> jsonLines(Story story) {
    return jsonLines(story, GuidOrLink.Match.SAME);
  }

  /**
   * The {@link #jsonLines(Story)} of a story a GUID or link lookup found ({@link StoryJob#find}):
   * when only by a weaker match, every line carries it after the {@code uri}, {@code "match":
   * "otherScheme"} or {@code "otherLink"}, as the text output's first line names it; for {@link
   * GuidOrLink.Match#SAME} the lines are those of {@link #jsonLines(Story)}.
   *
   * @param story the story
   * @param match how the lookup found it; not null
   * @return the lines
   */
  public static List<String> jsonLines(Story story, GuidOrLink.Match match) {
    String weaker =
        switch (match) {
          case OTHER_SCHEME -> "otherScheme";
          case OTHER_LINK -> "otherLink";
          case SAME, NONE -> null;
        };
    List<String> out = new ArrayList<>();
    for (Story.Version v : story.versions()) {
      ArticleEvent e = v.event();
      ObjectNode o = line(story, weaker);
      o.put("version", e.version());
      o.put("changeType", e.changeType());
      o.put("versionCreated", e.versionCreated().toString());
      o.put("headline", e.headline());
      o.put("pubStatus", e.pubStatus());
      o.put("fingerprint", e.fingerprint());
      o.set("event", Json.MAPPER.valueToTree(e));
      o.set(
          "rawItems",
          Json.MAPPER.valueToTree(
              v.rawItems().stream().map(StoryFormat::withoutBodyData).toList()));
      out.add(write(o));
    }
    for (Story.Rejected r : story.rejected()) {
      ObjectNode o = line(story, weaker);
      o.set("rejected", Json.MAPPER.valueToTree(withoutBodyData(r.rawItem())));
      o.set("deadLetter", Json.MAPPER.valueToTree(r.deadLetter()));
      out.add(write(o));
    }
    if (story.cluster() != null) {
      ObjectNode o = line(story, weaker);
      o.set("cluster", Json.MAPPER.valueToTree(story.cluster()));
      out.add(write(o));
    }
    return out;
  }

  /** A JSON line's object, with its {@code uri} and, when not null, the weaker match. */
  private static ObjectNode line(Story story, String weaker) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("uri", story.uri());
    if (weaker != null) {
      o.put("match", weaker);
    }
    return o;
  }

  private static Story.RawItem withoutBodyData(Story.RawItem r) {
    FetchLogRecord f = r.fetch();
    if (f == null || f.body() == null) {
      return r;
    }
    FetchLogRecord lean =
        new FetchLogRecord(
            f.sourceId(),
            f.url(),
            f.startedAt(),
            f.durationMs(),
            f.status(),
            f.outcome(),
            f.bytes(),
            f.entries(),
            f.published(),
            f.message(),
            f.contentType(),
            f.bodySha256(),
            new FetchLogRecord.Body(
                f.body().encoding(), f.body().compressedBytes(), f.body().omitted(), null));
    return new Story.RawItem(
        r.topic(),
        r.partition(),
        r.offset(),
        r.key(),
        r.timestamp(),
        r.sourceId(),
        r.fetchedAt(),
        r.entryHash(),
        r.decision(),
        lean);
  }

  private static String write(ObjectNode o) {
    try {
      return Json.MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a story always serialises", e);
    }
  }
}
