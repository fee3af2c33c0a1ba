package org.wireingest.streams;

import java.time.Clock;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import org.wireingest.dedup.DedupState;
import org.wireingest.kafka.JsonSerde;
import org.wireingest.kafka.Topics;
import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.normalize.Normalizer;

/**
 * The normalizer's Kafka Streams topology:
 *
 * <pre>
 * wire.raw-items.v1 ─▶ normalize (stage 1) ─┬─▶ repartition by uri ─▶ dedup (stage 2, store "article-versions") ─┬─▶ wire.articles.v1
 *                                           └─▶ wire.dead-letters.v1 ◀───────────────────────────────────────────┘
 * </pre>
 *
 * Repartitioning by {@code uri} puts every copy of a story — from any feed of its agency — in one
 * task, so its version store is the single authority.
 */
public final class NormalizerTopology {

  /** Name of the persistent (RocksDB, changelogged) store of article versions, keyed by uri. */
  public static final String STORE = "article-versions";

  /** Name of the repartition step (its internal topic is {@code <application.id>-articles-by-uri-repartition}). */
  public static final String REPARTITION = "articles-by-uri";

  private NormalizerTopology() {}

  /**
   * @param topics topic names
   * @param normalizer the pure raw item → draft article mapping
   * @param listener told of every outcome
   * @param clock wall clock for {@code ingestedAt} and dead-letter times
   * @return the topology
   */
  public static Topology build(Topics topics, Normalizer normalizer, NormalizerListener listener, Clock clock) {
    Serde<ArticleEvent> articleSerde = new JsonSerde<>(ArticleEvent.class);
    Serde<DeadLetter> deadLetterSerde = new JsonSerde<>(DeadLetter.class);
    NormalizerSteps steps = new NormalizerSteps(normalizer, listener, clock);
    StreamsBuilder b = new StreamsBuilder();
    b.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), new JsonSerde<>(DedupState.class)));

    KStream<String, StageOutput> stage1 =
        b.stream(topics.rawItems(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-items"))
            .process(() -> new NormalizeProcessor(steps), Named.as("normalize"));

    var branches1 = stage1.split(Named.as("normalized-"))
        .branch((k, v) -> v.isDeadLetter(), Branched.as("dead"))
        .defaultBranch(Branched.as("draft"));
    toDeadLetters(branches1.get("normalized-dead"), topics, deadLetterSerde, "stage1");

    KStream<String, StageOutput> stage2 =
        branches1.get("normalized-draft")
            .mapValues(StageOutput::article, Named.as("draft"))
            .repartition(Repartitioned.with(Serdes.String(), articleSerde).withName(REPARTITION))
            .process(() -> new DedupProcessor(STORE, steps), Named.as("dedup"), STORE);

    var branches2 = stage2.split(Named.as("deduped-"))
        .branch((k, v) -> v.isDeadLetter(), Branched.as("dead"))
        .defaultBranch(Branched.as("article"));
    toDeadLetters(branches2.get("deduped-dead"), topics, deadLetterSerde, "stage2");
    branches2.get("deduped-article")
        .mapValues(StageOutput::article, Named.as("article"))
        .to(topics.articles(), Produced.with(Serdes.String(), articleSerde).withName("articles"));
    return b.build();
  }

  private static void toDeadLetters(KStream<String, StageOutput> s, Topics topics, Serde<DeadLetter> serde, String name) {
    s.mapValues(StageOutput::deadLetter, Named.as(name + "-dead-letter"))
        .to(topics.deadLetters(), Produced.with(Serdes.String(), serde).withName(name + "-dead-letters"));
  }
}
