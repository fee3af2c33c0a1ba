package org.wireingest.fetch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wireingest.fetch.FetchResult.Failed;
import org.wireingest.fetch.FetchResult.Fetched;
import org.wireingest.fetch.FetchResult.NotModified;

/** {@link FeedFetcher} on {@code file:} URLs. */
class FeedFetcherFileTest {

  private static final String FEED =
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Wire</title></feed>";
  private static final Instant MTIME = Instant.parse("2026-06-03T08:05:09Z");
  private static final String MTIME_HTTP_DATE = "Wed, 03 Jun 2026 08:05:09 GMT";

  @TempDir Path dir;

  private FeedFetcher fetcher = new FeedFetcher(settings(1024, true));

  @AfterEach
  void closeFetcher() {
    fetcher.close();
  }

  private static FetchSettings settings(long maxBodyBytes, boolean allowFileUrls) {
    return new FetchSettings(
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        maxBodyBytes,
        3,
        "wire-ingest-test/1",
        allowFileUrls,
        false);
  }

  private Path feedFile(String content) throws IOException {
    Path file = Files.writeString(dir.resolve("feed.xml"), content, UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(MTIME));
    return file;
  }

  @Test
  void shouldReadFileWithModificationTimeAsLastModified() throws IOException {
    Path file = feedFile(FEED);

    FetchResult result = fetcher.fetch(FetchRequest.of(file.toUri()));

    assertThat(result)
        .isInstanceOfSatisfying(
            Fetched.class,
            fetched -> {
              assertThat(new String(fetched.body(), UTF_8)).isEqualTo(FEED);
              assertThat(fetched.lastModified()).isEqualTo(MTIME_HTTP_DATE);
              assertThat(fetched.status()).isZero();
              assertThat(fetched.finalUrl()).isEqualTo(file.toUri());
            });
  }

  @Test
  void shouldReturnNotModifiedWhenFileTimeEqualsRequestLastModified() throws IOException {
    Path file = feedFile(FEED);

    FetchResult result =
        fetcher.fetch(new FetchRequest(file.toUri(), null, MTIME_HTTP_DATE, Map.of()));

    assertThat(result)
        .isInstanceOfSatisfying(
            NotModified.class,
            notModified -> assertThat(notModified.lastModified()).isEqualTo(MTIME_HTTP_DATE));
  }

  @Test
  void shouldReadFileAgainWhenItChangedSinceRequestLastModified() throws IOException {
    Path file = feedFile(FEED);

    FetchResult result =
        fetcher.fetch(
            new FetchRequest(file.toUri(), null, "Tue, 02 Jun 2026 08:05:09 GMT", Map.of()));

    assertThat(result).isInstanceOf(Fetched.class);
  }

  /**
   * Regression: a file read in the second it was written, then written again in that second, has
   * one whole-second time for both contents; the time of the first read, sent back, gave "not
   * modified" for the second content until the file changed once more.
   */
  @Test
  void shouldReadFileAgainWhenRewrittenInTheSecondOfTheLastRead() throws IOException {
    Path file = Files.writeString(dir.resolve("feed.xml"), FEED, UTF_8);
    FileTime written = FileTime.from(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    Files.setLastModifiedTime(file, written);
    FetchResult first = fetcher.fetch(FetchRequest.of(file.toUri()));
    String changed = FEED.replace("Wire", "Wire 2");
    Files.writeString(file, changed, UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(written.toInstant().plusMillis(900)));

    FetchResult second =
        fetcher.fetch(
            new FetchRequest(
                file.toUri(), null, ((Fetched) first).lastModified(), Map.<String, String>of()));

    assertThat(second)
        .isInstanceOfSatisfying(
            Fetched.class,
            fetched -> assertThat(new String(fetched.body(), UTF_8)).isEqualTo(changed));
  }

  @Test
  void shouldReportMissingFileAsNotFound() {
    FetchResult result = fetcher.fetch(FetchRequest.of(dir.resolve("absent.xml").toUri()));

    assertThat(result)
        .isInstanceOfSatisfying(
            Failed.class,
            failed -> {
              assertThat(failed.outcome()).isEqualTo(FetchOutcome.NOT_FOUND);
              assertThat(failed.status()).isZero();
            });
  }

  @Test
  void shouldRefuseFileLargerThanCap() throws IOException {
    Path file = feedFile("x".repeat(1025));

    FetchResult result = fetcher.fetch(FetchRequest.of(file.toUri()));

    assertThat(result.outcome()).isEqualTo(FetchOutcome.TOO_LARGE);
  }

  @Test
  void shouldRefuseDirectory() {
    FetchResult result = fetcher.fetch(FetchRequest.of(dir.toUri()));

    assertThat(result.outcome()).isEqualTo(FetchOutcome.IO_ERROR);
  }

  @Test
  void shouldRefuseFileUrlWhenNotAllowed() throws IOException {
    Path file = feedFile(FEED);
    fetcher.close();
    fetcher = new FeedFetcher(settings(1024, false));

    FetchResult result = fetcher.fetch(FetchRequest.of(file.toUri()));

    assertThat(result.outcome()).isEqualTo(FetchOutcome.UNSUPPORTED_SCHEME);
  }
}
