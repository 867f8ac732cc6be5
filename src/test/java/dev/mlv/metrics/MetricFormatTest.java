package dev.mlv.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MetricFormatTest {
    @ParameterizedTest
    @CsvSource({
            "10, 10",
            "10.0, 10",
            "-3, -3",
            "0, 0",
            "0.93, 0.93",
            "0.930, 0.93",
            "0.123456789, 0.123457",
            "0.30000000000000004, 0.3",
            "1234567.89, 1234568",
            "123.456789, 123.457",
            "0.00012345678, 0.000123457",
            "0.000015, 1.5e-5",
            "-0.00000012345678, -1.23457e-7",
            "1e20, 1e20",
            "2.5e15, 2.5e15"})
    void numbers(double value, String shown) {
        assertThat(MetricFormat.number(value)).isEqualTo(shown);
    }

    @Test
    void specialValuesAndOtherKinds() {
        assertThat(MetricFormat.number(Double.NaN)).isEqualTo("NaN");
        assertThat(MetricFormat.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(MetricFormat.value(MetricValue.string("resnet"))).isEqualTo("resnet");
        assertThat(MetricFormat.value(MetricValue.bool(true))).isEqualTo("true");
        assertThat(MetricFormat.value(MetricValue.number(0.93, "0.930"))).isEqualTo("0.93");
    }

    @ParameterizedTest
    @CsvSource({
            "0.012, +1.2%",
            "-0.012, -1.2%",
            "0.125, +12.5%",
            "1.5, +150.0%",
            "0.0012, +0.12%",
            "-0.0000345, -0.0035%",
            "0.00999, +1.0%",
            "0, 0%"})
    void relativeChange(double fraction, String shown) {
        assertThat(MetricFormat.percent(fraction)).isEqualTo(shown);
    }

    @Test
    void signedChange() {
        assertThat(MetricFormat.change(0.02)).isEqualTo("+0.02");
        assertThat(MetricFormat.change(-1.5)).isEqualTo("-1.5");
        assertThat(MetricFormat.change(0)).isEqualTo("0");
    }
}
