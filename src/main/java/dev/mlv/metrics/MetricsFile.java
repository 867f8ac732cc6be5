package dev.mlv.metrics;

import java.util.Objects;

/**
 * One JSON file of a commit's {@code metrics/} (or {@code params/}) directory: the directory,
 * the file's repository path and its bytes, as the caller read them from a tree. The path
 * decides the prefix of the file's keys (see {@link #keyPrefix()}); metrics and parameters
 * flatten by the same rules.
 */
public record MetricsFile(String directory, String path, byte[] content) {
    /** The directory whose {@code *.json} files hold a commit's metrics. */
    public static final String DIRECTORY = "metrics/";
    /** The directory whose {@code *.json} files hold a commit's parameters (hyperparameters). */
    public static final String PARAMS_DIRECTORY = "params/";
    /** The conventional main file; its keys are not prefixed. */
    public static final String MAIN_FILE = DIRECTORY + "metrics.json";
    private static final String SUFFIX = ".json";

    /**
     * @param directory {@link #DIRECTORY} or {@link #PARAMS_DIRECTORY}: a top-level directory
     *     name ending in {@code /}
     * @param path repository path, {@code /}-separated and under {@code directory}
     *     ({@code metrics/eval.json}); a caller bug otherwise
     */
    public MetricsFile {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        if (!directory.endsWith("/") || directory.indexOf('/') != directory.length() - 1) {
            throw new IllegalArgumentException("directory must be a top-level name ending in '/', got '" + directory + "'");
        }
        if (!path.startsWith(directory) || path.length() == directory.length() || path.contains("\\")) {
            throw new IllegalArgumentException("file path must be a repository path under "
                    + directory + " such as " + mainFile(directory) + ", got '" + path + "'");
        }
    }

    /** A file of {@code metrics/}. */
    public MetricsFile(String path, byte[] content) {
        this(DIRECTORY, path, content);
    }

    /** True when the path is a file that {@link MetricsParser} reads ({@code metrics/**}{@code /*.json}). */
    public static boolean isMetricsPath(String path) {
        return isJsonUnder(DIRECTORY, path);
    }

    /** True when the path is a {@code *.json} file below {@code directory} ({@code params/}, say). */
    public static boolean isJsonUnder(String directory, String path) {
        return path.startsWith(directory) && path.endsWith(SUFFIX) && path.length() > directory.length() + SUFFIX.length();
    }

    /** The directory's main file, whose keys are bare: {@code metrics/metrics.json}, {@code params/params.json}. */
    public static String mainFile(String directory) {
        return directory + directory.substring(0, directory.length() - 1) + SUFFIX;
    }

    /** True when {@link MetricsParser} reads this file rather than ignoring it. */
    public boolean isJson() {
        return isJsonUnder(directory, path);
    }

    /**
     * The prefix of this file's keys: empty for the main file ({@code metrics/metrics.json},
     * {@code params/params.json}); otherwise the path below the directory without {@code .json},
     * slashes turned into dots, plus a dot ({@code metrics/eval.json} → {@code eval.},
     * {@code metrics/a/b.json} → {@code a.b.}). A key's name so depends only on its own file,
     * never on which other files exist.
     */
    public String keyPrefix() {
        return keyPrefix(directory, path, SUFFIX);
    }

    /**
     * The rule of {@link #keyPrefix()} for a file of {@code directory} ending in {@code suffix}
     * ({@code .json} for metrics, {@code .jsonl} for training curves): empty for the directory's
     * main file ({@code metrics/metrics.jsonl}), else the path below the directory without the
     * suffix, slashes as dots, plus a dot.
     */
    public static String keyPrefix(String directory, String path, String suffix) {
        String main = directory.substring(0, directory.length() - 1);
        if (path.equals(directory + main + suffix)) {
            return "";
        }
        String relative = path.substring(directory.length(), path.length() - suffix.length());
        return relative.replace('/', '.') + ".";
    }
}
