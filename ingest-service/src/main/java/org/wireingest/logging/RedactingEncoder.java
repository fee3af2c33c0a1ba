package org.wireingest.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * A Logback encoder that encodes with its delegate (a pattern or JSON encoder), then passes the
 * UTF-8 line through {@link LogRedaction#redact}: no URL credentials or header secrets reach a log,
 * whatever code logged them, in the message or in a stack trace. The output of a {@link
 * JsonEncoder} has its optional {@code \/} escapes written as plain {@code /} first (still valid
 * JSON, RFC 8259 §7) so that URLs are recognised. Configured in {@code logback.xml} with a nested
 * {@code <delegate class="...">}, or built by {@link LogFormat}.
 */
public final class RedactingEncoder extends EncoderBase<ILoggingEvent> {

  private Encoder<ILoggingEvent> delegate;

  /**
   * @param delegate the encoder whose output is redacted (Logback calls this from the
   *     configuration)
   */
  public void setDelegate(Encoder<ILoggingEvent> delegate) {
    this.delegate = delegate;
  }

  @Override
  public void start() {
    if (delegate == null) {
      addError("RedactingEncoder needs a <delegate> encoder");
      return;
    }
    if (!delegate.isStarted()) {
      delegate.start();
    }
    super.start();
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    byte[] raw = delegate.encode(event);
    if (raw == null) {
      return null;
    }
    String line = new String(raw, StandardCharsets.UTF_8);
    if (delegate instanceof JsonEncoder) {
      line = line.replace("\\/", "/");
    }
    return LogRedaction.redact(line).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
