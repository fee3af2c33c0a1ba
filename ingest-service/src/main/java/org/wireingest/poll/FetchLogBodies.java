package org.wireingest.poll;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.util.Base64;
import java.util.Locale;
import org.wireingest.model.ErrorText;
import org.wireingest.model.FetchLogRecord;

/**
 * Feed bodies in the fetch log: zstd-compressed (RFC 8878, level {@value #LEVEL}) and Base64
 * encoded (RFC 4648 §4) into {@link FetchLogRecord.Body}, capped so that one fetch-log record stays
 * within the topic's {@code max.message.bytes}. Pure and thread-safe.
 */
public final class FetchLogBodies {

  /** Largest zstd frame stored, bytes: 1 MiB (1.34 MiB as Base64). Larger bodies are omitted. */
  public static final int DEFAULT_MAX_COMPRESSED_BYTES = 1024 * 1024;

  /**
   * Largest body restored, bytes: 32 MiB, above the fetcher's 20 MiB cap (guards against a forged
   * frame).
   */
  public static final long MAX_RESTORED_BYTES = 32L * 1024 * 1024;

  /** The {@link FetchLogRecord.Body#encoding()} of every stored body. */
  public static final String ZSTD = "zstd";

  /** zstd compression level: 3, the library default (fast, about 5× on feed XML). */
  public static final int LEVEL = 3;

  private FetchLogBodies() {}

  /**
   * @param body the body bytes as received; never null
   * @param maxCompressedBytes the cap on the zstd frame, bytes; positive
   * @return the stored body, with {@code omitted} set and no data when the frame is over the cap
   */
  public static FetchLogRecord.Body capture(byte[] body, int maxCompressedBytes) {
    if (maxCompressedBytes <= 0) {
      throw new IllegalArgumentException(
          "maxCompressedBytes must be positive: " + maxCompressedBytes);
    }
    byte[] frame = Zstd.compress(body, LEVEL);
    if (frame.length > maxCompressedBytes) {
      return new FetchLogRecord.Body(ZSTD, frame.length, true, null);
    }
    return new FetchLogRecord.Body(
        ZSTD, frame.length, false, Base64.getEncoder().encodeToString(frame));
  }

  /** What {@link #restore} found. */
  public sealed interface Restored {
    /**
     * @param bytes the body as received
     */
    record Bytes(byte[] bytes) implements Restored {}

    /**
     * @param reason why there are no bytes: {@code omitted}, {@code not-stored} or a decoding error
     */
    record Missing(String reason) implements Restored {}
  }

  /**
   * @param body a stored body; null when the record has none
   * @return the original bytes, or why they are missing (no body, omitted over the cap, unknown
   *     encoding, bad Base64, corrupt frame, over {@link #MAX_RESTORED_BYTES}); never null
   */
  public static Restored restore(FetchLogRecord.Body body) {
    if (body == null) {
      return new Restored.Missing("not-stored");
    }
    if (body.omitted() || body.data() == null) {
      return new Restored.Missing("omitted");
    }
    if (!ZSTD.equals(body.encoding())) {
      return new Restored.Missing("unknown encoding '" + body.encoding() + "'");
    }
    try {
      byte[] frame = Base64.getDecoder().decode(body.data());
      long size = Zstd.getFrameContentSize(frame);
      if (size < 0 || size > MAX_RESTORED_BYTES) {
        return new Restored.Missing(
            String.format(Locale.ROOT, "zstd frame declares no usable size (%d)", size));
      }
      if (size == 0) {
        return new Restored.Bytes(new byte[0]);
      }
      return new Restored.Bytes(Zstd.decompress(frame, (int) size));
    } catch (IllegalArgumentException | ZstdException e) {
      return new Restored.Missing("corrupt body: " + ErrorText.message(e));
    }
  }
}
