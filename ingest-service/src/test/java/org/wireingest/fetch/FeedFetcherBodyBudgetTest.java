package org.wireingest.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.wireingest.fetch.FetchResult.Failed;
import org.wireingest.fetch.FetchResult.Fetched;
import org.wireingest.testing.Await;

/**
 * {@link FeedFetcher#fetch(FetchRequest, BodyBudget.Claim)} against a real HTTP server: what a
 * fetch reserves in the body memory budget, and that every outcome but a body gives it all back.
 */
@Timeout(30)
class FeedFetcherBodyBudgetTest {

  private static final int CAP = 1 << 20;
  private static final long MIB = 1L << 20;

  private LocalHttpServer server;
  private FeedFetcher fetcher;
  private final BodyBudget budget = new BodyBudget(2 * MIB);

  @BeforeEach
  void start() throws IOException {
    server = new LocalHttpServer();
    fetcher = new FeedFetcher(settings(Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    fetcher.close();
    server.close();
  }

  private static FetchSettings settings(Duration deadline) {
    return new FetchSettings(
        Duration.ofSeconds(2), Duration.ofSeconds(2), deadline, CAP, 3, "test/1", true, true);
  }

  private static byte[] body(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'x');
    return body;
  }

  private FetchResult fetch(String path, BodyBudget.Claim claim) {
    return fetcher.fetch(FetchRequest.of(server.uri(path)), claim);
  }

  @Test
  void shouldKeepABodysDeclaredLengthReservedUntilTheCallerClosesItsClaim() {
    server.on("/feed", LocalHttpServer.respond(200, body(400_000)));
    BodyBudget.Claim claim = budget.claim();

    FetchResult result = fetch("/feed", claim);

    assertThat(result).isInstanceOf(Fetched.class);
    assertThat(claim.bytes()).isEqualTo(400_000);
    assertThat(budget.reservedBytes()).isEqualTo(400_000);
    claim.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void shouldReadABodyWithinItsFirstChunkWithoutAReservation() throws InterruptedException {
    server.on("/feed", LocalHttpServer.respond(200, body(100_000)));
    BodyBudget.Claim other = budget.claim();
    other.reserve(2 * MIB, System.nanoTime()); // the whole budget: no room left

    FetchResult result = fetch("/feed", budget.claim());

    assertThat(result).isInstanceOf(Fetched.class);
    assertThat(budget.waits()).isZero();
    other.close();
  }

  /** With a cap of 1 MiB, a body of unknown length reserves it all: the least estimate is 1 MiB. */
  @Test
  void shouldKeepTheReservationOfABodyOfUnknownLengthUntilItIsRead() throws Exception {
    CountDownLatch reservedSeen = new CountDownLatch(1);
    server.on(
        "/feed",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked: no declared length
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body(300_000)); // past the first 256 KiB, read without a reservation
            out.flush();
            reservedSeen.await(10, TimeUnit.SECONDS);
            out.write(body(10_000));
          }
        });
    BodyBudget.Claim claim = budget.claim();

    CompletableFuture<FetchResult> result =
        CompletableFuture.supplyAsync(() -> fetch("/feed", claim));
    Await.until(
        "the least estimate (here the cap) reserved while reading",
        Duration.ofSeconds(10),
        () -> budget.reservedBytes() == CAP);
    reservedSeen.countDown();

    assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(Fetched.class);
    assertThat(budget.reservedBytes()).isEqualTo(310_000);
    claim.close();
  }

  @Test
  void shouldGiveTheReservationBackWhenTheBodyGoesOverTheCap() {
    server.on("/feed", LocalHttpServer.chunked(body(CAP + 1)));
    BodyBudget.Claim claim = budget.claim();

    FetchResult result = fetch("/feed", claim);

    assertThat(result.outcome()).isEqualTo(FetchOutcome.TOO_LARGE);
    assertThat(budget.reservedBytes()).isZero();
    assertThat(claim.bytes()).isZero();
  }

  @Test
  void shouldGiveTheReservationBackWhenTheBodyStalls() {
    server.on(
        "/feed",
        exchange -> {
          exchange.sendResponseHeaders(200, 600_000);
          OutputStream out = exchange.getResponseBody();
          out.write(body(300_000));
          out.flush();
          Thread.sleep(5_000); // past the 2 s read timeout
          out.close();
        });
    BodyBudget.Claim claim = budget.claim();

    FetchResult result = fetch("/feed", claim);

    assertThat(result.outcome()).isEqualTo(FetchOutcome.TIMEOUT);
    assertThat(budget.reservedBytes()).isZero();
  }

  @Test
  void shouldReserveNothingForAnErrorStatusOrADeclaredLengthOverTheCap() {
    server.on("/missing", LocalHttpServer.respond(404, "<html>gone</html>".getBytes(UTF_8)));
    server.on("/huge", LocalHttpServer.respond(200, body(CAP + 1)));

    assertThat(fetch("/missing", budget.claim()).outcome()).isEqualTo(FetchOutcome.NOT_FOUND);
    assertThat(fetch("/huge", budget.claim()).outcome()).isEqualTo(FetchOutcome.TOO_LARGE);

    assertThat(budget.reservedBytes()).isZero();
    assertThat(budget.waits()).isZero();
  }

  @Test
  void shouldFailAsATimeoutWhenNoRoomFreesUpBeforeTheDeadline() throws InterruptedException {
    fetcher.close();
    fetcher = new FeedFetcher(settings(Duration.ofMillis(500)));
    server.on("/feed", LocalHttpServer.respond(200, body(400_000)));
    BodyBudget.Claim other = budget.claim();
    other.reserve(2 * MIB, System.nanoTime());

    FetchResult result = fetch("/feed", budget.claim());

    assertThat(result.outcome()).isEqualTo(FetchOutcome.TIMEOUT);
    assertThat(((Failed) result).message())
        .contains("ran out waiting for room for a body", "body memory budget (2.0 MiB");
    assertThat(budget.timeouts()).isEqualTo(1);
    assertThat(budget.reservedBytes()).isEqualTo(2 * MIB);
    other.close();
  }

  /**
   * The Javadoc promised an IllegalStateException for a claim that is not empty, but only a body
   * past its first chunk looked: a small body's fetch went through and its shrink gave back part of
   * the earlier reservation, which the budget then counted as free while it was still in use.
   */
  @Test
  void shouldRefuseAClaimThatAlreadyHoldsAReservationWhateverTheBodysSize()
      throws InterruptedException {
    server.on("/feed", LocalHttpServer.respond(200, body(100_000)));
    BodyBudget.Claim used = budget.claim();
    used.reserve(MIB, System.nanoTime());

    assertThatThrownBy(() -> fetch("/feed", used))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("claim");
    assertThat(budget.reservedBytes()).isEqualTo(MIB);
    used.close();
  }

  /** The default cap, 20 MiB, far over a budget of 4 MiB: what the estimate saves. */
  private static final long DEFAULT_CAP = 20 * MIB;

  private static FeedFetcher fetcherWithTheDefaultCap() {
    return new FeedFetcher(
        new FetchSettings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            DEFAULT_CAP,
            3,
            "test/1",
            true,
            true));
  }

  /** Feed-like text of {@code size} bytes that gzip compresses about as a real feed: 3 to 4 ×. */
  private static byte[] text(int size) {
    String[] words = {
      "minister", "said", "on", "Tuesday", "the", "talks", "would", "resume", "in", "Ankara",
      "after", "a", "ceasefire", "agreed", "by", "both", "sides", "late", "last", "night"
    };
    Random random = new Random(size);
    StringBuilder text = new StringBuilder(size + 16);
    while (text.length() < size) {
      text.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(' ');
    }
    return text.substring(0, size).getBytes(UTF_8);
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    }
    return out.toByteArray();
  }

  /**
   * A route that sends {@code body} gzip-compressed and chunked (no declared decoded length): the
   * first {@code firstPart} of its compressed bytes (more than 256 KiB decoded), then, once {@code
   * reservedNow} holds for the budget's reserved bytes, what they were, kept in {@code seen}, and
   * the rest.
   */
  private static LocalHttpServer.Route gzipInTwoParts(
      byte[] body, double firstPart, BodyBudget budget, LongPredicate reservedNow, List<Long> seen)
      throws IOException {
    byte[] compressed = gzip(body);
    int first = (int) (compressed.length * firstPart);
    return exchange -> {
      exchange.getResponseHeaders().add("Content-Encoding", "gzip");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(compressed, 0, first);
        out.flush();
        Await.until(
            "a reservation while the body streams",
            Duration.ofSeconds(10),
            () -> reservedNow.test(budget.reservedBytes()));
        seen.add(budget.reservedBytes());
        out.write(compressed, first, compressed.length - first);
      }
    };
  }

  /** A fetch of {@code url} whose feed's last body was {@code bytes}; null: its first fetch. */
  private static FetchRequest lastBodyWas(URI url, Long bytes) {
    return FetchRequest.of(url).withExpectedBodyBytes(bytes);
  }

  /**
   * A gzip body reserved the whole cap (20 MiB, clamped to the budget) until read, however small
   * its feed's bodies are, so one such body took a 4 MiB budget and every other large body waited.
   * With its feed's last length known, it reserves twice that.
   */
  @Test
  void shouldReserveTwiceTheFeedsLastBodyForACompressedBodyNotTheCap() throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] body = text(1_000_000);
    List<Long> reservedWhileStreaming = new CopyOnWriteArrayList<>();
    server.on("/feed", gzipInTwoParts(body, 0.5, small, r -> r > 0, reservedWhileStreaming));
    BodyBudget.Claim claim = small.claim();

    FetchResult result;
    try (FeedFetcher capped = fetcherWithTheDefaultCap()) {
      result = capped.fetch(lastBodyWas(server.uri("/feed"), 1_000_000L), claim);
    }

    assertThat(result).isInstanceOf(Fetched.class);
    assertThat(((Fetched) result).body()).isEqualTo(body);
    assertThat(reservedWhileStreaming).containsExactly(2_000_000L);
    assertThat(claim.bytes()).isEqualTo(body.length);
    assertThat(small.waits()).isZero();
    assertThat(small.outgrown()).isZero();
    claim.close();
  }

  /**
   * Regression: a feed's first gzip body since the poller started (no last body to go by: every
   * feed's after a restart) reserved the whole 20 MiB cap, clamped to the budget, from its 256th
   * KiB to its end, so in the stress scale run (25 % of feeds ~300 KiB decoded, 80 % gzip) 933
   * polls of the warm-up waited for room, 154 s in all, and none once each feed had a last body. It
   * reserves the 1 MiB floor instead.
   */
  @Test
  void shouldReserveTheLeastEstimateNotTheCapForAFeedsFirstGzipBody() throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] body = text(300_000);
    List<Long> reservedWhileStreaming = new CopyOnWriteArrayList<>();
    // 97 % of the compressed bytes decode past the first 256 KiB, read without a reservation
    server.on("/feed", gzipInTwoParts(body, 0.97, small, r -> r > 0, reservedWhileStreaming));
    BodyBudget.Claim claim = small.claim();

    FetchResult result;
    try (FeedFetcher capped = fetcherWithTheDefaultCap()) {
      result = capped.fetch(lastBodyWas(server.uri("/feed"), null), claim);
    }

    assertThat(result).isInstanceOf(Fetched.class);
    assertThat(((Fetched) result).body()).isEqualTo(body);
    assertThat(reservedWhileStreaming).containsExactly(MIB);
    assertThat(small.waits()).isZero();
    assertThat(small.outgrown()).isZero();
    assertThat(claim.bytes()).isEqualTo(body.length);
    claim.close();
  }

  /**
   * A feed's first body that finds no room for its 1 MiB times out naming that estimate and why it
   * is 1 MiB, not "from its feed's last body" (there is none) nor the cap it does not reserve.
   */
  @Test
  void shouldNameTheLeastEstimateWhenAFeedsFirstBodyFindsNoRoom() throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    BodyBudget.Claim other = small.claim();
    other.reserve(4 * MIB, System.nanoTime()); // the whole budget, never closed while it runs
    server.on("/feed", LocalHttpServer.chunked(gzip(text(300_000)), "Content-Encoding", "gzip"));
    BodyBudget.Claim claim = small.claim();

    FetchResult result;
    try (FeedFetcher capped =
        new FeedFetcher(
            new FetchSettings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                DEFAULT_CAP,
                3,
                "test/1",
                true,
                true))) {
      result = capped.fetch(lastBodyWas(server.uri("/feed"), null), claim);
    }

    assertThat(result.outcome()).isEqualTo(FetchOutcome.TIMEOUT);
    assertThat(((Failed) result).message())
        .contains(
            "ran out waiting for room for a body estimated at 1.0 MiB, the least estimate (its"
                + " feed's last body is not known) in the body memory budget (4.0 MiB");
    assertThat(small.timeouts()).isEqualTo(1);
    assertThat(claim.bytes()).isZero();
    other.close();
  }

  /**
   * A body of 3 MB on a last body of 100 KB, or at its feed's first fetch (no last body: every
   * feed's after a restart, which reserved the 20 MiB cap, so a 4 MiB budget read one such body at
   * a time however small): it reserves the 1 MiB floor, then grows as it goes past it.
   */
  @ParameterizedTest
  @NullSource
  @ValueSource(longs = 100_000)
  void shouldGrowTheReservationOfABodyLargerThanItsFeedsLastAndReturnItWhole(Long lastBody)
      throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] body = text(3_000_000);
    List<Long> reservedWhileStreaming = new CopyOnWriteArrayList<>();
    server.on("/feed", gzipInTwoParts(body, 0.15, small, r -> r > 0, reservedWhileStreaming));
    BodyBudget.Claim claim = small.claim();

    FetchResult result;
    try (FeedFetcher capped = fetcherWithTheDefaultCap()) {
      result = capped.fetch(lastBodyWas(server.uri("/feed"), lastBody), claim);
    }

    assertThat(result).isInstanceOf(Fetched.class);
    assertThat(((Fetched) result).body()).isEqualTo(body);
    // the 1 MiB floor first (twice 100 KB is under it; no last body starts there), grown as the
    // body went past it
    assertThat(reservedWhileStreaming).containsExactly(MIB);
    assertThat(small.outgrown()).isPositive();
    assertThat(small.waits()).isZero();
    assertThat(claim.bytes()).isEqualTo(body.length);
    claim.close();
    assertThat(small.reservedBytes()).isZero();
  }

  /**
   * A body past its estimate (from a last body of 100 KB, or the floor at its feed's first fetch),
   * with no room to grow: it gives its estimate back and waits for the cap holding nothing, so two
   * such polls can never hold the budget between them; once room frees up it is read to its end,
   * whole. A feed whose first body is large costs one wait more than one whose cap was reserved.
   */
  @ParameterizedTest
  @NullSource
  @ValueSource(longs = 100_000)
  void shouldGiveTheEstimateBackAndWaitForTheCapWhenTheBodyOutgrowsItWithNoRoomLeft(Long lastBody)
      throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    long othersBytes = 2 * MIB + MIB / 2;
    BodyBudget.Claim other = small.claim();
    other.reserve(othersBytes, System.nanoTime());
    byte[] body = text(3_000_000);
    List<Long> reservedWhileStreaming = new CopyOnWriteArrayList<>();
    server.on(
        "/feed", gzipInTwoParts(body, 0.15, small, r -> r > othersBytes, reservedWhileStreaming));
    BodyBudget.Claim claim = small.claim();

    CompletableFuture<FetchResult> result;
    try (FeedFetcher capped = fetcherWithTheDefaultCap()) {
      result =
          CompletableFuture.supplyAsync(
              () -> capped.fetch(lastBodyWas(server.uri("/feed"), lastBody), claim));
      Await.until("the body waits for the cap", Duration.ofSeconds(10), () -> small.waiting() == 1);
      assertThat(small.reservedBytes()).isEqualTo(othersBytes); // its estimate given back
      other.close();
      assertThat(result.get(20, TimeUnit.SECONDS)).isInstanceOf(Fetched.class);
    }

    assertThat(((Fetched) result.get()).body()).isEqualTo(body);
    assertThat(reservedWhileStreaming).containsExactly(othersBytes + MIB);
    assertThat(small.waits()).isEqualTo(1);
    assertThat(claim.bytes()).isEqualTo(body.length);
    claim.close();
    assertThat(small.reservedBytes()).isZero();
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(longs = 100_000)
  void shouldFailAsATimeoutHoldingNothingWhenTheWaitForTheCapRunsOut(Long lastBody)
      throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    long othersBytes = 2 * MIB + MIB / 2;
    BodyBudget.Claim other = small.claim();
    other.reserve(othersBytes, System.nanoTime()); // never closed while the fetch runs
    server.on("/feed", LocalHttpServer.chunked(gzip(text(3_000_000)), "Content-Encoding", "gzip"));
    BodyBudget.Claim claim = small.claim();

    FetchResult result;
    try (FeedFetcher capped =
        new FeedFetcher(
            new FetchSettings(
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                DEFAULT_CAP,
                3,
                "test/1",
                true,
                true))) {
      result = capped.fetch(lastBodyWas(server.uri("/feed"), lastBody), claim);
    }

    assertThat(result.outcome()).isEqualTo(FetchOutcome.TIMEOUT);
    assertThat(((Failed) result).message())
        .contains(
            "ran out waiting for room for a body of up to 20 MiB (it outgrew the 1.0 MiB reserved for it)",
            "body memory budget (4.0 MiB");
    assertThat(small.timeouts()).isEqualTo(1);
    assertThat(claim.bytes()).isZero();
    assertThat(small.reservedBytes()).isEqualTo(othersBytes);
    other.close();
  }

  @Test
  void shouldReserveAFilesSize(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("feed.xml"), body(400_000));
    BodyBudget.Claim claim = budget.claim();

    FetchResult result = fetcher.fetch(FetchRequest.of(file.toUri()), claim);

    assertThat(result).isInstanceOf(Fetched.class);
    assertThat(claim.bytes()).isEqualTo(400_000);
    claim.close();
    assertThat(budget.reservedBytes()).isZero();
  }

  /** A cap of 3 MiB, within a 4 MiB budget, so a body of the cap is not clamped. */
  private static final int SMALL_CAP = 3 << 20;

  private static FeedFetcher fetcherWithCap(int cap) {
    return new FeedFetcher(
        new FetchSettings(
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            cap,
            3,
            "test/1",
            true,
            true));
  }

  /** Fetches {@code url} with the hint {@code lastBody} through a 4 MiB budget, claim closed. */
  private static FetchResult fetchInSmallBudget(BodyBudget small, int cap, URI url, Long lastBody) {
    BodyBudget.Claim claim = small.claim();
    try (FeedFetcher capped = fetcherWithCap(cap)) {
      FetchResult result =
          capped.fetch(FetchRequest.of(url).withExpectedBodyBytes(lastBody), claim);
      if (result instanceof Fetched fetched) {
        assertThat(claim.bytes()).isEqualTo(Math.min(fetched.body().length, small.limitBytes()));
      } else {
        assertThat(claim.bytes()).isZero();
      }
      return result;
    } finally {
      claim.close();
    }
  }

  /**
   * Gzip bodies around the estimate (twice a last body of 1,000,000 bytes) and the cap: exactly the
   * estimate is read without growing, one byte over grows once, exactly the cap is read whole, one
   * byte over the cap fails too large; each gives every byte back.
   */
  @ParameterizedTest
  @ValueSource(ints = {2_000_000, 2_000_001, SMALL_CAP, SMALL_CAP + 1})
  void shouldReadAGzipBodyAroundItsEstimateAndTheCapAndGiveItAllBack(int size) throws IOException {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] body = text(size);
    server.on("/feed", LocalHttpServer.chunked(gzip(body), "Content-Encoding", "gzip"));

    FetchResult result = fetchInSmallBudget(small, SMALL_CAP, server.uri("/feed"), 1_000_000L);

    if (size > SMALL_CAP) {
      assertThat(result.outcome()).isEqualTo(FetchOutcome.TOO_LARGE);
    } else {
      assertThat(result).isInstanceOf(Fetched.class);
      assertThat(((Fetched) result).body()).isEqualTo(body);
    }
    assertThat(small.outgrown()).isEqualTo(size <= 2_000_000 ? 0 : 1);
    assertThat(small.waits()).isZero();
    assertThat(small.reservedBytes()).isZero();
  }

  @Test
  void shouldGrowADeflateBodyPastItsEstimate() throws IOException {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] body = text(2_500_000);
    ByteArrayOutputStream deflated = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
      out.write(body);
    }
    server.on(
        "/feed", LocalHttpServer.chunked(deflated.toByteArray(), "Content-Encoding", "deflate"));

    FetchResult result = fetchInSmallBudget(small, SMALL_CAP, server.uri("/feed"), 0L);

    assertThat(((Fetched) result).body()).isEqualTo(body);
    assertThat(small.outgrown()).isPositive();
    assertThat(small.reservedBytes()).isZero();
  }

  @Test
  void shouldGrowAChunkedIdentityBodyPastItsEstimate() throws IOException {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] body = text(2_500_000);
    server.on("/feed", LocalHttpServer.chunked(body));

    FetchResult result = fetchInSmallBudget(small, SMALL_CAP, server.uri("/feed"), 300_000L);

    assertThat(((Fetched) result).body()).isEqualTo(body);
    assertThat(small.outgrown()).isPositive();
    assertThat(small.reservedBytes()).isZero();
  }

  /** 200 MB of zeros in about 200 KB of gzip: stopped at the cap, nothing kept reserved. */
  @Test
  void shouldStopAGzipBombAtTheCapHoldingNothing() throws IOException {
    BodyBudget small = new BodyBudget(4 * MIB);
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        gzip.write(zeros);
      }
    }
    server.on("/feed", LocalHttpServer.chunked(bomb.toByteArray(), "Content-Encoding", "gzip"));

    FetchResult result = fetchInSmallBudget(small, SMALL_CAP, server.uri("/feed"), 100L);

    assertThat(result.outcome()).isEqualTo(FetchOutcome.TOO_LARGE);
    assertThat(small.reservedBytes()).isZero();
  }

  /**
   * An estimate (twice a last body of 5 MB) larger than the whole 1 MiB budget is clamped to it:
   * the body is read alone, without waiting and without growing.
   */
  @Test
  void shouldClampAnEstimateLargerThanTheWholeBudget() throws IOException {
    BodyBudget tiny = new BodyBudget(MIB);
    byte[] body = text(2_000_000);
    server.on("/feed", LocalHttpServer.chunked(gzip(body), "Content-Encoding", "gzip"));

    FetchResult result = fetchInSmallBudget(tiny, SMALL_CAP, server.uri("/feed"), 5_000_000L);

    assertThat(((Fetched) result).body()).isEqualTo(body);
    assertThat(tiny.waits()).isZero();
    assertThat(tiny.outgrown()).isZero();
    assertThat(tiny.reservedBytes()).isZero();
  }

  /** A redirect to another host keeps the hint: the body there reserves the estimate. */
  @Test
  void shouldCarryTheHintAcrossARedirectToAnotherHost() throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] body = text(1_000_000);
    List<Long> reservedWhileStreaming = new CopyOnWriteArrayList<>();
    try (LocalHttpServer other = new LocalHttpServer()) {
      other.on("/moved", gzipInTwoParts(body, 0.5, small, r -> r > 0, reservedWhileStreaming));
      server.on("/feed", LocalHttpServer.respond(302, "Location", other.uri("/moved").toString()));

      FetchResult result = fetchInSmallBudget(small, SMALL_CAP, server.uri("/feed"), 600_000L);

      assertThat(((Fetched) result).body()).isEqualTo(body);
    }
    assertThat(reservedWhileStreaming).containsExactly(1_200_000L);
    assertThat(small.reservedBytes()).isZero();
  }

  /** The server goes away mid-body, after the reservation grew: an I/O error, all given back. */
  @Test
  void shouldGiveAGrownReservationBackWhenTheServerDiesMidBody() throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] compressed = gzip(text(3_000_000));
    server.on(
        "/feed",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Encoding", "gzip");
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write(compressed, 0, compressed.length * 3 / 4); // past the 1 MiB estimate
          out.flush();
          Await.until("the reservation grown", Duration.ofSeconds(10), () -> small.outgrown() > 0);
          exchange.close(); // the gzip stream ends there, cut short
        });

    FetchResult result = fetchInSmallBudget(small, SMALL_CAP, server.uri("/feed"), 100_000L);

    assertThat(result).isInstanceOf(Failed.class);
    assertThat(small.outgrown()).isPositive();
    assertThat(small.reservedBytes()).isZero();
  }

  /**
   * Eight polls at once, each a gzip body of 3 MB on a last body of 100 KB, through a 4 MiB budget:
   * each outgrows its 1 MiB estimate, and those that find no room give it back and wait for the cap
   * (the whole budget). None holds part of the budget while waiting, so all are read, whole, one
   * after the other, and nothing is left reserved or waiting.
   */
  @Test
  void shouldReadEveryBodyWhenManyPollsOutgrowTheirEstimatesAtOnce() throws Exception {
    BodyBudget small = new BodyBudget(4 * MIB);
    byte[] body = text(3_000_000);
    server.on("/feed", LocalHttpServer.chunked(gzip(body), "Content-Encoding", "gzip"));
    List<CompletableFuture<FetchResult>> polls = new CopyOnWriteArrayList<>();
    ExecutorService pollThreads = Executors.newFixedThreadPool(8);

    try (FeedFetcher capped = fetcherWithTheDefaultCap()) {
      for (int i = 0; i < 8; i++) {
        polls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  BodyBudget.Claim claim = small.claim();
                  try {
                    return capped.fetch(lastBodyWas(server.uri("/feed"), 100_000L), claim);
                  } finally {
                    claim.close();
                  }
                },
                pollThreads));
      }
      for (CompletableFuture<FetchResult> poll : polls) {
        FetchResult result = poll.get(25, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(Fetched.class);
        assertThat(((Fetched) result).body()).isEqualTo(body);
      }
    } finally {
      pollThreads.shutdownNow();
    }

    assertThat(small.outgrown()).isGreaterThanOrEqualTo(8);
    assertThat(small.waits()).as("polls that found no room waited").isPositive();
    assertThat(small.timeouts()).isZero();
    assertThat(small.waiting()).isZero();
    assertThat(small.reservedBytes()).isZero();
  }
}
