package org.wireingest.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
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

  @Test
  void shouldReserveTheCapForABodyOfUnknownLengthUntilItIsRead() throws Exception {
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
        "the cap reserved while reading",
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
}
