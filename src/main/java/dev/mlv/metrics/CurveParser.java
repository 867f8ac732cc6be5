package dev.mlv.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one training-curve file, {@code metrics/<name>.jsonl}: one JSON object per line, such as
 * {@code {"step": 10, "loss": 0.31, "lr": 0.001}}, as a training script appends them.
 *
 * <p>Rules (also in {@code docs/metrics.md}, "Training curves"):
 * <ul>
 *   <li>{@code step} is a whole number; a row without one takes its index among the file's rows.
 *   <li>Every other number (NaN and infinities included) is a value of the column of its name;
 *       nested objects join names with {@code .}; strings, booleans, nulls and arrays are skipped
 *       without a word (timestamps, phase names). Column keys get the file's prefix as metric keys
 *       do ({@code loss} of {@code metrics/train.jsonl} is {@code train.loss}), which decides the
 *       direction.
 *   <li>A line that is not one JSON object, has a bad {@code step}, names a value twice, or is
 *       longer than {@link #MAX_LINE_BYTES} is skipped; the file gets one warning naming the
 *       first such line and how many there were. Blank lines are ignored.
 *   <li>Streaming: memory is bounded by the columns (at most {@link #MAX_COLUMNS}) and the points
 *       kept per column, never by the number of rows. Summaries (first, last, best and their
 *       steps) see every row; for drawing, a column keeps every k-th point, k doubling as needed
 *       to stay under the points asked for, plus its last point.
 * </ul>
 */
public final class CurveParser {
    /** How curve files end; they live below {@code metrics/} at any depth. */
    public static final String SUFFIX = ".jsonl";
    /** The longest row read, in bytes; a longer line is skipped as malformed. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    /** The most value columns one file may have; values of further columns are ignored with a warning. */
    public static final int MAX_COLUMNS = 1000;

    private static final String STEP = "step";
    private static final int MAX_PROBLEM_CHARS = 200;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MetricsParser.MAX_DEPTH)
                    .maxNumberLength(100)
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CurveParser() {
    }

    /** True for a repository path that holds a training curve: {@code metrics/**}{@code /*.jsonl}. */
    public static boolean isCurvePath(String path) {
        return path.startsWith(MetricsFile.DIRECTORY) && path.endsWith(SUFFIX)
                && path.length() > MetricsFile.DIRECTORY.length() + SUFFIX.length();
    }

    /**
     * The prefix of a curve file's keys, by the rule of metric files: {@code metrics/train.jsonl}
     * → {@code train.}, {@code metrics/metrics.jsonl} → empty.
     */
    public static String keyPrefix(String path) {
        return MetricsFile.keyPrefix(MetricsFile.DIRECTORY, path, SUFFIX);
    }

    /**
     * Reads a curve file from {@code in} to its end (the caller closes it).
     *
     * @param path the file's repository path, for keys and messages ({@link #isCurvePath})
     * @param directions decide which value of a column is best
     * @param maxPoints points to keep per column for drawing: 0 for summaries only, else at least 2
     * @throws IOException reading {@code in} failed; malformed content never throws
     */
    public static Curve parse(String path, InputStream in, Directions directions, int maxPoints) throws IOException {
        if (!isCurvePath(path)) {
            throw new IllegalArgumentException("not a curve file: " + path);
        }
        if (maxPoints < 0 || maxPoints == 1) {
            throw new IllegalArgumentException("maxPoints must be 0 or at least 2, got " + maxPoints);
        }
        return new Reader(path, directions, maxPoints).read(in);
    }

    /** A row that is skipped, and why. */
    private static final class RowProblem extends Exception {
        private static final long serialVersionUID = 1L;

        RowProblem(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Reader {
        private final String path;
        private final String prefix;
        private final Directions directions;
        private final int maxPoints;
        private final Map<String, Column> columns = new HashMap<>();
        private long rows;
        private long malformed;
        private String firstProblem;
        private long droppedColumnValues;
        private long badNames;
        // one row's values, reused from row to row
        private final List<String> names = new ArrayList<>();
        private double[] values = new double[16];
        private final Set<String> seen = new HashSet<>();
        private final ArrayDeque<String> prefixes = new ArrayDeque<>();
        private Long rowStep;

        Reader(String path, Directions directions, int maxPoints) {
            this.path = path;
            this.prefix = keyPrefix(path);
            this.directions = directions;
            this.maxPoints = maxPoints;
        }

        Curve read(InputStream in) throws IOException {
            Lines lines = new Lines(in);
            while (lines.next()) {
                if (lines.tooLong) {
                    malformed(lines.number, "is longer than " + MAX_LINE_BYTES + " bytes");
                    continue;
                }
                try {
                    if (parseRow(lines.line, lines.length)) {
                        long step = rowStep == null ? rows : rowStep;
                        rows++;
                        for (int i = 0; i < names.size(); i++) {
                            add(names.get(i), step, values[i]);
                        }
                    }
                } catch (RowProblem e) {
                    malformed(lines.number, e.getMessage());
                }
            }
            List<CurveSeries> series = new ArrayList<>(columns.size());
            columns.values().forEach(c -> series.add(c.build()));
            series.sort(Comparator.comparing(CurveSeries::key));
            return new Curve(path, prefix, rows, malformed, series, warning());
        }

        /** Parses one line into {@link #names}/{@link #values} and {@link #rowStep}; false for a blank line. */
        private boolean parseRow(byte[] line, int length) throws IOException, RowProblem {
            names.clear();
            seen.clear();
            prefixes.clear();
            rowStep = null;
            try (JsonParser p = FACTORY.createParser(line, 0, length)) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return false;
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new RowProblem("holds " + describe(t) + ", not a JSON object such as {\"step\": 10, \"loss\": 0.31}");
                }
                prefixes.push("");
                while (!prefixes.isEmpty()) {
                    t = p.nextToken();
                    if (t == JsonToken.END_OBJECT) {
                        prefixes.pop();
                        continue;
                    }
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (prefixes.size() == 1 && name.equals(STEP)) {
                        rowStep = step(p, value);
                        continue;
                    }
                    String key = prefixes.peek() + name;
                    if (!usable(name) || prefix.length() + key.length() > MetricsParser.MAX_KEY_LENGTH) {
                        badNames++;
                        p.skipChildren();
                        continue;
                    }
                    switch (value) {
                        case START_OBJECT -> prefixes.push(key + ".");
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                            if (!seen.add(key)) {
                                throw new RowProblem("names the value '" + key + "' twice");
                            }
                            if (names.size() == values.length) {
                                values = Arrays.copyOf(values, values.length * 2);
                            }
                            values[names.size()] = p.getDoubleValue();
                            names.add(key);
                        }
                        // strings, booleans, nulls: not curve values; arrays: skipped whole
                        default -> p.skipChildren();
                    }
                }
                if (p.nextToken() != null) {
                    throw new RowProblem("has content after its JSON object");
                }
                return true;
            } catch (StreamConstraintsException e) {
                throw new RowProblem("exceeds a limit: " + e.getOriginalMessage());
            } catch (JsonProcessingException e) {
                String column = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
                throw new RowProblem("is not valid JSON" + column + ": " + e.getOriginalMessage());
            }
        }

        private static long step(JsonParser p, JsonToken value) throws IOException, RowProblem {
            if (value == JsonToken.VALUE_NUMBER_INT) {
                try {
                    return p.getLongValue();
                } catch (InputCoercionException e) {
                    throw new RowProblem("has a step out of range: " + p.getText());
                }
            }
            if (value == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (MetricValue.isWhole(d)) {
                    return (long) d;
                }
                throw new RowProblem("has step " + p.getText() + ", not a whole number");
            }
            throw new RowProblem("has a step that is " + describe(value) + ", not a whole number");
        }

        private void add(String key, long step, double value) {
            Column c = columns.get(key);
            if (c == null) {
                if (columns.size() >= MAX_COLUMNS) {
                    droppedColumnValues++;
                    return;
                }
                c = new Column(prefix + key, key, directions.resolve(prefix + key), maxPoints);
                columns.put(key, c);
            }
            c.add(step, value);
        }

        private void malformed(long line, String problem) {
            if (malformed++ == 0) {
                firstProblem = path + ":" + line + ": row " + clean(problem);
            }
        }

        private String warning() {
            List<String> parts = new ArrayList<>();
            if (malformed > 0) {
                parts.add(firstProblem + (malformed == 1 ? "; the row was skipped"
                        : "; " + malformed + " malformed rows skipped in all"));
            }
            if (droppedColumnValues > 0) {
                parts.add((parts.isEmpty() ? path + ": " : "") + "more than " + MAX_COLUMNS + " value columns; "
                        + droppedColumnValues + " values of further columns ignored");
            }
            if (badNames > 0) {
                parts.add((parts.isEmpty() ? path + ": " : "") + badNames + " values with an empty name, a control character"
                        + " or a key over " + MetricsParser.MAX_KEY_LENGTH + " characters ignored");
            }
            return parts.isEmpty() ? null : String.join("; ", parts);
        }
    }

    /** One column's summary and kept points, built row by row. */
    private static final class Column {
        private final String key;
        private final String column;
        private final ResolvedDirection direction;
        private final int maxPoints;
        private long count;
        private CurvePoint first;
        private long lastStep;
        private double lastValue;
        private boolean hasBest;
        private long bestStep;
        private double best;
        private long stride = 1;
        private long[] steps = new long[0];
        private double[] values = new double[0];
        private int size;

        Column(String key, String column, ResolvedDirection direction, int maxPoints) {
            this.key = key;
            this.column = column;
            this.direction = direction;
            this.maxPoints = maxPoints;
        }

        void add(long step, double value) {
            long index = count++;
            if (index == 0) {
                first = new CurvePoint(step, value);
            }
            lastStep = step;
            lastValue = value;
            if (!Double.isNaN(value) && (!hasBest || direction.direction().improves(best, value))) {
                hasBest = true;
                bestStep = step;
                best = value;
            }
            if (maxPoints > 0 && index % stride == 0) {
                if (size == steps.length) {
                    int capacity = Math.min(maxPoints, Math.max(16, size * 2));
                    steps = Arrays.copyOf(steps, capacity);
                    values = Arrays.copyOf(values, capacity);
                }
                steps[size] = step;
                values[size] = value;
                size++;
                if (size == maxPoints) {
                    // keep every other point: positions 0, 2, 4, ... are the rows 0, 2k, 4k, ...
                    int kept = 0;
                    for (int i = 0; i < size; i += 2) {
                        steps[kept] = steps[i];
                        values[kept] = values[i];
                        kept++;
                    }
                    size = kept;
                    stride *= 2;
                }
            }
        }

        CurveSeries build() {
            long[] s = Arrays.copyOf(steps, size);
            double[] v = Arrays.copyOf(values, size);
            boolean thinned = stride > 1;
            if (maxPoints > 0 && (count - 1) % stride != 0) {
                s = Arrays.copyOf(s, size + 1);
                v = Arrays.copyOf(v, size + 1);
                s[size] = lastStep;
                v[size] = lastValue;
            }
            return new CurveSeries(key, column, direction, count, first, new CurvePoint(lastStep, lastValue),
                    hasBest ? new CurvePoint(bestStep, best) : null, s, v, thinned);
        }
    }

    /** Lines of a stream, each at most {@link #MAX_LINE_BYTES}; longer ones are flagged, not buffered. */
    private static final class Lines {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private boolean eof;
        byte[] line = new byte[256];
        int length;
        boolean tooLong;
        long number;

        Lines(InputStream in) {
            this.in = in;
        }

        boolean next() throws IOException {
            if (eof) {
                return false;
            }
            length = 0;
            tooLong = false;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    int n = in.read(buffer, 0, buffer.length);
                    position = 0;
                    limit = Math.max(n, 0);
                    if (n < 0) {
                        eof = true;
                        if (!any) {
                            return false;
                        }
                        break;
                    }
                    continue;
                }
                any = true;
                int newline = -1;
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        newline = i;
                        break;
                    }
                }
                int end = newline < 0 ? limit : newline;
                append(position, end - position);
                position = newline < 0 ? limit : newline + 1;
                if (newline >= 0) {
                    break;
                }
            }
            number++;
            if (number == 1 && length >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF) {
                System.arraycopy(line, 3, line, 0, length - 3);
                length -= 3;
            }
            return true;
        }

        private void append(int from, int n) {
            if (tooLong) {
                return;
            }
            if ((long) length + n > MAX_LINE_BYTES) {
                tooLong = true;
                length = 0;
                return;
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, length + n)));
            }
            System.arraycopy(buffer, from, line, length, n);
            length += n;
        }
    }

    private static boolean usable(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> token.name();
        };
    }

    /** A message from the file's content made safe for one line of a terminal. */
    private static String clean(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_PROBLEM_CHARS + 3));
        for (int i = 0; i < text.length() && b.length() < MAX_PROBLEM_CHARS; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > MAX_PROBLEM_CHARS) {
            b.append("...");
        }
        return b.toString();
    }
}
