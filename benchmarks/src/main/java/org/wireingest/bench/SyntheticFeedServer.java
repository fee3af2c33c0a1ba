package org.wireingest.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;

/**
 * A local HTTP server of N synthetic RSS 2.0 feeds for the poller benchmarks, at {@code
 * /feeds/<n>.xml} ({@code n} from 0). Each feed holds its latest {@code itemsPerFeed} items (title,
 * link, GUID, pubDate, author, category, a few HTML paragraphs: about 1 KB each, some 20 KB a
 * document of 20); a response carries a strong {@code ETag} of the feed's version and a {@code
 * If-None-Match} equal to it is answered {@code 304}.
 *
 * <p>Per feed, fixed for the server's life (drawn from the feed's number, so every run picks the
 * same feeds), independently:
 *
 * <ul>
 *   <li>with probability {@code largeShare}, the feed is large: it lists {@value #LARGE_ITEMS}
 *       items of about twice the size (more paragraphs), about 300 KiB a document, like the largest
 *       agency feeds of the shared corpus (Guardian world 259 KB / 95 items, Indian Express world
 *       316 KB / 200 items);
 *   <li>with probability {@code gzipShare}, its server compresses: a {@code 200} to a request whose
 *       {@code Accept-Encoding} accepts {@code gzip} (RFC 9110 §12.5.3) carries the document
 *       gzip-encoded ({@code Content-Encoding: gzip}, {@code Vary: Accept-Encoding}), streamed
 *       chunked without a {@code Content-Length}, as servers that compress on the fly (nginx's
 *       {@code gzip on}) send it. Other answers carry the document as it is, with its {@code
 *       Content-Length}.
 * </ul>
 *
 * <p>Per request, independently:
 *
 * <ul>
 *   <li>with probability {@code slowShare}, the answer takes a uniform {@code slowMin} to {@code
 *       slowMax} (a slow publisher): a small feed's answer is held that long before its headers; a
 *       large feed's {@code 200} sends its headers at once and its body in {@value #SLOW_SLICES}
 *       slices spread over that time (a slow transfer, during which the poller already holds the
 *       body's first bytes), its {@code 304} is held like a small feed's;
 *   <li>with probability {@code changeShare}, the feed gets one new item first (so the answer is a
 *       {@code 200} with a changed body).
 * </ul>
 *
 * <p>{@link #startGenerator} instead adds new items at a fixed total rate, to random feeds, and
 * records each one's creation time by GUID ({@link #createdAt}). The server listens on every
 * interface (the wildcard address), so that any 127.x.y.z loopback address reaches it: feeds spread
 * over many such addresses count as many hosts for the poller's per-host limit. Thread-safe.
 */
final class SyntheticFeedServer implements AutoCloseable {

  /**
   * @param feeds number of feeds
   * @param itemsPerFeed items listed per feed document
   * @param slowShare share of requests held for {@code slowMin}..{@code slowMax}
   * @param slowMin shortest hold
   * @param slowMax longest hold
   * @param changeShare share of requests that first add an item to the feed
   * @param threads HTTP worker threads (slow answers hold one each)
   * @param gzipShare share of feeds whose answers are gzip-encoded when the request accepts it
   * @param largeShare share of feeds that are large ({@value #LARGE_ITEMS} longer items)
   * @throws IllegalArgumentException when a share is not between 0 and 1
   */
  record Config(
      int feeds,
      int itemsPerFeed,
      double slowShare,
      Duration slowMin,
      Duration slowMax,
      double changeShare,
      int threads,
      double gzipShare,
      double largeShare) {
    Config {
      requireShare("slow-share", slowShare);
      requireShare("change-share", changeShare);
      requireShare("gzip-share", gzipShare);
      requireShare("large-share", largeShare);
    }

    private static void requireShare(String name, double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException(
            "--" + name + " must be a share between 0 and 1, was " + share);
      }
    }
  }

  /** Items a large feed lists: {@value}. */
  static final int LARGE_ITEMS = 140;

  /** Slices a slow large body is sent in: {@value}. */
  static final int SLOW_SLICES = 16;

  private static final DateTimeFormatter RFC_1123 =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final String[] WORDS =
      ("government minister talks agreement border election parliament court ruling economy inflation bank rates "
              + "storm flooding rescue officials report police investigation summit leaders trade exports energy prices "
              + "health hospital vaccine study scientists climate emissions market shares investors company profit "
              + "strike workers union protest capital city region president opposition vote budget deficit ceasefire")
          .split(" ");

  private final Config config;
  private final Feed[] feeds;
  private final HttpServer server;
  private final ExecutorService workers;
  private final ScheduledExecutorService generator =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "feed-generator"));
  private final Map<String, Instant> created = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /**
   * One feed: its item sequence numbers and creation times (a ring of the latest ones). Guarded by
   * itself.
   */
  private static final class Feed {
    final int n;
    final boolean large;
    final boolean gzip;
    long latest; // sequence number of the newest item; items latest-k+1 .. latest are listed
    final long[] createdMillis;

    Feed(int n, int items, boolean large, boolean gzip, long now) {
      this.n = n;
      this.large = large;
      this.gzip = gzip;
      this.createdMillis = new long[items];
      for (int i = 0; i < items; i++) {
        add(now - (items - i) * 300_000L); // one every five minutes before the start
      }
    }

    void add(long at) {
      latest++;
      createdMillis[(int) (latest % createdMillis.length)] = at;
    }
  }

  private SyntheticFeedServer(Config config, HttpServer server, ExecutorService workers) {
    this.config = config;
    this.server = server;
    this.workers = workers;
    long now = System.currentTimeMillis();
    this.feeds = new Feed[config.feeds()];
    for (int i = 0; i < feeds.length; i++) {
      // two independent draws per feed, the same in every run
      SplittableRandom r = new SplittableRandom(i);
      boolean large = r.nextDouble() < config.largeShare();
      boolean gzip = r.nextDouble() < config.gzipShare();
      feeds[i] = new Feed(i, large ? LARGE_ITEMS : config.itemsPerFeed(), large, gzip, now);
    }
  }

  /**
   * @param config the feeds and their behaviour
   * @return a started server on a free port of the wildcard address
   * @throws IOException when it cannot listen
   */
  static SyntheticFeedServer start(Config config) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(0), 4096);
    AtomicInteger n = new AtomicInteger();
    ExecutorService workers =
        Executors.newFixedThreadPool(
            config.threads(), r -> daemon(r, "feed-http-" + n.incrementAndGet()));
    SyntheticFeedServer s = new SyntheticFeedServer(config, http, workers);
    http.createContext("/feeds/", s::handle);
    http.setExecutor(workers);
    http.start();
    return s;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * @return the port listened on
   */
  int port() {
    return server.getAddress().getPort();
  }

  /**
   * Adds new items at {@code perSecond} in total, each to a random feed, from now until {@link
   * #close()}.
   *
   * @param perSecond items per second, positive
   */
  void startGenerator(double perSecond) {
    long tickMs = 10;
    double perTick = perSecond * tickMs / 1000.0;
    double[] owed = {0};
    generator.scheduleAtFixedRate(
        () -> {
          owed[0] += perTick;
          while (owed[0] >= 1) {
            owed[0] -= 1;
            Feed f = feeds[ThreadLocalRandom.current().nextInt(feeds.length)];
            long now = System.currentTimeMillis();
            String guid;
            synchronized (f) {
              f.add(now);
              guid = guid(f.n, f.latest);
            }
            created.put(guid, Instant.ofEpochMilli(now));
            count("generated");
          }
        },
        tickMs,
        tickMs,
        TimeUnit.MILLISECONDS);
  }

  /** Stops adding items (the server keeps answering). */
  void stopGenerator() {
    generator.shutdownNow();
  }

  /**
   * @param guid an item's GUID
   * @return when {@link #startGenerator}'s generator created it; null for other items
   */
  Instant createdAt(String guid) {
    return created.get(guid);
  }

  /**
   * @return counters so far: {@code 200}, {@code 304}, {@code changed}, {@code slow}, {@code
   *     generated}, {@code 404}, and of the {@code 200}s: {@code gzip} (gzip-encoded), {@code
   *     large} (of a large feed)
   */
  Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private void count(String what) {
    counts.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  static String guid(int feed, long seq) {
    return "urn:bench:feed-" + feed + ":item-" + seq;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      int n = -1;
      if (path.startsWith("/feeds/") && path.endsWith(".xml")) {
        try {
          n = Integer.parseInt(path.substring("/feeds/".length(), path.length() - ".xml".length()));
        } catch (NumberFormatException e) {
          n = -1;
        }
      }
      if (n < 0 || n >= feeds.length) {
        count("404");
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ThreadLocalRandom random = ThreadLocalRandom.current();
      Feed f = feeds[n];
      long slowMillis = 0;
      if (random.nextDouble() < config.slowShare()) {
        count("slow");
        long min = config.slowMin().toMillis();
        slowMillis = min + random.nextLong(Math.max(1, config.slowMax().toMillis() - min + 1));
        // a large feed's 200 spreads its body over the time instead (below)
        if (!f.large && !pause(slowMillis)) {
          return;
        }
      }
      long latest;
      long[] times = new long[f.createdMillis.length];
      synchronized (f) {
        if (random.nextDouble() < config.changeShare()) {
          f.add(System.currentTimeMillis());
          count("changed");
        }
        latest = f.latest;
        for (int i = 0; i < times.length; i++) {
          times[i] = f.createdMillis[(int) ((latest - i) % times.length)];
        }
      }
      String etag = "\"v" + latest + "\"";
      ex.getResponseHeaders().set("ETag", etag);
      if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
        if (f.large && slowMillis > 0 && !pause(slowMillis)) {
          return;
        }
        count("304");
        ex.sendResponseHeaders(304, -1);
        return;
      }
      byte[] body = render(n, latest, times, f.large);
      ex.getResponseHeaders().set("Content-Type", "application/rss+xml; charset=utf-8");
      boolean gzip = f.gzip && acceptsGzip(ex.getRequestHeaders().get("Accept-Encoding"));
      if (f.gzip) {
        ex.getResponseHeaders().set("Vary", "Accept-Encoding");
      }
      if (gzip) {
        body = gzip(body);
        ex.getResponseHeaders().set("Content-Encoding", "gzip");
        ex.sendResponseHeaders(200, 0); // chunked
        count("gzip");
      } else {
        ex.sendResponseHeaders(200, body.length);
      }
      try (OutputStream out = ex.getResponseBody()) {
        if (f.large && slowMillis > 0) {
          if (!writeSlowly(out, body, slowMillis)) {
            return;
          }
        } else {
          out.write(body);
        }
      }
      count("200");
      if (f.large) {
        count("large");
      }
    }
  }

  /**
   * Sleeps {@code millis}.
   *
   * @return false when interrupted (the server is closing), with the interrupt flag set
   */
  private static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Writes {@code body} in {@value #SLOW_SLICES} slices, each flushed after a pause of a {@value
   * #SLOW_SLICES}th of {@code millis}, so that the last one leaves after about {@code millis}.
   *
   * @return false when interrupted (the server is closing)
   */
  private static boolean writeSlowly(OutputStream out, byte[] body, long millis)
      throws IOException {
    for (int i = 0; i < SLOW_SLICES; i++) {
      if (!pause(millis / SLOW_SLICES)) {
        return false;
      }
      int from = (int) ((long) body.length * i / SLOW_SLICES);
      int to = (int) ((long) body.length * (i + 1) / SLOW_SLICES);
      out.write(body, from, to - from);
      out.flush();
    }
    return true;
  }

  /**
   * Whether an {@code Accept-Encoding} field (RFC 9110 §12.5.3) accepts {@code gzip}: it names
   * {@code gzip}, {@code x-gzip} or {@code *} with a weight above 0. Every line of the field counts
   * (a list split over several lines).
   *
   * @param lines the field's lines; null when absent (then only the identity is sent)
   */
  static boolean acceptsGzip(List<String> lines) {
    if (lines == null) {
      return false;
    }
    for (String line : lines) {
      for (String member : line.split(",")) {
        String[] parts = member.split(";");
        String coding = parts[0].strip().toLowerCase(Locale.ROOT);
        if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
          continue;
        }
        double weight = 1;
        for (int i = 1; i < parts.length; i++) {
          String p = parts[i].strip().toLowerCase(Locale.ROOT);
          if (p.startsWith("q=")) {
            try {
              weight = Double.parseDouble(p.substring(2).strip());
            } catch (NumberFormatException e) {
              weight = 0; // an unreadable weight: not taken as acceptance
            }
          }
        }
        if (weight > 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * @return {@code body} gzip-encoded (RFC 1952)
   */
  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(body.length / 3 + 64);
    try (GZIPOutputStream out = new GZIPOutputStream(b)) {
      out.write(body);
    }
    return b.toByteArray();
  }

  /**
   * The feed document: items {@code latest} down to {@code latest - times.length + 1}, newest
   * first; a large feed's items have 5 to 8 paragraphs, others 2 to 4.
   */
  static byte[] render(int n, long latest, long[] times, boolean large) {
    StringBuilder b = new StringBuilder(1_200 * times.length + 400);
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>")
        .append("<title>Bench wire ")
        .append(n)
        .append("</title>")
        .append("<link>https://news.bench.example/")
        .append(n)
        .append("/</link>")
        .append("<description>Synthetic news feed ")
        .append(n)
        .append(" for the poller benchmarks</description>")
        .append("<language>en</language>");
    for (int i = 0; i < times.length; i++) {
      long seq = latest - i;
      if (seq < 1) {
        break;
      }
      SplittableRandom r = new SplittableRandom(n * 1_000_003L + seq);
      String link = "https://news.bench.example/" + n + "/story/" + seq;
      b.append("<item><title>")
          .append(words(r, 8 + r.nextInt(6)))
          .append("</title>")
          .append("<link>")
          .append(link)
          .append("</link>")
          .append("<guid isPermaLink=\"false\">")
          .append(guid(n, seq))
          .append("</guid>")
          .append("<pubDate>")
          .append(RFC_1123.format(Instant.ofEpochMilli(times[i])))
          .append("</pubDate>")
          .append("<author>desk")
          .append(r.nextInt(40))
          .append("@bench.example (Desk ")
          .append(r.nextInt(40))
          .append(")</author>")
          .append("<category>")
          .append(WORDS[r.nextInt(WORDS.length)])
          .append("</category>")
          .append("<description><![CDATA[");
      int paragraphs = large ? 5 + r.nextInt(4) : 2 + r.nextInt(3);
      for (int p = 0; p < paragraphs; p++) {
        b.append("<p>").append(words(r, 25 + r.nextInt(20))).append(".</p>");
      }
      b.append("]]></description></item>");
    }
    b.append("</channel></rss>\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String words(SplittableRandom r, int count) {
    StringBuilder b = new StringBuilder(count * 8);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        b.append(' ');
      }
      String w = WORDS[r.nextInt(WORDS.length)];
      b.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
    }
    return b.toString();
  }

  @Override
  public void close() {
    generator.shutdownNow();
    server.stop(0);
    workers.shutdownNow();
  }
}
