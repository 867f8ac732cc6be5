package dev.mlv.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every duration option's syntax: a whole number with a unit, {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 24h}, {@code 7d}, or without one for seconds ({@code 30}, {@code 0}); or
 * ISO-8601 ({@code PT1H30M}, {@code P2D}). Never negative. How short is too short is the option's
 * own rule, not the syntax's.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final String FORMS = "use 500ms, 30s (a bare number is seconds), 5m, 24h, 7d or ISO-8601 such as PT1H30M";

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("([0-9]+)(ms|s|m|h|d)?");

    @Override
    public Duration convert(String value) {
        String text = value.strip();
        Duration d;
        try {
            d = parse(text);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; " + FORMS);
        }
        if (d.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative; give a duration of 0 or more");
        }
        return d;
    }

    private static Duration parse(String text) {
        Matcher m = NUMBER_AND_UNIT.matcher(text);
        if (!m.matches()) {
            return Duration.parse(text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
