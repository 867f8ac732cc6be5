package dev.mlv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The two duration syntaxes of the command line, pinned before they become one. */
class DurationConverterTest {
    /** What {@code export --watch} takes: milliseconds, bare seconds, minutes, hours. */
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
        assertThat(new Durations().convert(text)).isEqualTo(expected);
    }

    /** What {@code gc --grace} and {@code --wait} take: zero, seconds, minutes, hours, days, ISO-8601. */
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

    @ParameterizedTest
    @ValueSource(strings = {"7d", "PT30S", "1.5s", "-1s", "10 s", "10S", "", "7x", "ms"})
    void watchRejectsOtherForms(String text) {
        assertThatThrownBy(() -> new Durations().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is not an interval; write for example 500ms, 10s, 5m or 1h");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "5ms", "9ms"})
    void watchRejectsIntervalsUnder10ms(String text) {
        assertThatThrownBy(() -> new Durations().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("interval '" + text + "' is too short; use at least 10ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "30", "1.5s", "10 s", "10S", "", "7x", "PT", "1234567890s"})
    void graceRejectsOtherForms(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is not a duration; use e.g. 0, 90s, 30m, 24h or 7d");
    }
}
