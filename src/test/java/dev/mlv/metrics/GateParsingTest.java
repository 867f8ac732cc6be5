package dev.mlv.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateParsingTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "accuracy>=0.9       | accuracy | >= | 0.9",
            "eval.f1 > 0.8       | eval.f1  | >  | 0.8",
            "'  loss<=1e-3 '     | loss     | <= | 0.001",
            "loss < .5           | loss     | <  | 0.5",
            "epochs==10          | epochs   | == | 10",
            "drift != 0          | drift    | != | 0",
            "delta >= -0.5       | delta    | >= | -0.5",
            "delta>=+2           | delta    | >= | 2"})
    void validRequireForms(String text, String metric, String op, String number) throws Exception {
        RequireGate gate = RequireGate.parse(text);

        assertThat(gate.metric()).isEqualTo(metric);
        assertThat(gate.comparison().symbol()).isEqualTo(op);
        assertThat(gate.threshold()).isEqualByComparingTo(new BigDecimal(number));
    }

    @Test
    void quotedNamesMayHoldSpacesOperatorsAndQuotes() throws Exception {
        assertThat(RequireGate.parse("\"batch size\" <= 64").metric()).isEqualTo("batch size");
        assertThat(RequireGate.parse("\"a<b\">1").metric()).isEqualTo("a<b");
        assertThat(RequireGate.parse("\"say \\\"hi\\\"\"==1").metric()).isEqualTo("say \"hi\"");
        assertThat(RequireGate.parse("\"batch size\"<=64").rule()).isEqualTo("\"batch size\" <= 64");
        assertThat(RequireGate.parse(RequireGate.quoted("a<b") + ">1").metric()).isEqualTo("a<b");
        assertThatThrownBy(() -> RequireGate.parse("\"batch size<64")).hasMessageContaining("no closing");
        assertThatThrownBy(() -> RequireGate.parse("batch size<64"))
                .hasMessageContaining("put the name in double quotes");
    }

    @Test
    void canonicalRuleText() throws Exception {
        assertThat(RequireGate.parse("accuracy>=0.9").rule()).isEqualTo("accuracy >= 0.9");
        assertThat(NoRegressGate.parse("accuracy").rule()).isEqualTo("no-regress accuracy");
        assertThat(NoRegressGate.parse(" accuracy : 1% ").rule()).isEqualTo("no-regress accuracy:1%");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                | it is empty",
            "accuracy 0.9      | it has no comparison operator",
            ">=0.9             | it names no metric",
            "eval f1 >= 0.8    | metric name 'eval f1' contains a space",
            "accuracy=>0.9     | did you mean '>='",
            "accuracy=<0.9     | did you mean '<='",
            "accuracy=0.9      | use '==' to require equality",
            "accuracy<>0.9     | use '!=' for inequality",
            "accuracy>>0.9     | '>>' is not an operator",
            "accuracy>=        | there is no number after '>='",
            "accuracy>=high    | 'high' is not a number",
            "accuracy>=90%     | is a percentage; write the metric's own value, e.g. 0.9 for 90%",
            "accuracy>=0.9.1   | '0.9.1' is not a number",
            "accuracy>=NaN     | 'NaN' is not a number"})
    void invalidRequireFormsSayWhatIsWrongAndShowAnExample(String text, String problem) {
        assertThatThrownBy(() -> RequireGate.parse(text))
                .isInstanceOf(MetricsException.class)
                .hasMessageStartingWith("invalid require gate '" + text.strip() + "': ")
                .hasMessageContaining(problem)
                .hasMessageEndingWith("e.g. 'accuracy>=0.9'")
                .extracting(e -> ((MetricsException) e).kind()).isEqualTo(MetricsException.Kind.INVALID_GATE);
    }

    @Test
    void validNoRegressForms() throws Exception {
        assertThat(NoRegressGate.parse("accuracy").tolerance().isNone()).isTrue();
        NoRegressGate absolute = NoRegressGate.parse("accuracy:0.01");
        assertThat(absolute.tolerance().relative()).isFalse();
        assertThat(absolute.tolerance().amount()).isEqualByComparingTo("0.01");
        NoRegressGate relative = NoRegressGate.parse("eval.loss:2.5%");
        assertThat(relative.metric()).isEqualTo("eval.loss");
        assertThat(relative.tolerance().relative()).isTrue();
        assertThat(relative.tolerance().amount()).isEqualByComparingTo("2.5");
        assertThat(NoRegressGate.parse("a:b:1").metric()).as("last colon separates").isEqualTo("a:b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                | it is empty",
            "accuracy>=0.9     | comparisons belong in a require gate",
            ":0.01             | it names no metric",
            "accuracy:         | there is no tolerance after ':'",
            "accuracy:%        | there is no tolerance after ':'",
            "accuracy:abc      | tolerance 'abc' is not a number or percentage",
            "accuracy:-0.01    | tolerance '-0.01' is negative",
            "eval acc:0.1      | contains a space"})
    void invalidNoRegressForms(String text, String problem) {
        assertThatThrownBy(() -> NoRegressGate.parse(text))
                .isInstanceOf(MetricsException.class)
                .hasMessageStartingWith("invalid no-regress gate '" + text.strip() + "': ")
                .hasMessageContaining(problem)
                .hasMessageContaining("e.g. 'accuracy', 'accuracy:0.01' (absolute) or 'accuracy:1%' (relative)");
    }

    @Test
    void flagsAndConfigurationGoThroughTheSameParser() throws Exception {
        Gates fromFlags = Gates.parse(List.of("accuracy>=0.9"), List.of("loss:1%"));
        Gates fromConfig = Gates.parse(List.of("eval.f1 > 0.8"), List.of());

        Gates all = fromFlags.plus(fromConfig);

        assertThat(all.list()).extracting(Gate::rule)
                .containsExactly("accuracy >= 0.9", "no-regress loss:1%", "eval.f1 > 0.8");
        assertThatThrownBy(() -> Gates.parse(List.of("ok>1", "bad"), List.of()))
                .hasMessageStartingWith("invalid require gate 'bad'");
    }
}
