package org.wireingest.ops;

import java.time.Duration;
import org.wireingest.config.FeedSource;
import org.wireingest.config.TestFeeds;

/** Feed sources the ops tests put on the board and in the metrics. */
final class OpsFeeds {

  /** TRT World's main feed: id {@code trtworld-main}, agency {@code trtworld}, every 2 minutes. */
  static final FeedSource TRT_WORLD =
      TestFeeds.feed("trtworld-main")
          .name("TRT World")
          .agency("trtworld")
          .url("https://www.trtworld.com/feed/rss.xml")
          .interval(Duration.ofMinutes(2))
          .build();

  private OpsFeeds() {}
}
