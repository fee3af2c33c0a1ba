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
 * wire.raw-items.v1 ─▶ route (stage 1) ─┬─▶ repartition by uri ─▶ dedup (stage 2, store "article-versions") ─┬─▶ wire.articles.v1
 *                                       └─▶ wire.dead-letters.v1 ◀───────────────────────────────────────────┘
 * </pre>
 *
 * Stage 1 only reads each raw item for its {@code uri} and input hash and passes its bytes on as
 * they are ({@link RoutedSerde}); stage 2 normalises, unless the item's input hash shows it is an
 * exact copy of the last version's input ({@link NormalizerSteps#decide}). Repartitioning by
 * {@code uri} puts every copy of a story — from any feed of its agency — in one task, so its
 * version store is the single authority.
 */
public final class NormalizerTopology {

  /** Name of the persistent (RocksDB, changelogged) store of article versions, keyed by uri. */
  public static final String STORE = "article-versions";

  /**
   * Name of the repartition step (its internal topic is {@code
   * <application.id>-raw-items-by-uri-repartition}). Until 2026-11 the topic carried drafts, as
   * {@code <application.id>-articles-by-uri-repartition}; that topic is no longer read.
   */
  public static final String REPARTITION = "raw-items-by-uri";

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

    KStream<String, NormalizerSteps.Routing> stage1 =
        b.stream(topics.rawItems(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-items"))
            .process(() -> new RouteProcessor(steps), Named.as("route"));

    var branches1 = stage1.split(Named.as("routed-"))
        .branch((k, v) -> v instanceof NormalizerSteps.Routing.Rejected, Branched.as("dead"))
        .defaultBranch(Branched.as("item"));
    branches1.get("routed-dead")
        .mapValues(v -> ((NormalizerSteps.Routing.Rejected) v).deadLetter(), Named.as("stage1-dead-letter"))
        .to(topics.deadLetters(), Produced.with(Serdes.String(), deadLetterSerde).withName("stage1-dead-letters"));

    KStream<String, StageOutput> stage2 =
        branches1.get("routed-item")
            .mapValues(v -> (NormalizerSteps.Routing.Routed) v, Named.as("item"))
            .repartition(Repartitioned.with(Serdes.String(), new RoutedSerde()).withName(REPARTITION))
            .process(() -> new DedupProcessor(STORE, steps), Named.as("dedup"), STORE);

    var branches2 = stage2.split(Named.as("deduped-"))
        .branch((k, v) -> v.isDeadLetter(), Branched.as("dead"))
        .defaultBranch(Branched.as("article"));
    branches2.get("deduped-dead")
        .mapValues(StageOutput::deadLetter, Named.as("stage2-dead-letter"))
        .to(topics.deadLetters(), Produced.with(Serdes.String(), deadLetterSerde).withName("stage2-dead-letters"));
    branches2.get("deduped-article")
        .mapValues(StageOutput::article, Named.as("article"))
        .to(topics.articles(), Produced.with(Serdes.String(), articleSerde).withName("articles"));
    return b.build();
  }
}
