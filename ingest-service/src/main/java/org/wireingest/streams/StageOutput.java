package org.wireingest.streams;

import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;

/**
 * What the dedup stage hands on: an article event or a dead letter, never both. Lives only between
 * {@link DedupProcessor} and the topology's branches; never serialised.
 *
 * @param article the article; null for a dead letter
 * @param deadLetter the dead letter; null for an article
 */
public record StageOutput(ArticleEvent article, DeadLetter deadLetter) {

  /** @return an output carrying article {@code a} */
  static StageOutput of(ArticleEvent a) {
    return new StageOutput(a, null);
  }

  /** @return an output carrying dead letter {@code d} */
  static StageOutput dead(DeadLetter d) {
    return new StageOutput(null, d);
  }

  /** @return true when this output is a dead letter */
  public boolean isDeadLetter() {
    return deadLetter != null;
  }
}
