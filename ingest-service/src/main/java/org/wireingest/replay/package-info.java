/**
 * Replay of feed history: re-derive article events from the retained raw items ({@code wire-ingest
 * replay}), re-parse stored feed bodies from the fetch log with the current parser ({@code replay
 * --reparse}), and tell the story of one article ({@code wire-ingest story}).
 *
 * <p>The rules are not here: a replay runs the live normalizer's {@link
 * org.wireingest.streams.NormalizerSteps} and the poller's {@link org.wireingest.poll.RawItems}
 * over history with fresh state. {@link HistoryRecord}, {@link TimestampMerge}, {@link
 * ArticleReplay}, {@link Reparser}, {@link StoryBuilder}, {@link ReplayProgress}, {@link
 * RecordKind} and {@link ReplayTimes} are plain Java; {@link TopicHistory} and the {@code *Job}
 * classes are the Kafka edge.
 */
package org.wireingest.replay;
