package org.wireingest.streams;

import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;

/**
 * What a topology stage hands on: an article (draft or final) or a dead letter. Lives only between
 * a processor and the branch that follows it; never serialised.
 *
 * @param article the article; null for a dead letter
 * @param deadLetter the dead letter; null for an article
 */
record StageOutput(ArticleEvent article, DeadLetter deadLetter) {

  static StageOutput of(ArticleEvent a) {
    return new StageOutput(a, null);
  }

  static StageOutput dead(DeadLetter d) {
    return new StageOutput(null, d);
  }

  boolean isDeadLetter() {
    return deadLetter != null;
  }
}
