package org.wireingest.cli;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.wireingest.config.ConfigException;
import org.wireingest.config.FeedSource;
import org.wireingest.config.FeedsConfig;
import org.wireingest.config.IdentityPolicy;
import org.wireingest.dedup.Versioning;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchOutcome;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.fetch.Redaction;
import org.wireingest.logging.LogLevels;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.Counted;
import org.wireingest.model.ErrorText;
import org.wireingest.model.FeedState;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Json;
import org.wireingest.model.RawWireItem;
import org.wireingest.normalize.Normalizer;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.PollResult;
import org.wireingest.poll.PollSink;
import org.wireingest.poll.RawItems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wire-ingest check-feed URL|FILE}: fetch, parse and normalise one feed exactly as the
 * service would, and print its article events as JSON lines on stdout (a summary and any problems
 * on stderr). No Kafka involved.
 */
@Command(
    name = "check-feed",
    mixinStandardHelpOptions = true,
    description = {
      "Fetches, parses and normalises one feed and prints its article events as JSON lines (no Kafka).",
      "Exit 0 when the feed is fetched and parsed and its entries normalised (a feed without entries too), 1 when it cannot be fetched or parsed or an entry is not normalised, 2 bad usage (e.g. no such file)."
    })
final class CheckFeedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "URL|FILE",
      description = "An http(s) URL, a file: URL or a local file path.")
  String target;

  @Option(
      names = "--agency",
      paramLabel = "AGENCY",
      defaultValue = "check",
      description = "Agency id the uris are scoped by (default: ${DEFAULT-VALUE}).")
  String agency;

  @Option(
      names = "--language",
      paramLabel = "LANG",
      description = "Default language for entries that state none.")
  String language;

  @Option(
      names = "--identity",
      paramLabel = "POLICY",
      defaultValue = "auto",
      completionCandidates = IdentityPolicyCodes.class,
      description = "Identity policy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  IdentityPolicy identity;

  /** The policies as the feeds list writes them ({@link IdentityPolicy#code}), for the help. */
  static final class IdentityPolicyCodes implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(IdentityPolicy.values()).map(IdentityPolicy::code).iterator();
    }
  }

  @Option(
      names = "--allow-private-addresses",
      description =
          "Let the feed and its redirects reach loopback, link-local, private and CGNAT addresses (refused by default: the SSRF guard).")
  boolean allowPrivateAddresses;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!FeedsConfig.isAgencyId(agency)) {
      throw new ConfigException("--agency: " + FeedsConfig.agencyError(agency));
    }
    language = language == null ? null : language.strip(); // as the feeds list reads it
    if (language != null && !FeedsConfig.isLanguageTag(language)) {
      throw new ConfigException(
          "--language: " + FeedsConfig.LANGUAGE_RULE + " (got '" + language + "')");
    }
    URI url = toUri(target);
    // the URL as output and messages show it: credentials in an http(s) URL (user-info, an API
    // key in the query) are masked, as everywhere the service writes a feed URL
    String shown = url.getScheme().equals("file") ? target : Redaction.url(url);
    FeedSource source =
        new FeedSource(
            "check", shown, agency, url, Duration.ofMinutes(5), language, identity, null);
    List<RawWireItem> items = new ArrayList<>();
    PollSink collect =
        new PollSink() {
          @Override
          public int publish(List<RawWireItem> batch) {
            items.addAll(batch);
            return 0;
          }

          @Override
          public void saveState(FeedState state) {}

          @Override
          public void logFetch(FetchLogRecord record) {}
        };
    Clock clock = Clock.systemUTC();
    PollResult r;
    try (FeedFetcher fetcher =
        new FeedFetcher(
            FetchSettings.defaults().withAllowPrivateAddresses(allowPrivateAddresses))) {
      // The poller's WARNs (the feed failed, moved, its identity degraded) are said below in
      // check-feed's own lines: without them each would be printed twice, once worded for polling.
      r =
          LogLevels.during(
              FeedPoller.class.getName(),
              Level.ERROR,
              () -> new FeedPoller(fetcher, new FeedParser(), collect, clock).poll(source, null));
    }
    if (!r.succeeded()) {
      err.printf("check-feed: %s: %s: %s%n", shown, r.code(), r.message());
      if (FetchOutcome.BLOCKED_ADDRESS.code().equals(r.code())) {
        err.printf("check-feed: %s%n", blockedAddressHint("check-feed"));
      }
      return 1;
    }
    Normalizer normalizer = new Normalizer(clock, Normalizer.DEFAULT_FUTURE_SKEW);
    int printed = 0;
    int failed = 0;
    for (RawWireItem item : items) {
      try {
        ArticleEvent draft = normalizer.normalize(item).withIngestion(clock.instant(), null);
        ArticleEvent event = Versioning.apply(Versioning.decide(null, draft), draft).orElseThrow();
        out.println(Json.MAPPER.writeValueAsString(event));
        printed++;
      } catch (Exception e) {
        if (++failed <= MAX_FAILURE_LINES) {
          err.printf(
              "check-feed: entry %s not normalised: %s%n", item.itemKey(), ErrorText.describe(e));
        }
      }
    }
    out.flush();
    if (failed > MAX_FAILURE_LINES) {
      err.printf(
          "check-feed: ... and %d more entries not normalised (the first %d shown)%n",
          failed - MAX_FAILURE_LINES, MAX_FAILURE_LINES);
    }
    if (!r.warnings().isEmpty()) {
      // Document-level problems (charset, dates, identity) the parser worked around: counted in
      // wire_parser_warnings_total by the poller; an entry's own fallbacks are in its event's
      // warnings.
      StringBuilder w = new StringBuilder();
      r.warnings()
          .forEach(
              (kind, n) ->
                  w.append(w.length() == 0 ? "" : ", ").append(kind).append(n > 1 ? " x" + n : ""));
      err.printf("check-feed: %s: parse warnings: %s%n", shown, w);
      if (r.warnings().containsKey(RawItems.IDENTITY_DEGRADED)
          && r.state() != null
          && r.state().identityReason() != null) {
        err.printf(
            "check-feed: %s: identity: %s; auto identity now uses %s%n",
            shown, r.state().identityReason(), r.state().identityBasis());
      }
    }
    if (r.truncated()) {
      err.printf(
          "check-feed: %s: truncated: the document ends before its last element is closed; its"
              + " complete entries were read (an entry cut short is dropped), anything past the"
              + " cut is lost (a server or proxy that stops at some size?)%n",
          shown);
    }
    if (r.state() != null && r.state().movedTo() != null) {
      err.printf(
          "check-feed: %s: moved permanently (HTTP 301 / 308) to %s: give that URL in the feeds list%n",
          shown, r.state().movedTo());
    }
    // Entries with one identity are versions of one story: the poller keeps the newest
    // (IdentityResolver).
    int merged = r.entriesSeen() - items.size();
    err.printf(
        "check-feed: %s: %s, %s%s, %d not normalised%n",
        shown,
        Counted.of(r.entriesSeen(), "entry", "entries"),
        Counted.of(printed, "article", "articles"),
        merged > 0
            ? " ("
                + Counted.of(merged, "entry", "entries")
                + " merged into another entry's story: same identity, the newest kept)"
            : "",
        failed);
    return failed > 0 || printed == 0 && r.entriesSeen() > 0 ? 1 : 0;
  }

  /**
   * What a {@code blocked-address} failure means and how to lift it, for a command whose feeds are
   * on a local server (a newcomer's first try without internet): the failure itself names only the
   * address and its range.
   */
  static String blockedAddressHint(String command) {
    return "blocked-address: the SSRF guard refuses loopback, private, link-local and CGNAT addresses;"
        + " for a feed served on this machine or the local network, give "
        + command
        + " --allow-private-addresses";
  }

  /** A scheme of two or more characters and a slash: meant as a URL, not a file path. */
  private static final Pattern URL_LIKE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:/");

  /**
   * Entries not normalised that get a line of their own; the rest are counted in one line, so a
   * feed of 100,000 entries without any text does not print 100,000 lines before its summary.
   */
  static final int MAX_FAILURE_LINES = 20;

  private static URI toUri(String target) {
    String lower = target.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
      // read as the feeds list reads its url field: file:relative.xml from the working directory
      return FeedsConfig.feedUrl(target, null);
    }
    Path p = Path.of(target);
    if (!p.toFile().isFile()) {
      if (URL_LIKE.matcher(target).lookingAt()) {
        // a mistyped URL (htps://, ftp://, http:/host) is not a missing file: the feeds list's
        // reading says what is wrong with it (the scheme, the host)
        return FeedsConfig.feedUrl(target, null);
      }
      if (Files.isDirectory(p)) {
        throw new ConfigException(target + " is a directory: give one feed's file or URL");
      }
      throw new ConfigException("no such file: " + target);
    }
    return p.toAbsolutePath().toUri();
  }
}
