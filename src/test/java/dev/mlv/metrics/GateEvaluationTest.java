package dev.mlv.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateEvaluationTest {
    private static final Directions DEFAULTS = Directions.defaults();

    private static Metrics metrics(String json) throws MetricsException {
        return MetricsParserTest.parse(json);
    }

    private static GateResult require(String expr, Metrics src) throws MetricsException {
        return RequireGate.parse(expr).evaluate(src, Metrics.empty(), DEFAULTS);
    }

    private static GateResult noRegress(String spec, Metrics src, Metrics dst) throws MetricsException {
        return NoRegressGate.parse(spec).evaluate(src, dst, DEFAULTS);
    }

    @Test
    void requirePassesAndFailsWithReadableReasons() throws Exception {
        Metrics src = metrics("{\"accuracy\": 0.93, \"loss\": 0.2}");

        GateResult pass = require("accuracy>=0.9", src);
        assertThat(pass.passed()).isTrue();
        assertThat(pass.reason()).isEqualTo("0.93 >= 0.9");
        assertThat(pass.srcValue().text()).isEqualTo("0.93");
        assertThat(pass.dstValue()).isNull();
        assertThat(pass.rule()).isEqualTo("accuracy >= 0.9");

        GateResult fail = require("loss < 0.1", src);
        assertThat(fail.passed()).isFalse();
        assertThat(fail.reason()).isEqualTo("0.2 is not < 0.1");
    }

    @Test
    void requireComparesDecimalsExactly() throws Exception {
        Metrics src = metrics("{\"a\": 0.90, \"sum\": 0.3}");

        assertThat(require("a == 0.9", src).passed()).isTrue();
        assertThat(require("a >= 0.9", src).passed()).isTrue();
        assertThat(require("a > 0.9", src).passed()).isFalse();
        assertThat(require("a != 0.9", src).passed()).isFalse();
        assertThat(require("sum <= 0.3", src).passed()).isTrue();
    }

    @Test
    void requireFailsOnMissingNonNumericAndNaN() throws Exception {
        Metrics src = metrics("{\"model\": \"resnet\", \"loss\": NaN, \"ok\": true}");

        assertThat(require("accuracy>=0.9", src)).satisfies(r -> {
            assertThat(r.passed()).isFalse();
            assertThat(r.reason()).isEqualTo("missing in SRC");
            assertThat(r.srcValue()).isNull();
        });
        assertThat(require("model>=1", src).reason()).isEqualTo("SRC value \"resnet\" is not a number");
        assertThat(require("ok==1", src).passed()).isFalse();
        assertThat(require("loss<1", src).reason()).isEqualTo("SRC value is NaN");
        assertThat(require("loss!=1", src).passed()).as("NaN fails every operator").isFalse();
    }

    @Test
    void requireWithInfinity() throws Exception {
        Metrics src = metrics("{\"loss\": Infinity}");

        assertThat(require("loss < 1", src).passed()).isFalse();
        assertThat(require("loss > 1", src).passed()).isTrue();
    }

    @Test
    void noRegressForHigherIsBetter() throws Exception {
        Metrics dst = metrics("{\"accuracy\": 0.92}");

        GateResult better = noRegress("accuracy", metrics("{\"accuracy\": 0.93}"), dst);
        assertThat(better.passed()).isTrue();
        assertThat(better.reason()).isEqualTo("0.93 vs 0.92 in DST: no regression (max: higher is better)");
        assertThat(better.dstValue().text()).isEqualTo("0.92");
        assertThat(better.direction().direction()).isEqualTo(Direction.MAX);

        assertThat(noRegress("accuracy", metrics("{\"accuracy\": 0.92}"), dst).passed()).isTrue();

        GateResult worse = noRegress("accuracy", metrics("{\"accuracy\": 0.91}"), dst);
        assertThat(worse.passed()).isFalse();
        assertThat(worse.reason()).isEqualTo("0.91 vs 0.92 in DST: worse by 0.01 (-1.1%), no tolerance (max: higher is better)");
    }

    @Test
    void noRegressForLowerIsBetter() throws Exception {
        Metrics dst = metrics("{\"val_loss\": 0.30}");

        assertThat(noRegress("val_loss", metrics("{\"val_loss\": 0.25}"), dst).passed()).isTrue();
        GateResult worse = noRegress("val_loss", metrics("{\"val_loss\": 0.33}"), dst);
        assertThat(worse.passed()).isFalse();
        assertThat(worse.reason()).isEqualTo("0.33 vs 0.3 in DST: worse by 0.03 (+10.0%), no tolerance (min: lower is better)");
        assertThat(worse.direction().direction()).isEqualTo(Direction.MIN);
    }

    @Test
    void absoluteToleranceIsInclusiveAndExact() throws Exception {
        Metrics dst = metrics("{\"accuracy\": 0.92, \"loss\": 0.3}");

        GateResult edge = noRegress("accuracy:0.01", metrics("{\"accuracy\": 0.91}"), dst);
        assertThat(edge.passed()).as("0.92 - 0.91 is exactly 0.01 in decimal").isTrue();
        assertThat(edge.reason()).isEqualTo("0.91 vs 0.92 in DST: worse by 0.01 (-1.1%), within tolerance 0.01 (max: higher is better)");
        GateResult beyond = noRegress("accuracy:0.01", metrics("{\"accuracy\": 0.9099}"), dst);
        assertThat(beyond.passed()).isFalse();
        assertThat(beyond.reason()).contains("more than tolerance 0.01 allows");

        assertThat(noRegress("loss:0.05", metrics("{\"loss\": 0.35}"), dst).passed()).isTrue();
        assertThat(noRegress("loss:0.05", metrics("{\"loss\": 0.36}"), dst).passed()).isFalse();
    }

    @Test
    void relativeToleranceIsAShareOfDstsValue() throws Exception {
        Metrics dst = metrics("{\"accuracy\": 0.80, \"loss\": 2.0}");

        assertThat(noRegress("accuracy:1%", metrics("{\"accuracy\": 0.792}"), dst).passed()).isTrue();
        assertThat(noRegress("accuracy:1%", metrics("{\"accuracy\": 0.7919}"), dst).passed()).isFalse();
        assertThat(noRegress("loss:5%", metrics("{\"loss\": 2.1}"), dst).passed()).isTrue();
        assertThat(noRegress("loss:5%", metrics("{\"loss\": 2.11}"), dst).passed()).isFalse();
    }

    @Test
    void configuredDirectionIsUsed() throws Exception {
        Directions directions = Directions.of(Map.of("tokens", "min"));
        Metrics dst = metrics("{\"tokens\": 100}");

        GateResult r = NoRegressGate.parse("tokens").evaluate(metrics("{\"tokens\": 120}"), dst, directions);

        assertThat(r.passed()).isFalse();
        assertThat(r.direction().configured()).isTrue();
    }

    @Test
    void dstWithoutTheMetricPassesWithANote() throws Exception {
        GateResult r = noRegress("accuracy:1%", metrics("{\"accuracy\": 0.5}"), Metrics.empty());

        assertThat(r.passed()).isTrue();
        assertThat(r.reason()).isEqualTo("no value in DST");
        assertThat(r.dstValue()).isNull();

        GateResult nan = noRegress("loss", metrics("{\"loss\": 0.5}"), metrics("{\"loss\": NaN}"));
        assertThat(nan.passed()).isTrue();
        assertThat(nan.reason()).isEqualTo("DST value NaN is not a number; nothing to compare");
    }

    @Test
    void srcWithoutTheMetricFails() throws Exception {
        GateResult r = noRegress("accuracy", Metrics.empty(), metrics("{\"accuracy\": 0.9}"));

        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("missing in SRC");
        assertThat(r.dstValue().text()).isEqualTo("0.9");
        assertThat(noRegress("model", metrics("{\"model\": \"a\"}"), metrics("{\"model\": \"b\"}")).passed()).isFalse();
    }

    @Test
    void infiniteValuesCompareWithoutTolerance() throws Exception {
        assertThat(noRegress("loss:10%", metrics("{\"loss\": 3}"), metrics("{\"loss\": Infinity}")).passed()).isTrue();
        assertThat(noRegress("loss:10%", metrics("{\"loss\": Infinity}"), metrics("{\"loss\": 3}")).passed()).isFalse();
    }

    @Test
    void reportPassesOnlyWhenEveryGatePassesAndKeepsAllResults() throws Exception {
        Gates gates = Gates.parse(List.of("accuracy>=0.9", "f1>0.99"), List.of("accuracy", "loss"));
        Metrics src = metrics("{\"accuracy\": 0.95, \"f1\": 0.5, \"loss\": 0.1}");
        Metrics dst = metrics("{\"accuracy\": 0.94}");

        GateReport report = gates.evaluate(src, dst, DEFAULTS);

        assertThat(report.passed()).isFalse();
        assertThat(report.results()).extracting(GateResult::passed).containsExactly(true, false, true, true);
        assertThat(report.failures()).extracting(GateResult::rule).containsExactly("f1 > 0.99");
        assertThat(Gates.none().evaluate(src, dst, DEFAULTS).passed()).isTrue();
    }

    @Test
    void reportRendersAsJson() throws Exception {
        Gates gates = Gates.parse(List.of("accuracy>=0.9"), List.of("loss:1%"));
        GateReport report = gates.evaluate(metrics("{\"accuracy\": 0.930, \"loss\": 0.5}"),
                metrics("{\"loss\": NaN}"), DEFAULTS);

        JsonNode json = new ObjectMapper().valueToTree(report);

        assertThat(json.get("passed").asBoolean()).isTrue();
        JsonNode first = json.get("results").get(0);
        assertThat(first.get("metric").asText()).isEqualTo("accuracy");
        assertThat(first.get("srcValue").isNumber()).isTrue();
        assertThat(first.get("srcValue").decimalValue()).isEqualByComparingTo("0.930");
        assertThat(first.get("dstValue").isNull()).isTrue();
        JsonNode second = json.get("results").get(1);
        assertThat(second.get("dstValue").asText()).isEqualTo("NaN");
        assertThat(second.get("direction").get("direction").asText()).isEqualTo("min");
        assertThat(json.has("failures")).isFalse();
    }
}
