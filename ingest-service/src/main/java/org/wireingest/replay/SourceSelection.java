package org.wireingest.replay;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code replay --source} filter of one history read, remembering which of the requested source
 * ids it met: a mistyped id reads nothing, and the summary says so instead of a silent zero. Not
 * thread-safe (one read, one thread).
 */
final class SourceSelection {

  private final Set<String> requested;
  private final Set<String> met = new LinkedHashSet<>();

  /**
   * @param requested the source ids to select; empty selects every source
   */
  SourceSelection(Set<String> requested) {
    this.requested = Set.copyOf(requested);
  }

  /**
   * @param sourceId a record's source id; null for a record without one
   * @return whether the record is selected (always, when no source was requested)
   */
  boolean test(String sourceId) {
    if (requested.isEmpty()) {
      return true;
    }
    if (sourceId == null || !requested.contains(sourceId)) {
      return false;
    }
    met.add(sourceId);
    return true;
  }

  /**
   * @return the requested source ids no record had, sorted; empty when every one was met or none
   *     was requested
   */
  Set<String> notMet() {
    Set<String> out = new TreeSet<>(requested);
    out.removeAll(met);
    return out;
  }

  /**
   * @param notMet {@link #notMet()}
   * @param interrupted whether the read stopped before the end of the range: the ids may still have
   *     records in the part not read, so the note claims only the part read and gives no advice
   * @return the summary's note on them, sorted: {@code " | no record of source(s) a, b in the range
   *     (check --source)"}, or {@code " | no record of source(s) a, b in the part read"} when
   *     interrupted; "" when empty
   */
  static String note(Set<String> notMet, boolean interrupted) {
    if (notMet.isEmpty()) {
      return "";
    }
    return " | no record of source(s) "
        + String.join(", ", new TreeSet<>(notMet))
        + (interrupted ? " in the part read" : " in the range (check --source)");
  }
}
