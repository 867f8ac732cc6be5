package dev.mlv.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Reads a commit's {@code metrics/*.json} files into flat, dotted keys.
 *
 * <p>Rules (also in {@code docs/metrics.md}):
 * <ul>
 *   <li><b>Files.</b> Only {@code *.json} files under {@code metrics/} are read (others, such as
 *       plots, are ignored). Keys of {@code metrics/metrics.json} are bare; keys of any other
 *       file are prefixed with its path below {@code metrics/}, without {@code .json}, slashes
 *       as dots ({@code metrics/eval.json} → {@code eval.accuracy}, {@code metrics/a/b.json} →
 *       {@code a.b.x}). The prefix depends only on the file's own path, so adding a second file
 *       never renames the keys of the first.
 *   <li><b>Nesting.</b> A file holds one JSON object; nested objects join names with {@code .}.
 *   <li><b>Values.</b> Numbers (including Python's {@code NaN}, {@code Infinity},
 *       {@code -Infinity}), strings and booleans are kept as their own {@link MetricValue.Kind};
 *       {@code null} means "no value" and is dropped.
 *   <li><b>Arrays.</b> An array of numbers is a series (per-epoch loss, say): the key holds its
 *       last number, nulls ignored, and its pointer says which element. Other arrays (strings,
 *       objects, mixed, empty) are not metrics: they are listed in {@link Metrics#skipped()}.
 *       Index keys ({@code loss.0}, {@code loss.1}, ...) are never made: they would explode
 *       and differ in number between runs.
 *   <li><b>Clashes.</b> Two values that flatten to the same key, within a file or across files,
 *       are an error naming both origins. A JSON object with a repeated name is an error too.
 *   <li><b>Limits.</b> Files over {@link #MAX_FILE_BYTES}, nesting deeper than
 *       {@link #MAX_DEPTH}, keys longer than {@link #MAX_KEY_LENGTH} characters and more than
 *       {@link #MAX_METRICS} metrics are refused with a {@link MetricsException}; hostile input
 *       never exhausts the stack (parsing is iterative) or memory.
 * </ul>
 */
public final class MetricsParser {
    /** Largest metrics file read, in bytes. */
    public static final int MAX_FILE_BYTES = 8 * 1024 * 1024;
    /** Deepest nesting of objects and arrays in a file; the top-level object is level 1. */
    public static final int MAX_DEPTH = 64;
    /** Longest flattened key, in characters. */
    public static final int MAX_KEY_LENGTH = 512;
    /** Most metrics one commit may have. */
    public static final int MAX_METRICS = 100_000;

    private static final int MAX_STRING_LENGTH = 64 * 1024;
    private static final int MAX_NUMBER_LENGTH = 100;

    // Jackson's own limits sit just above ours, as a backstop: ours fire first with clearer messages.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 1)
                    .maxNameLength(MAX_KEY_LENGTH * 2)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private MetricsParser() {
    }

    /**
     * Flattens a commit's metrics files into one {@link Metrics}. Files are read in path order,
     * so the result and any error do not depend on the order given.
     *
     * @param files the files under {@code metrics/}; files not ending in {@code .json} are ignored
     * @throws MetricsException a file is malformed or over a limit, or two values share a key
     */
    public static Metrics parse(List<MetricsFile> files) throws MetricsException {
        List<MetricsFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(MetricsFile::path));
        TreeMap<String, Metric> metrics = new TreeMap<>();
        List<SkippedValue> skipped = new ArrayList<>();
        for (MetricsFile file : sorted) {
            if (file.isJson()) {
                new FileReader(file, metrics, skipped).read();
            }
        }
        return new Metrics(metrics, skipped);
    }

    /** One file's pass: an explicit stack instead of recursion, so depth costs heap, not stack. */
    private static final class FileReader {
        private final MetricsFile file;
        private final TreeMap<String, Metric> out;
        private final List<SkippedValue> skipped;
        private JsonParser parser;

        private record Frame(String keyPrefix, String pointer) {
        }

        FileReader(MetricsFile file, TreeMap<String, Metric> out, List<SkippedValue> skipped) {
            this.file = file;
            this.out = out;
            this.skipped = skipped;
        }

        void read() throws MetricsException {
            byte[] content = file.content();
            if (content.length > MAX_FILE_BYTES) {
                throw fileError(file.path() + " is " + content.length + " bytes; a " + noun() + " file may be at most "
                        + MAX_FILE_BYTES + " bytes (" + (MAX_FILE_BYTES >> 20) + " MiB). Keep per-step values as a training curve "
                        + "(metrics/<name>.jsonl, one row per line) and only summary values in *.json");
            }
            try (JsonParser p = FACTORY.createParser(content)) {
                parser = p;
                readDocument();
            } catch (StreamConstraintsException e) {
                JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentTokenLocation();
                throw fileError(file.path() + " exceeds a limit" + at(where) + ": " + e.getOriginalMessage()
                        + "; " + noun() + " files hold summary values, keep large content under logs/", e);
            } catch (JsonProcessingException e) {
                throw fileError(file.path() + " is not valid JSON" + at(e.getLocation()) + ": "
                        + e.getOriginalMessage() + "; fix the file and commit it again", e);
            } catch (IOException e) {
                throw fileError("cannot read " + file.path() + ": " + e.getMessage(), e);
            }
        }

        private void readDocument() throws IOException, MetricsException {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw fileError(file.path() + " is empty; a " + noun() + " file holds one JSON object such as " + example());
            }
            if (first != JsonToken.START_OBJECT) {
                throw fileError(file.path() + " holds " + describeOne(first) + at(parser.currentTokenLocation())
                        + "; a " + noun() + " file holds one JSON object such as " + example());
            }
            Deque<Frame> stack = new ArrayDeque<>();
            stack.push(new Frame(file.keyPrefix(), ""));
            while (!stack.isEmpty()) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_OBJECT) {
                    stack.pop();
                    continue;
                }
                // Inside an object the only other token is a field name; the parser rejects anything else.
                Frame parent = stack.peek();
                String name = parser.currentName();
                String pointer = parent.pointer() + "/" + escapePointer(name);
                JsonToken value = parser.nextToken();
                String problem = nameProblem(name);
                if (problem != null) {
                    skipValue(value, stack.size() + 1);
                    skipped.add(new SkippedValue(file.path(), pointer, problem));
                    continue;
                }
                String key = parent.keyPrefix() + name;
                checkKeyLength(key);
                switch (value) {
                    case START_OBJECT -> {
                        checkDepth(stack.size() + 1);
                        stack.push(new Frame(key + ".", pointer));
                    }
                    case START_ARRAY -> readArray(key, pointer, stack.size() + 1);
                    case VALUE_NULL -> {
                        // null is "no value": nothing to keep, nothing to warn about
                    }
                    default -> put(key, scalar(value), pointer);
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw fileError(file.path() + " has content after its JSON object" + at(parser.currentTokenLocation())
                        + "; a " + noun() + " file holds exactly one JSON object");
            }
        }

        private void readArray(String key, String pointer, int depth) throws IOException, MetricsException {
            checkDepth(depth);
            MetricValue last = null;
            int lastIndex = -1;
            String nonNumeric = null;
            int index = -1;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                index++;
                if (token == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    last = scalar(token);
                    lastIndex = index;
                    continue;
                }
                if (nonNumeric == null) {
                    nonNumeric = describe(token);
                }
                skipValue(token, depth + 1);
            }
            if (nonNumeric != null) {
                skipped.add(new SkippedValue(file.path(), pointer,
                        "array holding " + nonNumeric + " is not a metric (only arrays of numbers are, by their last element)"));
            } else if (last == null) {
                skipped.add(new SkippedValue(file.path(), pointer, "array holds no numbers"));
            } else {
                put(key, last, pointer + "/" + lastIndex);
            }
        }

        /** Skips the value whose first token is {@code token}, which sits at {@code depth} if a container. */
        private void skipValue(JsonToken token, int depth) throws IOException, MetricsException {
            if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
                return;
            }
            checkDepth(depth);
            int open = 1;
            int current = depth;
            while (open > 0) {
                JsonToken t = parser.nextToken();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    open++;
                    checkDepth(++current);
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    open--;
                    current--;
                }
            }
        }

        private MetricValue scalar(JsonToken token) throws IOException, MetricsException {
            return switch (token) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> MetricValue.number(parser.getDoubleValue(), parser.getText());
                case VALUE_STRING -> MetricValue.string(parser.getText());
                case VALUE_TRUE -> MetricValue.bool(true);
                case VALUE_FALSE -> MetricValue.bool(false);
                default -> throw fileError(file.path() + ": unexpected " + describe(token) + at(parser.currentTokenLocation()));
            };
        }

        private void put(String key, MetricValue value, String pointer) throws MetricsException {
            Metric metric = new Metric(key, value, file.path(), pointer);
            Metric earlier = out.putIfAbsent(key, metric);
            if (earlier != null) {
                throw fileError((noun().equals("params") ? "parameter" : "metric") + " key '" + key + "' is defined twice: " + earlier.origin() + " and "
                        + metric.origin() + "; rename one of them (keys of " + file.directory()
                        + "<name>.json are prefixed with '<name>.')");
            }
            if (out.size() > MAX_METRICS) {
                throw fileError("more than " + MAX_METRICS + " metrics (reached in " + file.path()
                        + "); keep per-step values as a training curve (metrics/<name>.jsonl) and per-example values under logs/");
            }
        }

        /** "metrics" or "params", after the file's directory, for messages. */
        private String noun() {
            return file.directory().substring(0, file.directory().length() - 1);
        }

        private String example() {
            return file.directory().equals(MetricsFile.PARAMS_DIRECTORY) ? "{\"lr\": 0.001}" : "{\"accuracy\": 0.93}";
        }

        private void checkDepth(int depth) throws MetricsException {
            if (depth > MAX_DEPTH) {
                throw fileError(file.path() + " is too deeply nested" + at(parser.currentTokenLocation())
                        + ": more than " + MAX_DEPTH + " levels of objects and arrays; flatten the file");
            }
        }

        private void checkKeyLength(String key) throws MetricsException {
            if (key.length() > MAX_KEY_LENGTH) {
                throw fileError(file.path() + " has a key of " + key.length() + " characters"
                        + at(parser.currentTokenLocation()) + " ('" + key.substring(0, 40) + "...'); keys may be at most "
                        + MAX_KEY_LENGTH + " characters after flattening");
            }
        }

        private static String nameProblem(String name) {
            if (name.isEmpty()) {
                return "empty name";
            }
            for (int i = 0; i < name.length(); i++) {
                if (Character.isISOControl(name.charAt(i))) {
                    return "name contains a control character";
                }
            }
            return null;
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "objects";
            case START_ARRAY -> "arrays";
            case VALUE_STRING -> "strings";
            case VALUE_TRUE, VALUE_FALSE -> "booleans";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "numbers";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String describeOne(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String escapePointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static MetricsException fileError(String message) {
        return new MetricsException(MetricsException.Kind.INVALID_METRICS_FILE, message);
    }

    private static MetricsException fileError(String message, Throwable cause) {
        return new MetricsException(MetricsException.Kind.INVALID_METRICS_FILE, message, cause);
    }
}
