package org.wireingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.wireingest.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class TopicOptionsTest {

  @Command(name = "holder")
  static final class Holder {
    @Mixin TopicOptions options;
  }

  private static TopicOptions parse(String... args) {
    Holder holder = new Holder();
    new CommandLine(holder).parseArgs(args);
    return holder.options;
  }

  @Test
  void shouldCreateSixPartitionsByDefaultSoOneTwoThreeOrSixStreamThreadsShareThemEvenly() {
    int partitions = parse().partitions;
    assertThat(partitions).isEqualTo(6);
    for (int threads : new int[] {1, 2, 3, 6}) {
      assertThat(partitions % threads).as("%d stream threads", threads).isZero();
    }
  }

  @Test
  void shouldTakeAnotherPartitionCountAndRefuseZero() {
    assertThat(parse("--partitions", "12").partitions).isEqualTo(12);
    assertThatThrownBy(() -> parse("--partitions", "0").topics())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--partitions must be at least 1");
  }
}
