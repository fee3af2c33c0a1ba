package org.wireingest.streams;

import org.wireingest.model.ArticleEvent;
import org.wireingest.model.DeadLetter;
import org.wireingest.model.StorySignature;

/**
 * What the dedup stage hands on: an article event, a dead letter, or a story's entry for the
 * near-duplicate index; exactly one of them. Lives only between {@link DedupProcessor} and the
 * topology's branches; never serialised.
 *
 * @param article the article; null otherwise
 * @param deadLetter the dead letter; null otherwise
 * @param signature the story-signatures record; null otherwise
 */
public record StageOutput(ArticleEvent article, DeadLetter deadLetter, StorySignature signature) {

  /**
   * @return an output carrying article {@code a}
   */
  static StageOutput of(ArticleEvent a) {
    return new StageOutput(a, null, null);
  }

  /**
   * @return an output carrying dead letter {@code d}
   */
  static StageOutput dead(DeadLetter d) {
    return new StageOutput(null, d, null);
  }

  /**
   * @return an output carrying the index entry {@code s}
   */
  static StageOutput signature(StorySignature s) {
    return new StageOutput(null, null, s);
  }

  /**
   * @return true when this output is a dead letter
   */
  public boolean isDeadLetter() {
    return deadLetter != null;
  }

  /**
   * @return true when this output is an index entry
   */
  public boolean isSignature() {
    return signature != null;
  }
}
