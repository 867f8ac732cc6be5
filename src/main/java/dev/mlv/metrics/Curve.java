package dev.mlv.metrics;

import java.util.List;
import java.util.Objects;

/**
 * One training-curve file ({@code metrics/train.jsonl}) of a commit, read by {@link CurveParser}:
 * its rows' numeric columns as {@link CurveSeries}, sorted by key. {@code rows} counts the rows
 * read, {@code malformedRows} those skipped. {@code warning} is null for a clean file, otherwise
 * one line for the user naming the file and the first bad line
 * ({@code metrics/train.jsonl:17: not valid JSON ...; 3 malformed rows skipped}); a file that could
 * not be read at all has no series and says why there.
 */
public record Curve(String path, String keyPrefix, long rows, long malformedRows, List<CurveSeries> series,
                    String warning) {
    public Curve {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        series = List.copyOf(series);
    }

    /** A file that could not be read (its content missing from the store, say): no series, the reason. */
    public static Curve unreadable(String path, String reason) {
        return new Curve(path, CurveParser.keyPrefix(path), 0, 0, List.of(), path + ": " + reason);
    }

    /** The series of a key ({@code train.loss}), or null. */
    public CurveSeries series(String key) {
        for (CurveSeries s : series) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }
}
