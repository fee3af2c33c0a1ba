package org.wireingest.streams;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.wireingest.dedup.SignatureIndex;

/**
 * {@link SignatureIndex.Entries} over a Kafka Streams key-value store of strings (the global
 * story-signatures store). Writable only from the global processor that owns the store; the
 * stream tasks read it.
 */
final class StoreEntries implements SignatureIndex.Entries {

  private static final StringSerializer KEYS = new StringSerializer();

  private final KeyValueStore<String, String> store;

  StoreEntries(KeyValueStore<String, String> store) {
    this.store = store;
  }

  @Override
  public String get(String key) {
    return store.get(key);
  }

  @Override
  public void put(String key, String value) {
    store.put(key, value);
  }

  @Override
  public void delete(String key) {
    store.delete(key);
  }

  @Override
  public List<String> keys(String prefix, int limit) {
    List<String> out = new ArrayList<>();
    try (KeyValueIterator<String, String> it = store.prefixScan(prefix, KEYS)) {
      while (out.size() < limit && it.hasNext()) {
        out.add(it.next().key);
      }
    }
    return out;
  }
}
