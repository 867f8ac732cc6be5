package dev.mlv.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsParserTest {
    static MetricsFile file(String path, String json) {
        return new MetricsFile(path, json.getBytes(UTF_8));
    }

    static Metrics parse(String json) throws MetricsException {
        return MetricsParser.parse(List.of(file("metrics/metrics.json", json)));
    }

    @Test
    void nestedObjectsJoinWithDots() throws Exception {
        Metrics m = parse("{\"accuracy\": 0.93, \"eval\": {\"f1\": 0.8, \"per\": {\"cat\": 0.7}}}");

        assertThat(m.keys()).containsExactly("accuracy", "eval.f1", "eval.per.cat");
        assertThat(m.get("eval.per.cat")).contains(MetricValue.number(0.7, "0.7"));
        assertThat(m.metric("eval.per.cat").orElseThrow().origin()).isEqualTo("metrics/metrics.json at /eval/per/cat");
    }

    @Test
    void numbersStringsAndBooleansAreDifferentKinds() throws Exception {
        Metrics m = parse("{\"n\": 10, \"s\": \"10\", \"b\": true, \"f\": false, \"x\": 0.930}");

        assertThat(m.get("n").orElseThrow().kind()).isEqualTo(MetricValue.Kind.NUMBER);
        assertThat(m.get("n").orElseThrow().isIntegral()).isTrue();
        assertThat(m.get("s").orElseThrow().kind()).isEqualTo(MetricValue.Kind.STRING);
        assertThat(m.get("s").orElseThrow().text()).isEqualTo("10");
        assertThat(m.get("b").orElseThrow()).isEqualTo(MetricValue.bool(true));
        assertThat(m.get("f").orElseThrow().text()).isEqualTo("false");
        assertThat(m.get("b").orElseThrow().sameAs(MetricValue.string("true"))).isFalse();
        MetricValue x = m.get("x").orElseThrow();
        assertThat(x.asDouble()).isEqualTo(0.93);
        assertThat(x.text()).as("original text kept for exact display").isEqualTo("0.930");
        assertThat(x.isIntegral()).isFalse();
    }

    @Test
    void nullsAreDroppedWithoutWarning() throws Exception {
        Metrics m = parse("{\"a\": null, \"b\": {\"c\": null}, \"d\": 1}");

        assertThat(m.keys()).containsExactly("d");
        assertThat(m.skipped()).isEmpty();
    }

    @Test
    void numericArrayIsASeriesKeptByItsLastNumber() throws Exception {
        Metrics m = parse("{\"loss\": [0.9, 0.5, 0.31, null], \"eval\": {\"acc\": [1, 2]}}");

        assertThat(m.keys()).containsExactly("eval.acc", "loss").doesNotContain("loss.0");
        assertThat(m.get("loss").orElseThrow().text()).isEqualTo("0.31");
        assertThat(m.metric("loss").orElseThrow().pointer()).isEqualTo("/loss/2");
        assertThat(m.get("eval.acc").orElseThrow().asDouble()).isEqualTo(2.0);
    }

    @Test
    void otherArraysAreSkippedAndReported() throws Exception {
        Metrics m = parse("{\"classes\": [\"cat\", \"dog\"], \"per_class\": [{\"f1\": 0.9}], \"mixed\": [1, \"a\"],"
                + " \"empty\": [], \"nested\": [[1, 2]], \"ok\": 1}");

        assertThat(m.keys()).containsExactly("ok");
        assertThat(m.skipped()).extracting(SkippedValue::pointer)
                .containsExactly("/classes", "/per_class", "/mixed", "/empty", "/nested");
        assertThat(m.skipped().get(0).reason()).contains("strings").contains("not a metric");
        assertThat(m.skipped().get(3).reason()).isEqualTo("array holds no numbers");
        assertThat(m.skipped().get(0).toString()).isEqualTo(
                "metrics/metrics.json at /classes: " + m.skipped().get(0).reason());
    }

    @Test
    void emptyAndControlCharacterNamesAreSkipped() throws Exception {
        Metrics m = parse("{\"\": 1, \"a\\u0001b\": {\"x\": 2}, \"ok\": 3}");

        assertThat(m.keys()).containsExactly("ok");
        assertThat(m.skipped()).extracting(SkippedValue::reason)
                .containsExactly("empty name", "name contains a control character");
    }

    @Test
    void nanAndInfinityAreNumbers() throws Exception {
        Metrics m = parse("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity, \"d\": [1, NaN]}");

        assertThat(m.get("a").orElseThrow().asDouble()).isNaN();
        assertThat(m.get("b").orElseThrow().asDouble()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(m.get("c").orElseThrow().asDouble()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(m.get("d").orElseThrow().isFinite()).isFalse();
    }

    @Test
    void mainFileKeysAreBareOtherFilesArePrefixedByTheirPath() throws Exception {
        Metrics m = MetricsParser.parse(List.of(
                file("metrics/eval.json", "{\"accuracy\": 0.9}"),
                file("metrics/metrics.json", "{\"accuracy\": 0.8}"),
                file("metrics/a/b.json", "{\"x\": 1}"),
                file("metrics/eval.v2.json", "{\"f1\": 0.5}"),
                file("metrics/sub/metrics.json", "{\"y\": 2}"),
                file("metrics/roc.png", "not json"),
                file("metrics/notes.txt", "{")));

        assertThat(m.keys()).containsExactly("a.b.x", "accuracy", "eval.accuracy", "eval.v2.f1", "sub.metrics.y");
        assertThat(m.metric("eval.accuracy").orElseThrow().file()).isEqualTo("metrics/eval.json");
    }

    @Test
    void keysOfAFileDoNotChangeWhenAnotherFileIsAdded() throws Exception {
        Metrics alone = MetricsParser.parse(List.of(file("metrics/eval.json", "{\"acc\": 1}")));
        Metrics withMain = MetricsParser.parse(List.of(file("metrics/eval.json", "{\"acc\": 1}"),
                file("metrics/metrics.json", "{\"loss\": 1}")));

        assertThat(alone.keys()).containsExactly("eval.acc");
        assertThat(withMain.keys()).contains("eval.acc");
    }

    @Test
    void duplicateKeyAcrossFilesNamesBothOrigins() {
        assertThatThrownBy(() -> MetricsParser.parse(List.of(
                        file("metrics/metrics.json", "{\"eval\": {\"accuracy\": 0.9}}"),
                        file("metrics/eval.json", "{\"accuracy\": 0.8}"))))
                .isInstanceOf(MetricsException.class)
                .hasMessageContaining("'eval.accuracy' is defined twice")
                .hasMessageContaining("metrics/eval.json at /accuracy")
                .hasMessageContaining("metrics/metrics.json at /eval/accuracy")
                .extracting(e -> ((MetricsException) e).kind()).isEqualTo(MetricsException.Kind.INVALID_METRICS_FILE);
    }

    @Test
    void duplicateKeyFromDottedNameWithinAFile() {
        assertThatThrownBy(() -> parse("{\"eval.f1\": 1, \"eval\": {\"f1\": 2}}"))
                .hasMessageContaining("'eval.f1' is defined twice: metrics/metrics.json at /eval.f1 and metrics/metrics.json at /eval/f1");
    }

    @Test
    void repeatedNameInOneObjectIsAnError() {
        assertThatThrownBy(() -> parse("{\"a\": 1,\n \"a\": 2}"))
                .hasMessageContaining("metrics/metrics.json is not valid JSON at line 2")
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void malformedJsonNamesFileLineAndColumn() {
        assertThatThrownBy(() -> MetricsParser.parse(List.of(file("metrics/eval.json", "{\n  \"a\": 1,\n  \"b\" 2\n}"))))
                .isInstanceOf(MetricsException.class)
                .hasMessageStartingWith("metrics/eval.json is not valid JSON at line 3, column 7")
                .hasMessageContaining("fix the file");
    }

    @Test
    void truncatedJsonIsReported() {
        assertThatThrownBy(() -> parse("{\"a\": {\"b\": 1"))
                .hasMessageContaining("metrics/metrics.json is not valid JSON at line 1");
    }

    @Test
    void topLevelMustBeAnObject() {
        assertThatThrownBy(() -> parse("[1, 2]")).hasMessageContaining("metrics/metrics.json holds an array at line 1, column 1");
        assertThatThrownBy(() -> parse("0.9")).hasMessageContaining("holds a number");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("metrics/metrics.json is empty");
        assertThatThrownBy(() -> parse("{} {}")).hasMessageContaining("has content after its JSON object");
    }

    @Test
    void tenThousandLevelsOfObjectsAreRejectedCleanly() {
        String json = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);

        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(MetricsException.class)
                .hasMessageContaining("metrics/metrics.json is too deeply nested at line 1")
                .hasMessageContaining("more than 64 levels");
    }

    @Test
    void tenThousandLevelsOfArraysAreRejectedCleanly() {
        String json = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertThatThrownBy(() -> parse(json)).hasMessageContaining("too deeply nested");
    }

    @Test
    void deepNestingInsideASkippedArrayIsRejectedToo() {
        String json = "{\"a\": [\"x\", " + "{\"b\":".repeat(10_000) + "1" + "}".repeat(10_000) + "]}";

        assertThatThrownBy(() -> parse(json)).hasMessageContaining("too deeply nested");
    }

    @Test
    void sixtyFourLevelsAreFine() throws Exception {
        String json = "{\"a\":".repeat(63) + "{\"leaf\": 1}" + "}".repeat(63);

        Metrics m = parse(json);

        assertThat(m.keys()).containsExactly("a.".repeat(63) + "leaf");
    }

    @Test
    void oversizedFileIsRefusedBeforeParsing() {
        byte[] big = new byte[MetricsParser.MAX_FILE_BYTES + 1];
        assertThatThrownBy(() -> MetricsParser.parse(List.of(new MetricsFile("metrics/big.json", big))))
                .hasMessageContaining("metrics/big.json is " + big.length + " bytes")
                .hasMessageContaining("at most " + MetricsParser.MAX_FILE_BYTES);
    }

    @Test
    void overlongKeyIsRefused() {
        String name = "k".repeat(MetricsParser.MAX_KEY_LENGTH + 1);
        assertThatThrownBy(() -> parse("{\"" + name + "\": 1}"))
                .hasMessageContaining("has a key of " + name.length() + " characters")
                .hasMessageContaining("at most " + MetricsParser.MAX_KEY_LENGTH);
    }

    @Test
    void hugeNameIsStoppedByTheParser() {
        String name = "k".repeat(100_000);
        assertThatThrownBy(() -> parse("{\"" + name + "\": 1}"))
                .isInstanceOf(MetricsException.class)
                .hasMessageContaining("metrics/metrics.json exceeds a limit");
    }

    @Test
    void resultDoesNotDependOnFileOrder() throws Exception {
        MetricsFile a = file("metrics/a.json", "{\"x\": 1}");
        MetricsFile b = file("metrics/b.json", "{\"x\": 2}");

        assertThat(MetricsParser.parse(List.of(b, a)).list()).isEqualTo(MetricsParser.parse(List.of(a, b)).list());
    }

    @Test
    void pathsOutsideTheMetricsDirectoryAreACallerBug() {
        assertThatThrownBy(() -> new MetricsFile("eval.json", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(MetricsFile.isMetricsPath("metrics/eval.json")).isTrue();
        assertThat(MetricsFile.isMetricsPath("metrics/plot.png")).isFalse();
        assertThat(MetricsFile.isMetricsPath("models/eval.json")).isFalse();
    }

    @Test
    void sampleFileFromResources() throws Exception {
        byte[] bytes;
        try (var in = getClass().getResourceAsStream("/metrics/sample-eval.json")) {
            bytes = in.readAllBytes();
        }

        Metrics m = MetricsParser.parse(List.of(new MetricsFile("metrics/eval.json", bytes)));

        assertThat(m.values()).containsOnlyKeys("eval.accuracy", "eval.f1.macro", "eval.loss", "eval.model", "eval.calibrated", "eval.epochs");
        assertThat(m.get("eval.loss").orElseThrow().text()).isEqualTo("0.212");
        assertThat(m.skipped()).extracting(SkippedValue::pointer).containsExactly("/labels");
    }
}
