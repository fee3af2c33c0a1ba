package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.wireingest.config.ConfigException;
import picocli.CommandLine;

/** {@code --body-budget-mb}: its default from the heap and its bounds. */
class PollerOptionsTest {

  private static PollerOptions withHeap(long heapMiB, String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    holder.options.maxHeapBytes = heapMiB << 20;
    return holder.options;
  }

  @Test
  void shouldDeriveTheBodyBudgetFromTheHeapWhenNotGiven() {
    PollerOptions options = withHeap(912);

    assertThat(options.bodyBudgetBytes()).isEqualTo(57L << 20);
    assertThat(options.bodyBudgetOrigin())
        .isEqualTo("1/16 of the 912 MiB heap; --body-budget-mb to change it");
  }

  @Test
  void shouldTakeABodyBudgetUpToTheHeap() {
    assertThat(withHeap(912, "--body-budget-mb", "912").bodyBudgetBytes()).isEqualTo(912L << 20);
    assertThat(withHeap(912, "--body-budget-mb", "1").bodyBudgetBytes()).isEqualTo(1L << 20);
  }

  @Test
  void shouldRefuseABodyBudgetOverTheHeapOrBelowOneMebibyte() {
    assertThatThrownBy(() -> withHeap(912, "--body-budget-mb", "913").bodyBudgetBytes())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--body-budget-mb must be between 1 and 912, the heap's maximum in MiB (-Xmx; got 913)");
    assertThatThrownBy(() -> withHeap(912, "--body-budget-mb", "0").bodyBudgetBytes())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--body-budget-mb must be between 1 and 912");
  }

  static final class Holder {
    @CommandLine.Mixin PollerOptions options = new PollerOptions();
  }
}
