package dev.mlv.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlv.testing.Slow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurveParserTest {
    static Curve parse(String path, String content, int maxPoints) throws IOException {
        return CurveParser.parse(path, new ByteArrayInputStream(content.getBytes(UTF_8)), Directions.defaults(), maxPoints);
    }

    static Curve parse(String content) throws IOException {
        return parse("metrics/train.jsonl", content, 100);
    }

    @Test
    void rowsBecomeOneSeriesPerColumnWithTheFilesPrefixAndSummaries() throws IOException {
        Curve c = parse("""
                {"step": 0, "loss": 2.5, "accuracy": 0.1}
                {"step": 10, "loss": 0.8, "accuracy": 0.7}
                {"step": 20, "loss": 0.9, "accuracy": 0.6}
                """);

        assertThat(c.rows()).isEqualTo(3);
        assertThat(c.warning()).isNull();
        assertThat(c.series()).extracting(CurveSeries::key).containsExactly("train.accuracy", "train.loss");
        CurveSeries loss = c.series("train.loss");
        assertThat(loss.column()).isEqualTo("loss");
        assertThat(loss.direction().direction()).isEqualTo(Direction.MIN);
        assertThat(loss.first()).isEqualTo(new CurvePoint(0, 2.5));
        assertThat(loss.last()).isEqualTo(new CurvePoint(20, 0.9));
        assertThat(loss.best()).as("lowest loss").isEqualTo(new CurvePoint(10, 0.8));
        assertThat(loss.steps()).containsExactly(0, 10, 20);
        assertThat(loss.values()).containsExactly(2.5, 0.8, 0.9);
        assertThat(c.series("train.accuracy").best()).as("highest accuracy").isEqualTo(new CurvePoint(10, 0.7));
    }

    @Test
    void keysFollowMetricFileNamingAndConfiguredDirections() throws IOException, MetricsException {
        Directions configured = Directions.of(Map.of("eval.*", "min"));
        Curve main = CurveParser.parse("metrics/metrics.jsonl",
                new ByteArrayInputStream("{\"step\":1,\"score\":3}\n".getBytes(UTF_8)), configured, 0);
        Curve nested = CurveParser.parse("metrics/eval.jsonl",
                new ByteArrayInputStream("{\"step\":1,\"score\":3,\"val\":{\"f1\":0.5}}\n".getBytes(UTF_8)), configured, 0);

        assertThat(main.series()).extracting(CurveSeries::key).containsExactly("score");
        assertThat(nested.series()).extracting(CurveSeries::key).containsExactly("eval.score", "eval.val.f1");
        assertThat(nested.series("eval.score").direction().describe()).isEqualTo("min (configured: eval.*)");
        assertThat(CurveParser.keyPrefix("metrics/runs/a.jsonl")).isEqualTo("runs.a.");
        assertThat(CurveParser.isCurvePath("metrics/train.jsonl")).isTrue();
        assertThat(CurveParser.isCurvePath("metrics/train.json")).isFalse();
        assertThat(CurveParser.isCurvePath("logs/train.jsonl")).isFalse();
    }

    @Test
    void malformedRowsGiveOneWarningWithFileAndLineAndAreSkipped() throws IOException {
        Curve c = parse("""
                {"step": 0, "loss": 1.0}
                {"step": 1, "loss": 0.9
                [1, 2]

                {"step": "two", "loss": 0.5}
                {"step": 3, "loss": 0.7}
                """);

        assertThat(c.rows()).isEqualTo(2);
        assertThat(c.malformedRows()).isEqualTo(3);
        assertThat(c.series("train.loss").values()).containsExactly(1.0, 0.7);
        assertThat(c.warning()).startsWith("metrics/train.jsonl:2: row is not valid JSON at column ")
                .endsWith("; 3 malformed rows skipped in all")
                .doesNotContain("\n");
    }

    @Test
    void oneMalformedRowSaysSoAndNamesWhatIsWrong() throws IOException {
        assertThat(parse("{\"step\": 1.5, \"loss\": 1}\n").warning())
                .isEqualTo("metrics/train.jsonl:1: row has step 1.5, not a whole number; the row was skipped");
        assertThat(parse("{\"step\": 1, \"loss\": 1, \"loss\": 2}\n").warning())
                .startsWith("metrics/train.jsonl:1: row is not valid JSON").contains("Duplicate field 'loss'");
        assertThat(parse("{\"step\": 1, \"a.b\": 1, \"a\": {\"b\": 2}}\n").warning())
                .isEqualTo("metrics/train.jsonl:1: row names the value 'a.b' twice; the row was skipped");
        assertThat(parse("{\"step\": 1} {\"step\": 2}\n").warning())
                .isEqualTo("metrics/train.jsonl:1: row has content after its JSON object; the row was skipped");
        assertThat(parse("\"x\u001b[2J\"\n").warning())
                .as("content from the file cannot drive the terminal")
                .isEqualTo("metrics/train.jsonl:1: row holds a string, not a JSON object such as {\"step\": 10, \"loss\": 0.31}; the row was skipped");
    }

    @Test
    void nonNumericValuesAreSkippedQuietlyAndNanCountsAsLastButNeverBest() throws IOException {
        Curve c = parse("""
                {"step": 1, "loss": 0.5, "phase": "train", "ok": true, "note": null, "hist": [1, 2]}
                {"step": 2, "loss": NaN, "time": "12:00"}
                """);

        assertThat(c.warning()).isNull();
        assertThat(c.series()).extracting(CurveSeries::key).containsExactly("train.loss");
        CurveSeries loss = c.series("train.loss");
        assertThat(loss.last().step()).isEqualTo(2);
        assertThat(loss.last().value()).isNaN();
        assertThat(loss.best()).isEqualTo(new CurvePoint(1, 0.5));
        assertThat(parse("{\"loss\": NaN}\n").series("train.loss").best()).isNull();
    }

    @Test
    void rowsWithoutStepAreNumberedByTheirIndexAndBlankLinesBomAndCrlfAreFine() throws IOException {
        Curve c = parse("metrics/train.jsonl", "\uFEFF{\"loss\": 3}\r\n\r\n{\"loss\": 2}\r\n{\"loss\": 1}", 100);

        assertThat(c.warning()).isNull();
        assertThat(c.rows()).isEqualTo(3);
        assertThat(c.series("train.loss").steps()).containsExactly(0, 1, 2);
    }

    @Test
    void aLineOverTheLimitIsSkippedWithoutBeingHeld() throws IOException {
        String huge = "{\"step\": 1, \"pad\": \"" + "x".repeat(CurveParser.MAX_LINE_BYTES) + "\"}\n";
        Curve c = parse("{\"step\": 0, \"loss\": 1}\n" + huge + "{\"step\": 2, \"loss\": 0.5}\n");

        assertThat(c.rows()).isEqualTo(2);
        assertThat(c.warning()).isEqualTo("metrics/train.jsonl:2: row is longer than 1048576 bytes; the row was skipped");
    }

    @Test
    void columnsBeyondTheLimitAreIgnoredWithAWarning() throws IOException {
        StringBuilder row = new StringBuilder("{\"step\": 0");
        for (int i = 0; i <= CurveParser.MAX_COLUMNS; i++) {
            row.append(", \"c").append(i).append("\": 1");
        }
        Curve c = parse(row + "}\n");

        assertThat(c.series()).hasSize(CurveParser.MAX_COLUMNS);
        assertThat(c.warning()).isEqualTo("metrics/train.jsonl: more than 1000 value columns; 1 values of further columns ignored");
    }

    @Test
    void manyStepsAreSummarisedExactlyAndThinnedToTheAskedPointsFromAStream() throws IOException {
        checkThinning(200_000);
    }

    @Slow
    @Test
    void aMillionStepsAreSummarisedExactlyAndThinnedToTheAskedPointsFromAStream() throws IOException {
        checkThinning(1_000_000);
    }

    /** Rows generated as they are read, so the test holds no file; {@code eval_acc} every 1000 steps is a sparse column. */
    private static void checkThinning(int rows) throws IOException {
        Curve c = CurveParser.parse("metrics/train.jsonl", new RowStream(rows), Directions.defaults(), 100);

        assertThat(c.rows()).isEqualTo(rows);
        CurveSeries loss = c.series("train.loss");
        assertThat(loss.count()).isEqualTo(rows);
        int lowest = rows * 7 / 10;
        assertThat(loss.best()).as("loss is lowest at 70% of the run").isEqualTo(new CurvePoint(lowest, 0.0));
        assertThat(loss.last().step()).isEqualTo(rows - 1);
        assertThat(loss.thinned()).isTrue();
        assertThat(loss.points()).isBetween(50, 100);
        assertThat(loss.steps()[0]).isZero();
        assertThat(loss.steps()[loss.points() - 1]).as("the last point is kept").isEqualTo(rows - 1);
        assertThat(loss.steps()).isSorted();
        CurveSeries eval = c.series("train.eval_acc");
        assertThat(eval.count()).as("a sparse column keeps its own points").isEqualTo(rows / 1000);
        assertThat(eval.points()).isBetween(50, 100);
        assertThat(eval.best()).isEqualTo(new CurvePoint(rows - 1000, (double) (rows - 1000) / rows));
        assertThat(CurveParser.parse("metrics/train.jsonl", new RowStream(150), Directions.defaults(), 0)
                .series("train.loss").points()).as("summaries only keep no points").isZero();
    }

    @Test
    void fewerRowsThanPointsKeepsEveryRow() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 99; i++) {
            b.append("{\"step\": ").append(i).append(", \"loss\": ").append(i).append("}\n");
        }
        CurveSeries s = parse("metrics/train.jsonl", b.toString(), 100).series("train.loss");
        assertThat(s.points()).isEqualTo(99);
        assertThat(s.thinned()).isFalse();
    }

    /** {@code {"step": i, "loss": |i - 0.7 rows| / 1e6}} rows, plus {@code eval_acc = i / rows} every 1000 steps. */
    private static final class RowStream extends InputStream {
        private final int rows;
        private int next;
        private byte[] current = new byte[0];
        private int position;

        RowStream(int rows) {
            this.rows = rows;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == current.length) {
                if (next == rows) {
                    return -1;
                }
                int i = next++;
                String row = "{\"step\": " + i + ", \"loss\": " + Math.abs(i - rows * 7 / 10) / 1e6
                        + (i % 1000 == 0 ? ", \"eval_acc\": " + (double) i / rows : "") + "}\n";
                current = row.getBytes(UTF_8);
                position = 0;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }
    }
}
