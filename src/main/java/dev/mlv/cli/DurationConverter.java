package dev.mlv.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as people type them: {@code 0}, {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}, or ISO {@code PT1H}. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.trim();
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        if (v.matches("[0-9]{1,9}[smhd]")) {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; use e.g. 0, 90s, 30m, 24h or 7d");
        }
    }
}
