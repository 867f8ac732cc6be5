package dev.mlv.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DirectionsTest {
    private final Directions defaults = Directions.defaults();

    @ParameterizedTest
    @ValueSource(strings = {"loss", "val_loss", "valLoss", "eval.loss", "logloss", "train-loss", "error_rate",
            "top1_err", "rmse", "eval.MAE", "latency.p99", "latency_ms", "perplexity", "train.time",
            "duration_seconds", "wer", "loss.mean", "train.loss.final", "mean_absolute_error", "kl_divergence"})
    void lowerIsBetterByName(String key) {
        ResolvedDirection d = defaults.resolve(key);

        assertThat(d.direction()).isEqualTo(Direction.MIN);
        assertThat(d.configured()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"accuracy", "f1", "eval.auc", "precision", "throughput", "terror", "timeliness",
            "errorless_count", "error_analysis.accuracy", "latency.throughput", "samples", "mirror"})
    void higherIsBetterOtherwise(String key) {
        assertThat(defaults.directionOf(key)).isEqualTo(Direction.MAX);
    }

    @Test
    void defaultSaysWhichWordDecided() {
        assertThat(defaults.resolve("eval.val_loss").describe()).isEqualTo("min (default: name has 'loss')");
        assertThat(defaults.resolve("error_analysis.accuracy").rule()).isEqualTo("name has 'accuracy'");
        assertThat(defaults.resolve("samples").rule()).isEqualTo("higher is better unless configured");
    }

    @Test
    void exactOverrideBeatsDefault() throws Exception {
        Directions d = Directions.of(Map.of("loss", "max", "tokens", "MIN"));

        assertThat(d.resolve("loss")).isEqualTo(new ResolvedDirection(Direction.MAX, true, "loss"));
        assertThat(d.directionOf("tokens")).isEqualTo(Direction.MIN);
        assertThat(d.resolve("eval.loss").configured()).as("exact means whole key").isFalse();
    }

    @Test
    void singleStarStaysInOneSegmentDoubleStarCrosses() throws Exception {
        Directions d = Directions.of(Map.of("eval.*", "min", "**.gain", "max"));

        assertThat(d.directionOf("eval.accuracy")).isEqualTo(Direction.MIN);
        assertThat(d.resolve("eval.accuracy").rule()).isEqualTo("eval.*");
        assertThat(d.resolve("eval.sub.accuracy").configured()).isFalse();
        assertThat(d.resolve("a.b.c.gain").rule()).isEqualTo("**.gain");
        assertThat(d.directionOf("a.b.loss_gain")).as("glob literal must match whole segment").isEqualTo(Direction.MIN);
    }

    @Test
    void questionMarkMatchesOneCharacter() throws Exception {
        Directions d = Directions.of(Map.of("p?", "min"));

        assertThat(d.directionOf("p9")).isEqualTo(Direction.MIN);
        assertThat(d.resolve("p99").configured()).isFalse();
    }

    @Test
    void exactBeatsGlobAndMoreSpecificGlobWins() throws Exception {
        Directions d = Directions.of(Map.of("eval.*", "min", "eval.acc*", "max", "eval.accuracy_drop", "min", "*", "max"));

        assertThat(d.resolve("eval.accuracy").rule()).isEqualTo("eval.acc*");
        assertThat(d.resolve("eval.accuracy_drop").rule()).isEqualTo("eval.accuracy_drop");
        assertThat(d.directionOf("eval.accuracy_drop")).isEqualTo(Direction.MIN);
        assertThat(d.resolve("eval.f1").rule()).isEqualTo("eval.*");
        assertThat(d.resolve("loss").rule()).isEqualTo("*");
        assertThat(d.directionOf("loss")).isEqualTo(Direction.MAX);
    }

    @Test
    void regexCharactersInPatternsAreLiteral() throws Exception {
        Directions d = Directions.of(Map.of("a+b.*", "min"));

        assertThat(d.directionOf("a+b.x")).isEqualTo(Direction.MIN);
        assertThat(d.resolve("aab.x").configured()).isFalse();
    }

    /**
     * The metric-key glob dialect, pinned: segments split on '.', {@code *} and {@code ?} stay in
     * one segment, {@code **} crosses; everything else (brackets, backslash, '/') is literal;
     * whole key, case-sensitive.
     */
    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "*, a, true",
        "*, a.b, false",
        "*, '', true",
        "**, a.b.c, true",
        "eval.*, eval., true",
        "eval.*, eval.a.b, false",
        "eval.*, eval, false",
        "eval.**, eval.a.b, true",
        "eval.**, eval, false",
        "**.loss, loss, false",
        "**.loss, a.loss, true",
        "**.loss, a.b.loss, true",
        "*.*, a.b, true",
        "*.*, a, false",
        "*.*, a.b.c, false",
        "***, a.b, true",
        "a?c, abc, true",
        "a?c, a.c, false",
        "a?c, ac, false",
        "a?c, abbc, false",
        "?, ., false",
        "[ab]*, a.x, false",
        "[ab]*, a, false",
        "[ab]*, [ab]x, true",
        "a\\*, a\\b, true",
        "a\\*, a*, false",
        "a/b*, a/b/c, true",
        "Eval.*, eval.x, false",
        "eval.*, EVAL.x, false",
        "(x)|y*, (x)|yz, true",
        "(x)|y*, x, false",
        "p*, p.x, false",
    })
    void metricKeyGlobDialect(String pattern, String key, boolean matches) throws Exception {
        ResolvedDirection d = Directions.of(Map.of(pattern, "min")).resolve(key);

        assertThat(d.configured() && d.rule().equals(pattern)).isEqualTo(matches);
    }

    @Test
    void metricKeyGlobsMatchNewlinesInsideASegmentAndAcross() throws Exception {
        assertThat(Directions.of(Map.of("a*", "min")).resolve("a\nb").configured()).isTrue();
        assertThat(Directions.of(Map.of("**", "min")).resolve("a\n.b").configured()).isTrue();
    }

    @Test
    void literalCharactersDecideBetweenGlobsTiesGoAlphabetically() throws Exception {
        // '**' and '?' count as no literal characters: '**.loss' and 'eval.*' have five each.
        Directions d = Directions.of(Map.of("eval.*", "max", "**.loss", "min", "eval.?oss", "max"));

        assertThat(d.resolve("eval.loss").rule()).isEqualTo("eval.?oss");
        assertThat(Directions.of(Map.of("eval.*", "max", "**.loss", "min")).resolve("eval.loss").rule())
                .as("tie: '*' sorts before 'e'").isEqualTo("**.loss");
        assertThat(Directions.of(Map.of("a*.x", "max", "*b.x", "min")).resolve("ab.x").rule()).isEqualTo("*b.x");
    }

    @Test
    void withReplacesAnEarlierRule() throws Exception {
        Directions d = Directions.defaults().with("x*", Direction.MIN).with("x*", Direction.MAX);

        assertThat(d.configured()).containsExactly(Map.entry("x*", Direction.MAX));
    }

    @Test
    void invalidDirectionNamesTheMetricAndTheChoices() {
        assertThatThrownBy(() -> Directions.of(Map.of("accuracy", "up")))
                .isInstanceOf(MetricsException.class)
                .hasMessage("direction of metric 'accuracy' is 'up'; use 'max' (higher is better) or 'min' (lower is better)")
                .extracting(e -> ((MetricsException) e).kind()).isEqualTo(MetricsException.Kind.INVALID_DIRECTION);
        assertThatThrownBy(() -> Directions.of(Map.of(" ", "max"))).hasMessageContaining("needs a key or glob");
    }
}
