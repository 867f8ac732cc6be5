package dev.mlv.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricValueTest {
    @Test
    void integralMeansWholeAndExact() {
        assertThat(MetricValue.number(10, "10.0").isIntegral()).isTrue();
        assertThat(MetricValue.number(0.5, "0.5").isIntegral()).isFalse();
        assertThat(MetricValue.number(Double.POSITIVE_INFINITY, "Infinity").isIntegral()).isFalse();
        assertThat(MetricValue.number(1e20, "1e20").isIntegral()).as("beyond 2^53").isFalse();
        assertThat(MetricValue.number(3).text()).isEqualTo("3");
        assertThat(MetricValue.number(0.25).text()).isEqualTo("0.25");
    }

    @Test
    void onlyNumbersHaveANumericValue() {
        assertThatThrownBy(() -> MetricValue.string("0.9").asDouble())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a number");
        assertThat(MetricValue.bool(true).isNumber()).isFalse();
    }

    @Test
    void sameAsComparesNumbersByValueButEqualsKeepsTheText() {
        MetricValue a = MetricValue.number(0.9, "0.90");
        MetricValue b = MetricValue.number(0.9, "0.9");

        assertThat(a.sameAs(b)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(MetricValue.number(Double.NaN, "NaN").sameAs(MetricValue.number(Double.NaN, "NaN"))).isTrue();
        assertThat(MetricValue.string("true").sameAs(MetricValue.bool(true))).isFalse();
    }

    @Test
    void jsonKeepsKindsAndDigits() throws Exception {
        List<MetricValue> values = List.of(MetricValue.number(0.93, "0.930"), MetricValue.number(12, "12"),
                MetricValue.string("resnet"), MetricValue.bool(false), MetricValue.number(Double.NaN, "NaN"),
                MetricValue.number(Double.NEGATIVE_INFINITY, "-Infinity"));

        assertThat(new ObjectMapper().writeValueAsString(values))
                .isEqualTo("[0.930,12,\"resnet\",false,\"NaN\",\"-Infinity\"]");
    }
}
