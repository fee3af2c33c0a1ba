package org.wireingest.poll;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wireingest.model.FetchLogRecord;
import org.wireingest.model.Hashes;
import org.wireingest.testing.SchemaAssert;

class FetchLogBodiesTest {

  private static final byte[] FEED =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel><title>Wire</title>
        <item><guid>urn:wire:1</guid><title>Ceasefire talks resume in Doha</title></item>
        <item><guid>urn:wire:2</guid><title>Ceasefire talks resume in Doha, officials say</title></item>
      </channel></rss>
      """
          .getBytes(UTF_8);

  @Test
  void shouldRestoreTheBodyItCaptured() {
    FetchLogRecord.Body body =
        FetchLogBodies.capture(FEED, FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES);

    assertThat(FetchLogBodies.restore(body))
        .isInstanceOfSatisfying(
            FetchLogBodies.Restored.Bytes.class,
            restored -> assertThat(restored.bytes()).isEqualTo(FEED));
  }

  @Test
  void shouldCompressTheBodyWithZstd() {
    FetchLogRecord.Body body =
        FetchLogBodies.capture(FEED, FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES);

    assertThat(body.encoding()).isEqualTo("zstd");
    assertThat(body.compressedBytes()).isLessThan(FEED.length);
    assertThat(body.omitted()).isFalse();
  }

  @Test
  void shouldOmitTheDataOfABodyWhoseFrameIsOverTheCap() {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);

    FetchLogRecord.Body body = FetchLogBodies.capture(noise, 1024);

    assertThat(body.omitted()).isTrue();
    assertThat(body.data()).isNull();
    assertThat(body.compressedBytes()).isGreaterThan(1024);
  }

  @Test
  void shouldReportAnOmittedBodyAsMissing() {
    assertThat(FetchLogBodies.restore(new FetchLogRecord.Body("zstd", 2_000_000, true, null)))
        .isEqualTo(new FetchLogBodies.Restored.Missing("omitted"));
  }

  @Test
  void shouldReportACorruptFrameAsMissingRatherThanThrow() {
    assertThat(FetchLogBodies.restore(new FetchLogRecord.Body("zstd", 8, false, "AAECAwQFBgc=")))
        .isInstanceOf(FetchLogBodies.Restored.Missing.class);
  }

  @Test
  void shouldRestoreAnEmptyBody() {
    assertThat(FetchLogBodies.restore(FetchLogBodies.capture(new byte[0], 1024)))
        .isInstanceOfSatisfying(
            FetchLogBodies.Restored.Bytes.class,
            restored -> assertThat(restored.bytes()).isEmpty());
  }

  @Test
  void shouldWriteAFetchLogRecordWithAStoredBodyThatFollowsTheSchema() {
    FetchLogRecord record =
        new FetchLogRecord(
            "trtworld-world",
            "https://www.trtworld.com/feed/rss.xml",
            Instant.parse("2026-11-30T08:02:10.871Z"),
            611,
            200,
            "ok",
            FEED.length,
            2,
            2,
            null,
            "application/rss+xml; charset=utf-8",
            Hashes.sha256Hex(FEED),
            FetchLogBodies.capture(FEED, FetchLogBodies.DEFAULT_MAX_COMPRESSED_BYTES));

    SchemaAssert.assertValid("fetch-log", record);
  }
}
