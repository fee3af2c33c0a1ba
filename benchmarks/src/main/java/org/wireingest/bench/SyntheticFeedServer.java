package org.wireingest.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

/**
 * A local HTTP server of N synthetic RSS 2.0 feeds for the poller benchmarks, at {@code
 * /feeds/<n>.xml} ({@code n} from 0). Each feed holds its latest {@code itemsPerFeed} items (title,
 * link, GUID, pubDate, author, category, a few HTML paragraphs: about 1 KB each); a response
 * carries a strong {@code ETag} of the feed's version and a {@code If-None-Match} equal to it is
 * answered {@code 304}. Per request, independently:
 *
 * <ul>
 *   <li>with probability {@code slowShare}, the answer is held for a uniform {@code slowMin} to
 *       {@code slowMax} (a slow publisher);
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
   */
  record Config(
      int feeds,
      int itemsPerFeed,
      double slowShare,
      Duration slowMin,
      Duration slowMax,
      double changeShare,
      int threads) {}

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
    long latest; // sequence number of the newest item; items latest-k+1 .. latest are listed
    final long[] createdMillis;

    Feed(int n, int items, long now) {
      this.n = n;
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
      feeds[i] = new Feed(i, config.itemsPerFeed(), now);
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
   *     generated}, {@code 404}
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
      if (random.nextDouble() < config.slowShare()) {
        count("slow");
        long min = config.slowMin().toMillis();
        long hold = min + random.nextLong(Math.max(1, config.slowMax().toMillis() - min + 1));
        try {
          Thread.sleep(hold);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      Feed f = feeds[n];
      long latest;
      long[] times = new long[config.itemsPerFeed()];
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
        count("304");
        ex.sendResponseHeaders(304, -1);
        return;
      }
      byte[] body = render(n, latest, times);
      ex.getResponseHeaders().set("Content-Type", "application/rss+xml; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
      count("200");
    }
  }

  /**
   * The feed document: items {@code latest} down to {@code latest - times.length + 1}, newest
   * first.
   */
  private static byte[] render(int n, long latest, long[] times) {
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
      int paragraphs = 2 + r.nextInt(3);
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
