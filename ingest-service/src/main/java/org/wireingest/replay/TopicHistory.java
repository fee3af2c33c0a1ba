package org.wireingest.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.wireingest.config.ConfigException;
import org.wireingest.model.ErrorText;

/**
 * Reads a time range of a topic, every partition, in {@link TimestampMerge} order. The range is by
 * offsets: from the first offset whose timestamp is at or after {@code from} ({@code
 * offsetsForTimes}) up to the first offset at or after {@code to}, or up to the end offsets taken
 * when the reader opened (records written later are not read). No consumer group, nothing
 * committed; {@code read_committed}. A partition is paused once {@value #MAX_BUFFERED} of its
 * records wait in the merge (and resumed below half of that), so the merge holds at most that many
 * of them plus one poll's records ({@code max.poll.records}, 500 unless set). Not thread-safe.
 */
public final class TopicHistory implements AutoCloseable {

  /** Records of a partition waiting in the merge at which the partition is paused. */
  public static final int MAX_BUFFERED = 5_000;

  /** Longest time without any record or finished partition before the read fails. */
  public static final Duration NO_PROGRESS_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Map<TopicPartition, Long> start = new HashMap<>();
  private final Map<TopicPartition, Long> end = new HashMap<>();
  private long recordsRead;

  private TopicHistory(KafkaConsumer<String, byte[]> consumer, String topic) {
    this.consumer = consumer;
    this.topic = topic;
  }

  /**
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param topic the topic to read
   * @param from first record time (UTC, inclusive); null for the oldest retained record
   * @param to end time (UTC, exclusive); null for the end offsets now
   * @return the reader, positioned
   * @throws ConfigException when the topic does not exist
   * @throws HistoryReadException when Kafka does not answer
   */
  public static TopicHistory open(
      Map<String, Object> clientProperties, String topic, Instant from, Instant to) {
    TopicHistory history = new TopicHistory(consumer(clientProperties), topic);
    try {
      history.position(from, to);
      return history;
    } catch (KafkaException e) {
      history.close();
      throw new HistoryReadException(
          "could not read the offsets of " + topic + ": " + ErrorText.message(e), e);
    } catch (RuntimeException e) {
      history.close();
      throw e;
    }
  }

  /** A consumer of no group, committing nothing, {@code read_committed}. */
  private static KafkaConsumer<String, byte[]> consumer(Map<String, Object> clientProperties) {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "wire-ingest-replay");
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * @throws ConfigException when the topic does not exist
   */
  private static List<TopicPartition> partitions(
      KafkaConsumer<String, byte[]> consumer, String topic, Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new ConfigException("topic '" + topic + "' does not exist");
    }
    return infos.stream()
        .map(i -> new TopicPartition(topic, i.partition()))
        .sorted(Comparator.comparingInt(TopicPartition::partition))
        .toList();
  }

  /**
   * The last record of every partition of a topic that holds one, for telling what the topic holds
   * ({@link RecordKind}). Committed records only ({@code read_committed}): a partition's last
   * offsets may be transaction markers or records of aborted transactions, so each partition is
   * read from a few offsets before its end, then from further back (8 times as far each time, down
   * to its first retained offset) until a record is found. No consumer group, nothing committed.
   *
   * @param clientProperties bootstrap servers and pass-through client settings
   * @param topic the topic
   * @return at most one record per partition, by partition; empty for a topic without records
   * @throws ConfigException when the topic does not exist
   * @throws HistoryReadException when Kafka fails, or nothing arrives for {@link
   *     #NO_PROGRESS_TIMEOUT}
   */
  public static List<HistoryRecord> lastRecords(
      Map<String, Object> clientProperties, String topic) {
    Duration timeout = Duration.ofSeconds(30);
    KafkaConsumer<String, byte[]> consumer = consumer(clientProperties);
    try {
      List<TopicPartition> parts = partitions(consumer, topic, timeout);
      Map<TopicPartition, Long> beginning = consumer.beginningOffsets(parts, timeout);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, timeout);
      Map<TopicPartition, HistoryRecord> last = new HashMap<>();
      List<TopicPartition> pending =
          new ArrayList<>(parts.stream().filter(tp -> end.get(tp) > beginning.get(tp)).toList());
      long back = 8;
      while (!pending.isEmpty()) {
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition tp : pending) {
          from.put(tp, Math.max(beginning.get(tp), end.get(tp) - back));
        }
        consumer.assign(pending);
        from.forEach(consumer::seek);
        long lastProgress = System.nanoTime();
        long read = positions(consumer, pending);
        while (pending.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.offset() < end.get(tp)) {
              last.put(tp, record(r)); // a partition's records come in offset order
            }
          }
          long now = positions(consumer, pending); // markers and aborted records move it too
          if (now > read) {
            read = now;
            lastProgress = System.nanoTime();
          } else if (System.nanoTime() - lastProgress > NO_PROGRESS_TIMEOUT.toNanos()) {
            throw noProgress(topic);
          }
        }
        pending.removeIf(tp -> last.containsKey(tp) || from.get(tp) <= beginning.get(tp));
        back = back > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : back * 8;
      }
      return parts.stream().filter(last::containsKey).map(last::get).toList();
    } catch (KafkaException e) {
      throw new HistoryReadException("could not read " + topic + ": " + ErrorText.message(e), e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private static long positions(
      KafkaConsumer<String, byte[]> consumer, List<TopicPartition> parts) {
    return parts.stream().mapToLong(consumer::position).sum();
  }

  private void position(Instant from, Instant to) {
    Duration timeout = Duration.ofSeconds(30);
    List<TopicPartition> parts = partitions(consumer, topic, timeout);
    Map<TopicPartition, Long> beginning = consumer.beginningOffsets(parts, timeout);
    Map<TopicPartition, Long> latest = consumer.endOffsets(parts, timeout);
    Map<TopicPartition, OffsetAndTimestamp> fromOffsets =
        from == null ? Map.of() : consumer.offsetsForTimes(times(parts, from), timeout);
    Map<TopicPartition, OffsetAndTimestamp> toOffsets =
        to == null ? Map.of() : consumer.offsetsForTimes(times(parts, to), timeout);
    for (TopicPartition tp : parts) {
      long first = from == null ? beginning.get(tp) : offsetOr(fromOffsets.get(tp), latest.get(tp));
      long last =
          to == null
              ? latest.get(tp)
              : Math.min(offsetOr(toOffsets.get(tp), latest.get(tp)), latest.get(tp));
      first = Math.max(first, beginning.get(tp));
      start.put(tp, first);
      end.put(tp, Math.max(first, last));
    }
    consumer.assign(parts);
    start.forEach(consumer::seek);
  }

  /**
   * The time to look up in every partition, in epoch ms: an instant before 1970 (a huge duration
   * ago, {@code --from 36500d}) is 0, before every record, and one past the last epoch ms is the
   * last; {@code offsetsForTimes} refuses a negative time.
   */
  private static Map<TopicPartition, Long> times(List<TopicPartition> parts, Instant at) {
    long ms =
        at.isBefore(Instant.EPOCH)
            ? 0
            : at.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE)) ? Long.MAX_VALUE : at.toEpochMilli();
    Map<TopicPartition, Long> m = new HashMap<>();
    parts.forEach(tp -> m.put(tp, ms));
    return m;
  }

  private static long offsetOr(OffsetAndTimestamp found, long otherwise) {
    return found == null ? otherwise : found.offset();
  }

  /**
   * @return the topic read
   */
  public String topic() {
    return topic;
  }

  /**
   * @return offsets in the range over all partitions: the records to read (control records of
   *     transactions included)
   */
  public long size() {
    return end.entrySet().stream().mapToLong(e -> e.getValue() - start.get(e.getKey())).sum();
  }

  /**
   * @return records of the range read so far by {@link #forEach}, selected or not, as its progress
   *     counts them ({@link ReplayProgress#advance}); those still waiting in the merge when a stop
   *     request ended the read count too, though they were not handed on
   */
  public long recordsRead() {
    return recordsRead;
  }

  /**
   * Reads the range to its end, or until {@link ReplayProgress#stopRequested} (checked before each
   * poll, every {@code POLL} at most): then the records already handed on stay handed on, and the
   * rest of the range is not read.
   *
   * @param keyFilter which records to hand on, by key (the key may be null); the others are counted
   *     as read and skipped
   * @param handler receives the selected records in merged order
   * @param progress told of every record read, selected or not; asked whether to stop
   * @return true when the range was read to its end; false when it stopped on request
   * @throws HistoryReadException when Kafka fails, or nothing arrives for {@link
   *     #NO_PROGRESS_TIMEOUT}
   */
  public boolean forEach(
      Predicate<String> keyFilter, Consumer<HistoryRecord> handler, ReplayProgress progress) {
    Objects.requireNonNull(handler);
    TimestampMerge merge =
        new TimestampMerge(start.keySet().stream().map(TopicPartition::partition).toList());
    long lastProgress = System.nanoTime();
    try {
      finishReachedPartitions(merge);
      while (!merge.isDone()) {
        if (progress.stopRequested()) {
          return false;
        }
        boolean advanced = false;
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (merge.isFinished(r.partition()) || r.offset() >= end.get(tp)) {
            continue;
          }
          advanced = true;
          recordsRead++;
          progress.advance();
          if (keyFilter.test(r.key())) {
            merge.add(record(r));
          }
        }
        advanced |= finishReachedPartitions(merge);
        for (var next = merge.next(); next.isPresent(); next = merge.next()) {
          handler.accept(next.get());
        }
        applyBackPressure(merge);
        if (advanced) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > NO_PROGRESS_TIMEOUT.toNanos()) {
          throw noProgress(topic);
        }
      }
      return true;
    } catch (KafkaException e) {
      throw new HistoryReadException("could not read " + topic + ": " + ErrorText.message(e), e);
    } finally {
      progress.finish();
    }
  }

  private static HistoryRecord record(ConsumerRecord<String, byte[]> r) {
    return new HistoryRecord(
        r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers());
  }

  private static HistoryReadException noProgress(String topic) {
    return new HistoryReadException(
        "no record of "
            + topic
            + " arrived for "
            + NO_PROGRESS_TIMEOUT.toSeconds()
            + " s; is the cluster up?",
        null);
  }

  /**
   * Finishes every partition whose position reached its end offset; @return true when one finished
   * now.
   */
  private boolean finishReachedPartitions(TimestampMerge merge) {
    boolean any = false;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      int p = e.getKey().partition();
      if (!merge.isFinished(p) && consumer.position(e.getKey()) >= e.getValue()) {
        merge.finish(p);
        consumer.pause(List.of(e.getKey()));
        any = true;
      }
    }
    return any;
  }

  private void applyBackPressure(TimestampMerge merge) {
    for (TopicPartition tp : end.keySet()) {
      if (merge.isFinished(tp.partition())) {
        continue;
      }
      int buffered = merge.buffered(tp.partition());
      if (buffered >= MAX_BUFFERED) {
        consumer.pause(List.of(tp));
      } else if (buffered < MAX_BUFFERED / 2 && consumer.paused().contains(tp)) {
        consumer.resume(List.of(tp));
      }
    }
  }

  /** Closes the consumer. */
  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
