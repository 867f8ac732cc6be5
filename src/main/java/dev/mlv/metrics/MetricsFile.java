package dev.mlv.metrics;

import java.util.Objects;

/**
 * One file of a commit's {@code metrics/} directory: its repository path and its bytes, as the
 * caller read them from a tree. The path decides the prefix of the file's keys (see
 * {@link #keyPrefix()}).
 */
public record MetricsFile(String path, byte[] content) {
    /** The directory whose {@code *.json} files hold a commit's metrics. */
    public static final String DIRECTORY = "metrics/";
    /** The conventional main file; its keys are not prefixed. */
    public static final String MAIN_FILE = DIRECTORY + "metrics.json";
    private static final String SUFFIX = ".json";

    /**
     * @param path repository path, {@code /}-separated and under {@code metrics/}
     *     ({@code metrics/eval.json}); a caller bug otherwise
     */
    public MetricsFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        if (!path.startsWith(DIRECTORY) || path.length() == DIRECTORY.length() || path.contains("\\")) {
            throw new IllegalArgumentException("metrics file path must be a repository path under "
                    + DIRECTORY + " such as " + MAIN_FILE + ", got '" + path + "'");
        }
    }

    /** True when the path is a file that {@link MetricsParser} reads ({@code metrics/**}{@code /*.json}). */
    public static boolean isMetricsPath(String path) {
        return path.startsWith(DIRECTORY) && path.endsWith(SUFFIX) && path.length() > DIRECTORY.length() + SUFFIX.length();
    }

    /** True when {@link MetricsParser} reads this file rather than ignoring it. */
    public boolean isJson() {
        return isMetricsPath(path);
    }

    /**
     * The prefix of this file's keys: empty for {@code metrics/metrics.json}; otherwise the path
     * below {@code metrics/} without {@code .json}, slashes turned into dots, plus a dot
     * ({@code metrics/eval.json} → {@code eval.}, {@code metrics/a/b.json} → {@code a.b.}).
     * A key's name so depends only on its own file, never on which other files exist.
     */
    public String keyPrefix() {
        if (path.equals(MAIN_FILE)) {
            return "";
        }
        String relative = path.substring(DIRECTORY.length(), path.length() - SUFFIX.length());
        return relative.replace('/', '.') + ".";
    }
}
