package org.wireingest.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.wireingest.model.ErrorText;

/**
 * The readiness of the process for {@code GET /health/ready} (a Kubernetes readiness probe): ready
 * when every {@link Probe} says up. Until the pipeline is wired ({@link #use}), the one probe
 * {@code startup} is down. Probes run at every request, one after the other; each must bound its
 * own time (about a second) and may throw, which counts as down, the exception described ({@link
 * ErrorText#describe}). Thread-safe.
 */
public final class Readiness {

  /**
   * The result of one probe.
   *
   * @param name what was checked ({@code broker}, {@code topics}, {@code normalizer}, ...)
   * @param up whether it passed
   * @param detail one line for an operator: what was found, or why it failed; never null
   */
  public record Check(String name, boolean up, String detail) {
    public Check {
      Objects.requireNonNull(name);
      detail = detail == null ? "" : detail;
    }
  }

  /**
   * All checks of one request.
   *
   * @param up true when every check is up
   * @param checks the checks, in probe order
   */
  public record Report(boolean up, List<Check> checks) {
    public Report {
      checks = List.copyOf(checks);
    }

    /**
     * @param checks the checks, in probe order; may be empty (up)
     * @return the report of {@code checks}, up when every one is
     */
    public static Report of(List<Check> checks) {
      return new Report(checks.stream().allMatch(Check::up), checks);
    }
  }

  /** One readiness probe. */
  @FunctionalInterface
  public interface Probe {
    /**
     * @return the check's result; bounded in time
     * @throws RuntimeException counted as down
     */
    Check check();
  }

  private volatile List<Probe> probes =
      List.of(() -> new Check("startup", false, "starting: the pipeline is not running yet"));

  /**
   * Replaces the probes (once the pipeline is wired).
   *
   * @param probes the probes; at least one
   * @throws IllegalArgumentException when empty
   */
  public void use(List<Probe> probes) {
    if (probes.isEmpty()) {
      throw new IllegalArgumentException("readiness needs at least one probe");
    }
    this.probes = List.copyOf(probes);
  }

  /**
   * @return the result of every probe now
   */
  public Report check() {
    List<Check> checks = new ArrayList<>();
    for (Probe p : probes) {
      Check c;
      try {
        c = p.check();
      } catch (RuntimeException e) {
        c = new Check("probe", false, ErrorText.describe(e));
      }
      checks.add(c);
    }
    return Report.of(checks);
  }
}
