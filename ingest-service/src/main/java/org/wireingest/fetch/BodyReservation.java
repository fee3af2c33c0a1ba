package org.wireingest.fetch;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import org.wireingest.fetch.FetchResult.Failed;

/**
 * The room one fetch reserves in its poller's body memory budget ({@link BodyBudget}) for the body
 * it reads, as the {@link ContentDecoding.Growth} that {@link ContentDecoding#readAtMost(
 * java.io.InputStream, long, long, ContentDecoding.Growth)} tells before the body's arrays grow.
 *
 * <p>A body within its first {@value ContentDecoding#UNRESERVED_BYTES} bytes reserves nothing. Past
 * them:
 *
 * <ul>
 *   <li>A body of known length (the declared {@code Content-Length} of an uncompressed response, or
 *       a file's size) reserves that length once ({@link #knownLength}).
 *   <li>A compressed or chunked body, whose decoded size is unknown until read ({@link
 *       #unknownLength}), reserves an estimate from its feed's last body ({@link
 *       FetchRequest#expectedBodyBytes()}, {@link #estimatedBodyBytes}): twice it, at least {@value
 *       #MIN_ESTIMATED_BODY_BYTES} bytes (1 MiB), at most {@link FetchSettings#maxBodyBytes()}, the
 *       cap. Without a last body (a feed's first fetch since its poller started), that least
 *       estimate, 1 MiB (at most the cap), grown like any other: reserving the cap there made every
 *       feed's first large gzip body after a restart wait for room, though most are far smaller.
 *   <li>Growth: should the body outgrow its reservation, the reservation grows to twice what it
 *       held (or what the body needs, if more; at most the cap) when the budget has that room at
 *       once.
 *   <li>Fallback to the cap: else the reservation is given back whole and the cap reserved in its
 *       place, waited for ({@link BodyBudget.Claim#growTo}).
 * </ul>
 *
 * <p>No waiting while holding: a fetch waits for room at most twice (its first reservation, then
 * the cap) and never while it holds part of the budget, so two fetches can never each hold part of
 * it while waiting for the other's; the bytes the body holds are not counted while it waits. Every
 * wait counts against {@link FetchSettings#totalDeadline()}: when it runs out, reading stops with a
 * {@link NoRoom} carrying a {@link Failed} of {@link FetchOutcome#TIMEOUT} (of {@link
 * FetchOutcome#IO_ERROR} when the thread is interrupted, its interrupt flag set again). Cutting the
 * reservation down to the body's length once read, or giving it back, is the fetch's part ({@link
 * FeedFetcher#fetch(FetchRequest, BodyBudget.Claim)}).
 *
 * <p>One per fetch (across its redirects), confined to the fetching thread, like its claim.
 */
final class BodyReservation {

  /**
   * The least a body of unknown decoded length reserves first: {@value} bytes (1 MiB), so a small
   * feed that grows a little does not ask for more room at once; also what a body reserves first
   * when its feed's last body is unknown.
   */
  static final long MIN_ESTIMATED_BODY_BYTES = 1L << 20;

  /**
   * Builds the failure the fetch returns, worded as its other failures (elapsed time, redirect).
   */
  @FunctionalInterface
  interface Failure {
    /**
     * @param outcome {@link FetchOutcome#TIMEOUT} or {@link FetchOutcome#IO_ERROR}
     * @param message what went wrong, naming the URL (redacted)
     * @param status the HTTP status of the response being read; 0 for a file
     * @return the failure, never null
     */
    Failed failed(FetchOutcome outcome, String message, int status);
  }

  /** No room in the body memory budget before the deadline: the failure to return. */
  static final class NoRoom extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Failed failure;

    NoRoom(Failed failure) {
      super(failure.message());
      this.failure = failure;
    }

    /**
     * @return the failure the fetch returns, never null
     */
    Failed failure() {
      return failure;
    }
  }

  /** A reservation in the claim that may wait: true when made, false at the deadline. */
  @FunctionalInterface
  private interface Room {
    boolean take() throws InterruptedException;
  }

  private final BodyBudget.Claim claim;
  private final long deadlineNanos;
  private final FetchSettings settings;
  private final Long expectedBodyBytes;
  private final Failure failure;

  /**
   * @param claim where the body's bytes are reserved; never null
   * @param deadlineNanos the fetch's deadline, on the {@link System#nanoTime()} clock
   * @param settings the cap ({@link FetchSettings#maxBodyBytes()}) and the total deadline named in
   *     a timeout's message; never null
   * @param expectedBodyBytes the decoded length of the feed's last body, in bytes ({@link
   *     FetchRequest#expectedBodyBytes()}); null when unknown
   * @param failure builds the failure a {@link NoRoom} carries; never null
   */
  BodyReservation(
      BodyBudget.Claim claim,
      long deadlineNanos,
      FetchSettings settings,
      Long expectedBodyBytes,
      Failure failure) {
    this.claim = Objects.requireNonNull(claim, "claim");
    this.deadlineNanos = deadlineNanos;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.expectedBodyBytes = expectedBodyBytes;
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  /**
   * What a body of unknown decoded length reserves first.
   *
   * @param lastBodyBytes the decoded length of the feed's last body, in bytes; null when unknown
   * @param capBytes the cap, {@link FetchSettings#maxBodyBytes()}, in bytes
   * @return twice {@code lastBodyBytes}, at least {@link #MIN_ESTIMATED_BODY_BYTES}, at most {@code
   *     capBytes}, in bytes; when {@code lastBodyBytes} is null, {@link #MIN_ESTIMATED_BODY_BYTES}
   *     (at most {@code capBytes}): a body larger than that grows its reservation as it is read
   */
  static long estimatedBodyBytes(Long lastBodyBytes, long capBytes) {
    if (lastBodyBytes == null) {
      return Math.min(capBytes, MIN_ESTIMATED_BODY_BYTES);
    }
    if (lastBodyBytes >= capBytes / 2) {
      return capBytes;
    }
    return Math.min(capBytes, Math.max(MIN_ESTIMATED_BODY_BYTES, 2 * lastBodyBytes));
  }

  /**
   * The {@link ContentDecoding.Growth} of a body of known length ({@code Content-Length}, a file's
   * size): reserves {@code bytes} once, waiting for room until the fetch's deadline.
   *
   * @param bytes the body's length, in bytes; at most the cap
   * @param url the URL being read, named in a failure
   * @param status the response's HTTP status; 0 for a file
   * @return a growth that throws {@link NoRoom} when no room frees up in time
   */
  ContentDecoding.Growth knownLength(long bytes, URI url, int status) {
    return needed -> {
      awaitRoom(
          () -> claim.reserve(bytes, deadlineNanos),
          "a body of up to " + BodyBudget.mebibytes(bytes),
          url,
          status);
      return Long.MAX_VALUE;
    };
  }

  /**
   * The {@link ContentDecoding.Growth} of a body whose decoded length is unknown until read
   * (compressed, or chunked): reserves its estimate ({@link #estimatedBodyBytes}), waiting for room
   * until the fetch's deadline; past it, grows the reservation to twice what it holds without
   * waiting, or gives it back and waits for the cap ({@link BodyBudget.Claim#growTo}).
   *
   * @param url the URL being read, named in a failure
   * @param status the response's HTTP status
   * @return a growth that throws {@link NoRoom} when no room frees up in time
   */
  ContentDecoding.Growth unknownLength(URI url, int status) {
    long cap = settings.maxBodyBytes();
    return needed -> {
      if (claim.isEmpty()) {
        long estimate = Math.max(needed, estimatedBodyBytes(expectedBodyBytes, cap));
        String what =
            estimate >= cap
                ? "a body of up to " + BodyBudget.mebibytes(cap)
                : "a body estimated at "
                    + BodyBudget.mebibytes(estimate)
                    + (expectedBodyBytes == null
                        ? ", the least estimate (its feed's last body is not known)"
                        : " from its feed's last body");
        awaitRoom(() -> claim.reserve(estimate, deadlineNanos), what, url, status);
      } else {
        long held = claim.bytes();
        long grown = Math.min(cap, Math.max(needed, 2 * held));
        awaitRoom(
            () -> claim.growTo(grown, cap, deadlineNanos),
            "a body of up to "
                + BodyBudget.mebibytes(cap)
                + " (it outgrew the "
                + BodyBudget.mebibytes(held)
                + " reserved for it)",
            url,
            status);
      }
      return claim.covers(cap) ? Long.MAX_VALUE : claim.bytes();
    };
  }

  /**
   * Makes a reservation for the body being read, waiting for room until the fetch's deadline
   * ({@link ContentDecoding.Growth}: once the body outgrows {@link
   * ContentDecoding#UNRESERVED_BYTES}, then what it reserved).
   *
   * @param what what the room is for, in the failure's message: {@code a body of up to 20 MiB}
   * @throws NoRoom carrying the failure to return: {@link FetchOutcome#TIMEOUT} when the deadline
   *     ran out, {@link FetchOutcome#IO_ERROR} when interrupted
   */
  private void awaitRoom(Room room, String what, URI url, int status) throws NoRoom {
    try {
      if (room.take()) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoRoom(
          failure.failed(
              FetchOutcome.IO_ERROR,
              "interrupted while waiting for room in the body memory budget for "
                  + Redaction.url(url),
              status));
    }
    BodyBudget budget = claim.budget();
    throw new NoRoom(
        failure.failed(
            FetchOutcome.TIMEOUT,
            "total deadline of "
                + settings.totalDeadline().toMillis()
                + " ms ran out waiting for room for "
                + what
                + " in the body memory budget ("
                + budget
                + ", "
                + BodyBudget.mebibytes(budget.reservedBytes())
                + " reserved by other polls; --body-budget-mb) from "
                + Redaction.url(url),
            status));
  }
}
