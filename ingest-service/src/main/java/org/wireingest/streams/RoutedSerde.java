package org.wireingest.streams;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value format of the normalizer's repartition topic: a {@link NormalizerSteps.Routing.Routed}
 * item (its read form left out) as a small binary envelope around the raw record's bytes, so the
 * raw item is neither re-encoded nor wrapped in JSON. Thread-safe.
 *
 * <pre>
 * byte    format version, {@value #VERSION}
 * string  uri
 * string  input hash (may be null)
 * string  raw topic
 * int     raw partition
 * long    raw offset
 * string  raw key (may be null)
 * bytes   raw value
 * </pre>
 *
 * A {@code string} is a {@code bytes} of UTF-8; a {@code bytes} is a big-endian int length (-1 for
 * null) and that many bytes.
 */
final class RoutedSerde implements Serde<NormalizerSteps.Routing.Routed> {

  /** The envelope format written; a record of another version fails to deserialise. */
  static final byte VERSION = 1;

  @Override
  public Serializer<NormalizerSteps.Routing.Routed> serializer() {
    return (topic, routed) -> routed == null ? null : encode(routed);
  }

  @Override
  public Deserializer<NormalizerSteps.Routing.Routed> deserializer() {
    return (topic, data) -> data == null ? null : decode(data);
  }

  static byte[] encode(NormalizerSteps.Routing.Routed r) {
    byte[] uri = utf8(r.uri());
    byte[] hash = utf8(r.inputHash());
    byte[] topic = utf8(r.at().topic());
    byte[] key = utf8(r.at().key());
    int size = 1 + len(uri) + len(hash) + len(topic) + 4 + 8 + len(key) + len(r.value());
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(VERSION);
    put(b, uri);
    put(b, hash);
    put(b, topic);
    b.putInt(r.at().partition());
    b.putLong(r.at().offset());
    put(b, key);
    put(b, r.value());
    return b.array();
  }

  static NormalizerSteps.Routing.Routed decode(byte[] data) {
    try {
      ByteBuffer b = ByteBuffer.wrap(data);
      byte version = b.get();
      if (version != VERSION) {
        throw new SerializationException(
            "routed raw item of format " + version + ", expected " + VERSION);
      }
      String uri = string(b);
      String hash = string(b);
      String topic = string(b);
      int partition = b.getInt();
      long offset = b.getLong();
      String key = string(b);
      byte[] value = bytes(b);
      if (b.hasRemaining() || uri == null || topic == null || value == null) {
        throw new SerializationException("malformed routed raw item (" + data.length + " bytes)");
      }
      return new NormalizerSteps.Routing.Routed(
          uri, hash, new NormalizerSteps.Position(topic, partition, offset, key), value, null);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new SerializationException("truncated routed raw item (" + data.length + " bytes)", e);
    }
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static int len(byte[] bytes) {
    return 4 + (bytes == null ? 0 : bytes.length);
  }

  private static void put(ByteBuffer b, byte[] bytes) {
    if (bytes == null) {
      b.putInt(-1);
    } else {
      b.putInt(bytes.length).put(bytes);
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    int n = b.getInt();
    if (n < -1 || n > b.remaining()) {
      throw new IllegalArgumentException("bad length " + n);
    }
    if (n == -1) {
      return null;
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static String string(ByteBuffer b) {
    byte[] bytes = bytes(b);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
