package org.wireingest.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.nodes.Entities;

/**
 * The status page served at {@code /}: one server-rendered HTML5 document, no build step and no
 * external resources. The normalizer of this process, when it runs one (state, stream threads,
 * consumer lag, counts since start, last article and dead letter, articles by source over 24 h),
 * then a table of the feeds (state as colour and text, times relative to now with the UTC instant
 * in a tooltip), sortable by a click on a column header (a few lines of inline script; the sort is
 * kept in the URL fragment, an opened per-source list in session storage), reloaded every {@value
 * #REFRESH_SECONDS} s, laid out as cards on narrow screens. Every text that comes from the feeds
 * list or a feed (names, errors, URLs, source ids) is HTML-escaped. The inline script carries a
 * per-response nonce for a strict Content-Security-Policy. Pure: no I/O.
 */
public final class StatusPage {

  /** Seconds between reloads of the page. */
  public static final int REFRESH_SECONDS = 15;

  private static final String[] HEADERS = {
    "Feed",
    "Agency",
    "State",
    "Last success",
    "Last new entry",
    "Next poll",
    "Errors",
    "Entries 24h",
    "Articles 24h",
    "Interval",
    "Last error"
  };

  private StatusPage() {}

  /**
   * @param feeds the feeds, in feeds-list order
   * @param scope which share of the feeds list {@code feeds} is ({@link FeedBoard#scope()}, plain
   *     text, escaped here); null when the process polls the whole list in no group
   * @param normalizer this process's normalizer, shown above the feeds; null when it runs none
   * @param now the time the statuses were taken (UTC)
   * @param nonce the CSP nonce of the inline script (base64 characters only)
   * @return the complete HTML document
   */
  public static String render(
      List<FeedStatus> feeds,
      String scope,
      NormalizerStatus normalizer,
      Instant now,
      String nonce) {
    return render(feeds, scope, normalizer, null, now, nonce);
  }

  /**
   * As {@link #render(List, String, NormalizerStatus, Instant, String)}, with a banner above
   * everything when this process is not ready ({@code /health/ready} would answer 503): each
   * failing check with its detail. During a broker outage the feeds' last states and a running
   * normalizer still look healthy; the banner says they are not current.
   *
   * @param ready the readiness checks as of now; null, or up, for no banner
   */
  public static String render(
      List<FeedStatus> feeds,
      String scope,
      NormalizerStatus normalizer,
      Readiness.Report ready,
      Instant now,
      String nonce) {
    StringBuilder b = new StringBuilder(6144 + feeds.size() * 900);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<noscript><meta http-equiv=\"refresh\" content=\"")
        .append(REFRESH_SECONDS)
        .append("\"></noscript>")
        .append("<title>wire-ingest · status</title><style>")
        .append(CSS)
        .append("</style></head><body>\n")
        .append("<header><h1>wire-ingest</h1>")
        .append("<p class=\"generated\">As of <time datetime=\"")
        .append(now.truncatedTo(ChronoUnit.SECONDS))
        .append("\">")
        .append(now.truncatedTo(ChronoUnit.SECONDS))
        .append("</time> · refreshes every ")
        .append(REFRESH_SECONDS)
        .append(" s · <a href=\"api/feeds\">feeds JSON</a>");
    if (normalizer != null) {
      b.append(" · <a href=\"api/normalizer\">normalizer JSON</a>");
    }
    b.append(" · <a href=\"metrics\">metrics</a></p></header>\n");
    if (ready != null && !ready.up()) {
      b.append(
          "<p class=\"not-ready\" id=\"not-ready\" role=\"alert\"><strong>Not ready</strong> (<a href=\"health/ready\">health/ready</a> answers 503):");
      for (Readiness.Check c : ready.checks()) {
        if (!c.up()) {
          b.append(" ").append(esc(c.name())).append(": ").append(esc(c.detail())).append(".");
        }
      }
      b.append(" The states below may be out of date.</p>\n");
    }
    if (normalizer != null) {
      normalizer(b, normalizer, now);
    }
    b.append("<h2>Feeds</h2><p class=\"summary\" id=\"summary\">")
        .append(summary(feeds))
        .append("</p>");
    if (scope != null) {
      b.append("<p class=\"scope\" id=\"scope\">").append(esc(scope)).append("</p>");
    }
    b.append("\n<table id=\"feeds\"><thead><tr>");
    for (int i = 0; i < HEADERS.length; i++) {
      b.append("<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-col=\"")
          .append(i)
          .append("\">")
          .append(HEADERS[i])
          .append("</button></th>");
    }
    b.append("</tr></thead><tbody>\n");
    for (FeedStatus f : feeds) {
      row(b, f, now);
    }
    b.append("</tbody></table>\n");
    if (feeds.isEmpty()) {
      b.append(
          scope == null
              ? "<p>No feeds configured.</p>\n"
              : "<p>No feeds assigned to this process.</p>\n");
    }
    b.append("<script nonce=\"")
        .append(esc(nonce))
        .append("\">")
        .append(SCRIPT)
        .append("</script>\n</body></html>\n");
    return b.toString();
  }

  /**
   * The normalizer section: state, totals since start, last outcomes, articles by source over 24 h.
   */
  private static void normalizer(StringBuilder b, NormalizerStatus n, Instant now) {
    String stateClass =
        n.healthy()
            ? "ok"
            : switch (n.state()) {
              case "ERROR", "PENDING_ERROR", "NOT_RUNNING" -> "failing";
              default -> "pending";
            };
    b.append(
            "<section id=\"normalizer\"><h2>Normalizer</h2><p class=\"summary\"><span class=\"state state-")
        .append(stateClass)
        .append("\">")
        .append(esc(n.state()))
        .append("</span>");
    if (n.streamThreads() > 0) {
      b.append(" · ")
          .append(n.streamThreadsRunning())
          .append(" of ")
          .append(n.streamThreads())
          .append(n.streamThreads() == 1 ? " stream thread" : " stream threads")
          .append(" running");
    }
    b.append(" · consumer lag ")
        .append(
            n.consumerLagRecords() == null
                ? "not known yet"
                : String.format(Locale.ROOT, "%,d records", n.consumerLagRecords()))
        .append(" · application id <code>")
        .append(esc(n.applicationId()))
        .append("</code></p>\n<dl class=\"counts\">");
    count(b, "Raw records", String.format(Locale.ROOT, "%,d", n.rawRecords()));
    count(
        b,
        "Articles",
        String.format(
            Locale.ROOT, "%,d created · %,d updated", n.articlesCreated(), n.articlesUpdated()));
    count(
        b,
        "Duplicates",
        String.format(
            Locale.ROOT,
            "%,d (%,d found without normalising)",
            n.duplicates(),
            n.normalizationsSkipped()));
    count(b, "Dead letters", String.format(Locale.ROOT, "%,d", n.deadLetters()));
    count(b, "Last article", when(n.lastArticleAt(), now));
    count(
        b,
        "Last dead letter",
        n.lastDeadLetterAt() == null
            ? when(null, now)
            : when(n.lastDeadLetterAt(), now)
                + " · <span class=\"error\">"
                + esc(n.lastDeadLetter())
                + "</span>");
    b.append("</dl><p class=\"scope\">Counts since this process started.</p>\n");
    Map<String, Long> bySource = n.articlesLast24hBySource();
    b.append("<details id=\"normalizer-sources\"><summary>Articles by source, last 24 h (")
        .append(bySource.size())
        .append(bySource.size() == 1 ? " source" : " sources")
        .append(")</summary><table class=\"sources\"><thead><tr>")
        .append(
            "<th scope=\"col\">Source</th><th scope=\"col\">Articles 24h</th></tr></thead><tbody>");
    bySource.forEach(
        (source, count) ->
            b.append("<tr><td>")
                .append(esc(source))
                .append("</td><td>")
                .append(count)
                .append("</td></tr>"));
    b.append("</tbody></table></details></section>\n");
  }

  private static void count(StringBuilder b, String term, String html) {
    b.append("<div><dt>").append(term).append("</dt><dd>").append(html).append("</dd></div>");
  }

  private static String when(Instant t, Instant now) {
    if (t == null) {
      return "<span class=\"never\">never</span>";
    }
    String iso = t.truncatedTo(ChronoUnit.SECONDS).toString();
    return "<time datetime=\"" + iso + "\" title=\"" + iso + "\">" + relative(t, now) + "</time>";
  }

  private static void row(StringBuilder b, FeedStatus f, Instant now) {
    String state = f.state().code();
    b.append("<tr class=\"feed\" data-id=\"")
        .append(esc(f.id()))
        .append("\" data-state=\"")
        .append(state)
        .append("\">");
    cell(
        b,
        0,
        f.name().toLowerCase(Locale.ROOT),
        "<span class=\"name\">"
            + esc(f.name())
            + "</span><span class=\"id\">"
            + esc(f.id())
            + "</span>"
            + "<span class=\"url\">"
            + esc(f.url())
            + "</span>"
            + (f.movedTo() == null
                ? ""
                : "<span class=\"moved\">moved permanently to "
                    + esc(f.movedTo())
                    + " "
                    + when(f.movedSince(), now)
                    + ": give the new URL in the feeds list</span>")
            + (f.truncatedSince() == null
                ? ""
                : "<span class=\"truncated\">document cut off before its end "
                    + when(f.truncatedSince(), now)
                    + ": entries past the cut are lost</span>"));
    cell(b, 1, f.agency(), esc(f.agency()));
    cell(
        b,
        2,
        Integer.toString(f.state().ordinal()),
        "<span class=\"state state-" + state + "\">" + state + "</span>");
    time(b, 3, f.lastSuccessAt(), now);
    time(b, 4, f.lastNewEntryAt(), now);
    time(b, 5, f.nextPollAt(), now);
    cell(b, 6, Integer.toString(f.consecutiveErrors()), Integer.toString(f.consecutiveErrors()));
    cell(b, 7, Long.toString(f.entriesLast24h()), Long.toString(f.entriesLast24h()));
    cell(b, 8, Long.toString(f.articlesLast24h()), Long.toString(f.articlesLast24h()));
    Duration interval = Duration.parse(f.interval());
    cell(b, 9, Long.toString(interval.toSeconds()), esc(human(interval)));
    cell(
        b,
        10,
        f.lastError() == null ? "" : f.lastError().toLowerCase(Locale.ROOT),
        f.lastError() == null ? "" : "<span class=\"error\">" + esc(f.lastError()) + "</span>");
    b.append("</tr>\n");
  }

  private static void cell(StringBuilder b, int col, String sortKey, String html) {
    b.append("<td data-label=\"")
        .append(HEADERS[col])
        .append("\" data-sort=\"")
        .append(esc(sortKey))
        .append("\">")
        .append(html)
        .append("</td>");
  }

  private static void time(StringBuilder b, int col, Instant t, Instant now) {
    cell(b, col, t == null ? "" : Long.toString(t.toEpochMilli()), when(t, now));
  }

  /**
   * @return e.g. {@code 3 min ago}, {@code in 40 s}, {@code now}
   */
  static String relative(Instant t, Instant now) {
    Duration d = Duration.between(t, now);
    boolean future = d.isNegative();
    Duration abs = d.abs();
    if (abs.toSeconds() < 1) {
      return "now";
    }
    String h = human(abs);
    return future ? "in " + h : h + " ago";
  }

  /**
   * @return a duration as people read it: {@code 40 s}, {@code 5 min}, {@code 2 h 5 min}, {@code 3
   *     d 4 h}
   */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min";
    }
    if (s < 86_400) {
      long m = s % 3600 / 60;
      return s / 3600 + " h" + (m == 0 ? "" : " " + m + " min");
    }
    long h = s % 86_400 / 3600;
    return s / 86_400 + " d" + (h == 0 ? "" : " " + h + " h");
  }

  private static String summary(List<FeedStatus> feeds) {
    Map<FeedStatus.State, Integer> n = new EnumMap<>(FeedStatus.State.class);
    feeds.forEach(f -> n.merge(f.state(), 1, Integer::sum));
    StringBuilder b =
        new StringBuilder().append(feeds.size()).append(feeds.size() == 1 ? " feed" : " feeds");
    n.forEach(
        (state, count) ->
            b.append(" · <span class=\"state state-")
                .append(state.code())
                .append("\">")
                .append(count)
                .append(' ')
                .append(state.code())
                .append("</span>"));
    return b.toString();
  }

  private static String esc(String s) {
    return s == null ? "" : Entities.escape(s);
  }

  private static final String CSS =
      """
      :root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;--warn:#9a6700}
      @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--head:#151b23;--warn:#d29922}}
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:12px}
      h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:14px 0 4px}
      dl.counts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:6px 0}dl.counts div{min-width:150px}dt{color:var(--muted);font-size:12px}dd{margin:0}
      details{margin:4px 0 8px}summary{cursor:pointer}table.sources{width:auto}.generated,.scope,.id,.url,.never{color:var(--muted)}.scope{margin:2px 0;font-size:12px}.generated{margin:2px 0 12px;font-size:12px}
      table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
      th{background:var(--head);position:sticky;top:0}th button{all:unset;cursor:pointer;font-weight:600;white-space:nowrap}
      th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
      .name{display:block;font-weight:600}.not-ready{border:1px solid #cf222e;border-radius:6px;padding:6px 10px;margin:4px 0 10px}.id,.url,.moved,.truncated{display:block;font-size:12px;word-break:break-all}.moved,.truncated{color:var(--warn)}.error{word-break:break-word}
      .state{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-weight:600;white-space:nowrap}
      .state-ok{background:#1a7f37}.state-failing{background:#cf222e}.state-backing-off{background:#bc4c00}
      .state-truncated{background:#9a3412}.state-idle{background:#7d4e00}.state-pending{background:#59636e}
      @media (max-width:760px){#feeds thead{display:none}#feeds,#feeds tbody,#feeds tr,#feeds td{display:block;width:auto}
      tr.feed{border:1px solid var(--line);border-radius:8px;margin:0 0 10px;padding:4px 0}#feeds td{border:0;padding:3px 10px}
      #feeds td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:12px}}
      """;

  /** Sorting on header clicks (kept in the URL fragment across reloads) and the periodic reload. */
  private static final String SCRIPT =
      """
      (function(){
      var table=document.getElementById('feeds'),tbody=table.tBodies[0],ths=table.tHead.rows[0].cells;
      function key(row,col){return row.cells[col].getAttribute('data-sort')||'';}
      function cmp(a,b){var x=parseFloat(a),y=parseFloat(b);
      if(a!==''&&b!==''&&!isNaN(x)&&!isNaN(y)&&String(x)===a&&String(y)===b){return x-y;}
      if(a===''&&b!==''){return 1;}if(b===''&&a!==''){return -1;}return a.localeCompare(b);}
      function sort(col,dir){var rows=Array.prototype.slice.call(tbody.rows);
      rows.sort(function(r1,r2){var c=cmp(key(r1,col),key(r2,col));return dir==='descending'?-c:c;});
      rows.forEach(function(r){tbody.appendChild(r);});
      for(var i=0;i<ths.length;i++){ths[i].setAttribute('aria-sort',i===col?dir:'none');}
      history.replaceState(null,'','#sort='+col+'-'+dir);}
      for(var i=0;i<ths.length;i++){(function(col){ths[col].querySelector('button').addEventListener('click',function(){
      sort(col,ths[col].getAttribute('aria-sort')==='ascending'?'descending':'ascending');});})(i);}
      var m=/^#sort=(\\d+)-(ascending|descending)$/.exec(location.hash);
      if(m&&+m[1]<ths.length){sort(+m[1],m[2]);}
      var details=document.getElementById('normalizer-sources');
      if(details){try{details.open=sessionStorage.getItem('wire-ingest.sources')==='open';
      details.addEventListener('toggle',function(){sessionStorage.setItem('wire-ingest.sources',details.open?'open':'closed');});}catch(e){}}
      setTimeout(function(){location.reload();},%d);
      })();
      """
          .formatted(REFRESH_SECONDS * 1000);
}
