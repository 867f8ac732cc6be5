package dev.mlv.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsDiffTest {
    private static Metrics metrics(Object... keyValues) {
        Map<String, MetricValue> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            MetricValue value = v instanceof String s ? MetricValue.string(s)
                    : v instanceof Boolean b ? MetricValue.bool(b)
                    : MetricValue.number(((Number) v).doubleValue());
            map.put((String) keyValues[i], value);
        }
        return Metrics.of(map);
    }

    private static DiffRow row(MetricsDiff diff, String key) {
        return diff.rows().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void statusesFollowEachMetricsDirection() {
        Metrics old = metrics("accuracy", 0.90, "loss", 0.30, "f1", 0.8, "val_loss", 0.2, "gone", 1, "same", 5);
        Metrics now = metrics("accuracy", 0.92, "loss", 0.25, "f1", 0.7, "val_loss", 0.3, "new", 2, "same", 5);

        MetricsDiff diff = MetricsDiff.between(old, now, Directions.defaults());

        assertThat(diff.rows()).extracting(DiffRow::key)
                .containsExactly("accuracy", "f1", "gone", "loss", "new", "same", "val_loss");
        assertThat(row(diff, "accuracy").status()).isEqualTo(DiffStatus.BETTER);
        assertThat(row(diff, "loss").status()).isEqualTo(DiffStatus.BETTER);
        assertThat(row(diff, "f1").status()).isEqualTo(DiffStatus.WORSE);
        assertThat(row(diff, "val_loss").status()).isEqualTo(DiffStatus.WORSE);
        assertThat(row(diff, "gone").status()).isEqualTo(DiffStatus.REMOVED);
        assertThat(row(diff, "gone").newValue()).isNull();
        assertThat(row(diff, "new").status()).isEqualTo(DiffStatus.ADDED);
        assertThat(row(diff, "new").oldValue()).isNull();
        assertThat(row(diff, "same").status()).isEqualTo(DiffStatus.SAME);
        assertThat(row(diff, "loss").direction().direction()).isEqualTo(Direction.MIN);
    }

    @Test
    void configuredDirectionFlipsTheVerdict() throws Exception {
        Metrics old = metrics("tokens", 100);
        Metrics now = metrics("tokens", 90);

        assertThat(row(MetricsDiff.between(old, now, Directions.defaults()), "tokens").status()).isEqualTo(DiffStatus.WORSE);
        MetricsDiff configured = MetricsDiff.between(old, now, Directions.of(Map.of("tokens", "min")));
        assertThat(row(configured, "tokens").status()).isEqualTo(DiffStatus.BETTER);
        assertThat(row(configured, "tokens").direction().configured()).isTrue();
    }

    @Test
    void absoluteAndRelativeChange() {
        DiffRow r = row(MetricsDiff.between(metrics("acc", 0.8), metrics("acc", 0.9), Directions.defaults()), "acc");

        assertThat(r.absoluteChange()).isCloseTo(0.1, within(1e-12));
        assertThat(r.relativeChange()).isCloseTo(0.125, within(1e-12));
    }

    @Test
    void relativeChangeIsAgainstTheMagnitudeOfANegativeOldValue() {
        DiffRow r = row(MetricsDiff.between(metrics("r2", -2), metrics("r2", -1), Directions.defaults()), "r2");

        assertThat(r.relativeChange()).isEqualTo(0.5);
        assertThat(r.status()).isEqualTo(DiffStatus.BETTER);
    }

    @Test
    void relativeChangeIsNullWhenOldIsZero() {
        DiffRow r = row(MetricsDiff.between(metrics("errors", 0), metrics("errors", 3), Directions.defaults()), "errors");

        assertThat(r.absoluteChange()).isEqualTo(3.0);
        assertThat(r.relativeChange()).isNull();
        assertThat(r.status()).isEqualTo(DiffStatus.WORSE);
    }

    @Test
    void sameZeroHasNoRelativeChange() {
        DiffRow r = row(MetricsDiff.between(metrics("x", 0), metrics("x", 0), Directions.defaults()), "x");

        assertThat(r.status()).isEqualTo(DiffStatus.SAME);
        assertThat(r.absoluteChange()).isEqualTo(0.0);
        assertThat(r.relativeChange()).isNull();
    }

    @Test
    void numbersCompareByValueNotText() {
        Metrics old = Metrics.of(Map.of("acc", MetricValue.number(0.9, "0.90")));
        Metrics now = Metrics.of(Map.of("acc", MetricValue.number(0.9, "0.9")));

        assertThat(row(MetricsDiff.between(old, now, Directions.defaults()), "acc").status()).isEqualTo(DiffStatus.SAME);
    }

    @Test
    void nonNumbersAndKindChangesAreChanged() {
        Metrics old = metrics("model", "resnet", "flag", true, "kind", 1);
        Metrics now = metrics("model", "vit", "flag", false, "kind", "1");

        MetricsDiff diff = MetricsDiff.between(old, now, Directions.defaults());

        assertThat(diff.rows()).extracting(DiffRow::status).containsOnly(DiffStatus.CHANGED);
        assertThat(diff.rows()).allSatisfy(r -> {
            assertThat(r.absoluteChange()).isNull();
            assertThat(r.relativeChange()).isNull();
        });
        assertThat(row(MetricsDiff.between(old, old, Directions.defaults()), "model").status()).isEqualTo(DiffStatus.SAME);
    }

    @Test
    void nanIsChangedInfinityComparesAsANumber() {
        Metrics old = metrics("loss", Double.NaN, "val_loss", Double.POSITIVE_INFINITY, "n", Double.NaN);
        Metrics now = metrics("loss", 0.3, "val_loss", 0.3, "n", Double.NaN);

        MetricsDiff diff = MetricsDiff.between(old, now, Directions.defaults());

        assertThat(row(diff, "loss").status()).isEqualTo(DiffStatus.CHANGED);
        assertThat(row(diff, "val_loss").status()).isEqualTo(DiffStatus.BETTER);
        assertThat(row(diff, "val_loss").absoluteChange()).isNull();
        assertThat(row(diff, "n").status()).isEqualTo(DiffStatus.SAME);
    }

    @Test
    void onlyChangedDropsSameRows() {
        MetricsDiff diff = MetricsDiff.between(metrics("a", 1, "b", 2), metrics("a", 1, "b", 3), Directions.defaults());

        assertThat(diff.onlyChanged().rows()).extracting(DiffRow::key).containsExactly("b");
        assertThat(diff.count(DiffStatus.SAME)).isEqualTo(1);
        assertThat(diff.count(DiffStatus.BETTER)).isEqualTo(1);
    }
}
