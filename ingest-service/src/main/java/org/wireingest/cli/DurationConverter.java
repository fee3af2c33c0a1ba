package org.wireingest.cli;

import java.time.Duration;
import org.wireingest.config.Durations;
import picocli.CommandLine;

/** Accepts {@code 20s}, {@code 5m}, {@code 2h}, {@code 30d} and ISO-8601 ({@code PT20S}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
