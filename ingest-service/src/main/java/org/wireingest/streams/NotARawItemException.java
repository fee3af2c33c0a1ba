package org.wireingest.streams;

import java.io.IOException;

/**
 * A record on the raw-items topic that is valid JSON but not a raw wire item as a poller writes it
 * (schema {@code raw-item.schema.json}): a tombstone, a missing {@code source}, {@code identity} or
 * {@code entry}, an unsupported {@code schemaVersion}, a time outside RFC 3339's years, a {@code
 * source.id} that is no feed id, or a record key other than {@code <source id>/<item key>}. Its
 * binary name is the dead letter's {@code errorClass} (stage {@code deserialize}), so a consumer of
 * the dead-letter topic tells a record of the wrong shape from bytes that are no JSON at all
 * (Jackson's {@code JsonParseException}, {@code MismatchedInputException}, ...) without reading the
 * message.
 */
public final class NotARawItemException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what the record lacks or has wrong, on one line; never null
   */
  NotARawItemException(String message) {
    super(message);
  }
}
