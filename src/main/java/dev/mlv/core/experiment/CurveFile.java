package dev.mlv.core.experiment;

import dev.mlv.metrics.Curve;
import dev.mlv.metrics.CurvePoint;
import dev.mlv.metrics.CurveSeries;
import dev.mlv.metrics.MetricValue;
import java.util.List;

/**
 * One training-curve file of a commit ({@code metrics/train.jsonl}; docs/metrics.md, "Training
 * curves"), as {@link ExperimentCurves} and {@link ExperimentShow} return it.
 *
 * @param path the file's repository path
 * @param rows rows read
 * @param malformedRows rows skipped as malformed
 * @param warning null for a clean file, else one line naming the file and the first bad line
 *     ({@code metrics/train.jsonl:17: row is not valid JSON ...; 3 malformed rows skipped in all}),
 *     or why the file could not be read at all (then there are no columns)
 * @param columns one per value column, sorted by key
 */
public record CurveFile(String path, long rows, long malformedRows, String warning, List<Column> columns) {
    public CurveFile {
        columns = List.copyOf(columns);
    }

    /** A value and the step it was logged at; {@code value} shows and serialises as metric values do. */
    public record Step(long step, MetricCell value) {
    }

    /**
     * One value column ({@code loss}) with its summary and, when points were asked for, its points.
     *
     * @param key the column with the file's prefix ({@code train.loss}), named as metric keys are
     * @param column the name in the file ({@code loss})
     * @param direction {@code max} or {@code min}, by the metric direction rules applied to {@code key}
     * @param directionRule why: {@code configured: train.*} or {@code default: name has 'loss'}
     * @param count rows that gave the column a number
     * @param first the first value; {@code last} the last in file order (NaN if the run ended on NaN)
     * @param best the best non-NaN value in the direction, the earliest on a tie; null when all were NaN
     * @param steps the steps of the points kept for drawing (empty for summaries only), ascending
     *     in file order
     * @param values the values of those points (NaN and infinities included)
     * @param thinned true when {@code steps} keeps every k-th value plus the last, not all
     */
    public record Column(String key, String column, String direction, String directionRule, long count,
                         Step first, Step last, Step best, long[] steps, double[] values, boolean thinned) {
    }

    static CurveFile of(Curve curve) {
        return new CurveFile(curve.path(), curve.rows(), curve.malformedRows(), curve.warning(),
                curve.series().stream().map(CurveFile::column).toList());
    }

    private static Column column(CurveSeries s) {
        MetricKey k = MetricKey.of(s.key(), s.direction());
        return new Column(s.key(), s.column(), k.direction(), k.directionRule(), s.count(), step(s.first()),
                step(s.last()), step(s.best()), s.steps(), s.values(), s.thinned());
    }

    private static Step step(CurvePoint p) {
        return p == null ? null : new Step(p.step(), MetricCell.of(MetricValue.number(p.value())));
    }
}
