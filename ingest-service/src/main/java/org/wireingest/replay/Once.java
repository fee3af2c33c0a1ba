package org.wireingest.replay;

import java.util.Objects;

/**
 * An action run at most once, which tells whether it ran: a replay creates its topics just before
 * its first write, so a run that writes nothing leaves no empty topic behind. Not thread-safe: a
 * replay writes from one thread.
 */
final class Once implements Runnable {

  private final Runnable action;
  private boolean ran;

  /**
   * @param action what to run on the first {@link #run}; never null
   */
  Once(Runnable action) {
    this.action = Objects.requireNonNull(action, "action");
  }

  /** Runs the action the first time; does nothing later. Throws what the action throws. */
  @Override
  public void run() {
    if (!ran) {
      ran = true;
      action.run();
    }
  }

  /**
   * @return whether {@link #run} has been called
   */
  boolean ran() {
    return ran;
  }
}
