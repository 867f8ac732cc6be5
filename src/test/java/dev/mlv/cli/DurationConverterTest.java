package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/**
 * The one duration syntax of the command line: the union of what {@code export --watch} and
 * {@code gc --grace} took before (each table below is what one of them accepted, unchanged).
 */
class DurationConverterTest {
    /** What {@code export --watch} took: milliseconds, bare seconds, minutes, hours. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "500ms, PT0.5S",
        "10ms, PT0.01S",
        "30s, PT30S",
        "30, PT30S",
        "5m, PT5M",
        "24h, PT24H",
        "' 10s ', PT10S",
    })
    void watchForms(String text, Duration expected) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(expected);
    }

    /** What {@code gc --grace} and {@code --wait} took: zero, seconds, minutes, hours, days, ISO-8601. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "0, PT0S",
        "90s, PT90S",
        "30m, PT30M",
        "24h, PT24H",
        "7d, PT168H",
        "PT30S, PT30S",
        "PT1H30M, PT1H30M",
        "P2D, PT48H",
        "pt0.5s, PT0.5S",
        "' 7d ', PT168H",
    })
    void graceForms(String text, Duration expected) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(expected);
    }

    /** What only one of them took, now taken by both. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "7d, PT168H",
        "PT30S, PT30S",
        "P2D, PT48H",
        "500ms, PT0.5S",
        "30, PT30S",
        "00, PT0S",
        "1234567890s, PT342935H31M30S",
        "0ms, PT0S",
    })
    void unionOfBothForms(String text, Duration expected) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5s", "-1s", "10 s", "10S", "10MS", "", "7x", "ms", "PT", "1w", "P1M",
        "99999999999999999999s", "999999999999999999d"})
    void rejectsAnythingElseNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is not a duration;"
                        + " use 500ms, 30s (a bare number is seconds), 5m, 24h, 7d or ISO-8601 such as PT1H30M");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-PT1H", "PT-1S", "P-1D"})
    void rejectsNegativeDurations(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is negative; give a duration of 0 or more");
    }
}
