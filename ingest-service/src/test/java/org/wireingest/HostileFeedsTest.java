package org.wireingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;
import org.wireingest.fetch.AddressGuard;
import org.wireingest.fetch.FeedFetcher;
import org.wireingest.fetch.FetchSettings;
import org.wireingest.fetch.LocalHttpServer;
import org.wireingest.model.RawWireItem;
import org.wireingest.parse.FeedParser;
import org.wireingest.poll.FeedPoller;
import org.wireingest.poll.InMemoryPollSink;
import org.wireingest.poll.PollResult;
import org.wireingest.poll.PollScheduler;

/**
 * Hostile and broken servers, each polled by {@link PollScheduler#pollOnce()} beside a good feed
 * from the same server: the hostile feed reaches its classified outcome, within the fetch limits (a
 * 1 MiB body cap, a 2 s total deadline), and the good feed is fetched, parsed and published as if
 * nothing had happened.
 *
 * <p>The SSRF guard is on ({@link AddressGuard#PUBLIC_ONLY}), with one exception: the test server's
 * own address, 127.0.0.1, stands for the public host of a feed. Every other non-public address
 * (another loopback address, cloud metadata) is refused by the guard before any connection.
 */
@Timeout(60)
class HostileFeedsTest {

  private static final int CAP = 1024 * 1024;
  private static final long ONE_GIB = 1024L * 1024 * 1024;
  private static final String GOOD_FEED =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel><title>Good wire</title><link>https://good.example.org/</link>
        <item><guid>good-1</guid><title>Ferry timetable changes for winter</title>
          <link>https://good.example.org/news/1</link><pubDate>Mon, 30 Nov 2026 07:30:00 GMT</pubDate></item>
        <item><guid>good-2</guid><title>Fish market reopens after storm</title>
          <link>https://good.example.org/news/2</link><pubDate>Mon, 30 Nov 2026 07:45:00 GMT</pubDate></item>
      </channel></rss>
      """;

  private LocalHttpServer server;
  private FeedFetcher fetcher;
  private final InMemoryPollSink sink = new InMemoryPollSink();

  /** Bytes the streaming routes managed to write before the client hung up. */
  private final AtomicLong written = new AtomicLong();

  @BeforeEach
  void start() throws IOException {
    server = new LocalHttpServer();
    server.on(
        "/good.xml",
        LocalHttpServer.respond(
            200, GOOD_FEED.getBytes(UTF_8), "Content-Type", "application/rss+xml"));
    FetchSettings settings =
        new FetchSettings(
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            CAP,
            3,
            "wire-ingest-test/1",
            false,
            false);
    fetcher =
        new FeedFetcher(
            settings,
            AddressGuard.PUBLIC_ONLY.or(address -> address.getHostAddress().equals("127.0.0.1")));
  }

  @AfterEach
  void stop() {
    fetcher.close();
    server.close();
  }

  /**
   * Polls the hostile feed at {@code path} and the good feed together; asserts the good one went
   * through.
   */
  private PollResult pollBesideAGoodFeed(String path) throws InterruptedException {
    FeedSource hostile = source("hostile", path);
    FeedSource good = source("good", "/good.xml");
    List<PollResult> results;
    try (PollScheduler scheduler =
        new PollScheduler(
            List.of(hostile, good),
            Map.of(),
            new FeedPoller(fetcher, new FeedParser(), sink, Clock.systemUTC()),
            4,
            4,
            Clock.systemUTC(),
            result -> {})) {
      results = scheduler.pollOnce();
    }
    assertThat(results.get(1))
        .satisfies(
            result -> {
              assertThat(result.outcome()).isEqualTo(PollResult.Outcome.OK);
              assertThat(result.published()).isEqualTo(2);
            });
    assertThat(sink.items()).filteredOn(item -> item.source().id().equals("good")).hasSize(2);
    return results.get(0);
  }

  private FeedSource source(String id, String path) {
    return TestFeeds.feed(id).agency("hostile-test").url(server.uri(path)).build();
  }

  private List<RawWireItem> itemsOf(String sourceId) {
    return sink.items().stream().filter(item -> item.source().id().equals(sourceId)).toList();
  }

  /**
   * Streams {@code total} bytes of {@code fill} in 64 KiB writes, counting them, until done or the
   * client hangs up.
   */
  private void stream(OutputStream out, byte fill, long total) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, fill);
    for (long sent = 0; sent < total; sent += chunk.length) {
      out.write(chunk);
      written.addAndGet(chunk.length);
    }
  }

  @Test
  void shouldCutOffADripFeedAtTheTotalDeadline() throws InterruptedException {
    server.on(
        "/drip",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            // a byte every 200 ms: each read is in time, the whole body never is
            for (int i = 0; i < 300; i++) {
              out.write('<');
              out.flush();
              Thread.sleep(200);
            }
          }
        });

    PollResult hostile = pollBesideAGoodFeed("/drip");

    assertThat(hostile.code()).isEqualTo("timeout");
  }

  @Test
  void shouldStopAGzipBombAtTheDecompressedCap() throws InterruptedException {
    server.on(
        "/bomb",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Encoding", "gzip");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream gzip = new GZIPOutputStream(exchange.getResponseBody())) {
            stream(gzip, (byte) ' ', ONE_GIB); // about 1 MiB on the wire, 1 GiB decompressed
          }
        });

    PollResult hostile = pollBesideAGoodFeed("/bomb");

    assertThat(hostile.code()).isEqualTo("too-large");
    assertThat(written.get()).isLessThan(ONE_GIB / 4);
  }

  @Test
  void shouldStopAOneGibibyteBodyAtTheCapWithoutReadingIt() throws InterruptedException {
    server.on(
        "/huge",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse up front
          try (OutputStream out = exchange.getResponseBody()) {
            stream(out, (byte) 'x', ONE_GIB);
          }
        });

    PollResult hostile = pollBesideAGoodFeed("/huge");

    assertThat(hostile.code()).isEqualTo("too-large");
    assertThat(written.get()).isLessThan(ONE_GIB / 4);
  }

  @Test
  void shouldRefuseADeclaredOneGibibyteBodyBeforeReadingIt() throws InterruptedException {
    server.on(
        "/huge-declared",
        exchange -> {
          exchange.sendResponseHeaders(200, ONE_GIB);
          try (OutputStream out = exchange.getResponseBody()) {
            stream(out, (byte) 'x', ONE_GIB);
          }
        });

    PollResult hostile = pollBesideAGoodFeed("/huge-declared");

    assertThat(hostile.code()).isEqualTo("too-large");
    assertThat(hostile.message()).contains("Content-Length");
  }

  @Test
  void shouldGiveUpOnARedirectLoop() throws InterruptedException {
    server
        .on("/loop-a", LocalHttpServer.respond(302, "Location", "/loop-b"))
        .on("/loop-b", LocalHttpServer.respond(302, "Location", "/loop-a"));

    PollResult hostile = pollBesideAGoodFeed("/loop-a");

    assertThat(hostile.code()).isEqualTo("too-many-redirects");
  }

  @Test
  void shouldRefuseARedirectToALoopbackAddress() throws InterruptedException {
    server.on(
        "/to-loopback",
        exchange ->
            LocalHttpServer.respond(
                    302, "Location", "http://127.0.0.2:" + server.port() + "/good.xml")
                .handle(exchange));

    PollResult hostile = pollBesideAGoodFeed("/to-loopback");

    assertThat(hostile.code()).isEqualTo("blocked-address");
    assertThat(hostile.message()).contains("loopback 127.0.0.0/8");
    assertThat(itemsOf("hostile")).isEmpty();
  }

  @Test
  void shouldRefuseARedirectToTheCloudMetadataAddress() throws InterruptedException {
    server.on(
        "/to-metadata",
        LocalHttpServer.respond(
            302, "Location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"));

    PollResult hostile = pollBesideAGoodFeed("/to-metadata");

    assertThat(hostile.code()).isEqualTo("blocked-address");
    assertThat(hostile.message()).contains("169.254.169.254").contains("cloud metadata");
  }

  @Test
  void shouldNeverReadAFileNamedByAnExternalEntity(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-4711");
    String xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [ <!ENTITY xxe SYSTEM \""
            + secret.toUri()
            + "\"> ]>\n"
            + "<rss version=\"2.0\"><channel><title>t</title><link>https://hostile.example.org/</link>"
            + "<item><guid>x-1</guid><title>leak: &xxe;</title><description>&xxe;</description></item></channel></rss>";
    server.on("/xxe", LocalHttpServer.respond(200, xxe.getBytes(UTF_8)));

    PollResult hostile = pollBesideAGoodFeed("/xxe");

    assertThat(hostile.outcome()).isEqualTo(PollResult.Outcome.OK);
    assertThat(itemsOf("hostile"))
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.entry().title()).isEqualTo("leak: &xxe;");
              assertThat(item.toString()).doesNotContain("TOP-SECRET-4711");
            });
  }

  @Test
  void shouldNeverExpandBillionLaughs() throws InterruptedException {
    StringBuilder doctype = new StringBuilder("<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n");
    for (int i = 1; i <= 9; i++) {
      String previous = i == 1 ? "&lol;" : "&lol" + (i - 1) + ";";
      doctype
          .append(" <!ENTITY lol")
          .append(i)
          .append(" \"")
          .append(previous.repeat(10))
          .append("\">\n");
    }
    String laughs =
        "<?xml version=\"1.0\"?>\n"
            + doctype
            + "]>\n"
            + "<rss version=\"2.0\"><channel><title>t</title><link>https://hostile.example.org/</link>"
            + "<item><guid>lol-1</guid><title>&lol9;</title></item></channel></rss>";
    server.on("/lol", LocalHttpServer.respond(200, laughs.getBytes(UTF_8)));

    PollResult hostile = pollBesideAGoodFeed("/lol");

    assertThat(hostile.succeeded()).isTrue();
    assertThat(itemsOf("hostile"))
        .allSatisfy(item -> assertThat(item.entry().title()).hasSizeLessThan(100));
  }

  @Test
  void shouldClassifyAnHtmlPageAsNotAFeed() throws InterruptedException {
    byte[] page =
        "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>...</form></body></html>"
            .getBytes(UTF_8);
    server.on(
        "/login", LocalHttpServer.respond(200, page, "Content-Type", "text/html; charset=utf-8"));

    PollResult hostile = pollBesideAGoodFeed("/login");

    assertThat(hostile.outcome()).isEqualTo(PollResult.Outcome.FAILED);
    assertThat(hostile.code()).isEqualTo("not-a-feed");
  }

  @Test
  void shouldRefuseAFeedUrlThatResolvesToLoopbackWithTheDefaultGuard() throws InterruptedException {
    fetcher.close();
    fetcher = new FeedFetcher(FetchSettings.defaults());
    FeedSource local =
        TestFeeds.feed("local")
            .agency("hostile-test")
            .url("http://localhost:" + server.port() + "/good.xml")
            .build();

    PollResult result =
        new FeedPoller(fetcher, new FeedParser(), sink, Clock.systemUTC()).poll(local, null);

    assertThat(result.code()).isEqualTo("blocked-address");
    assertThat(server.received()).isEmpty();
  }
}
