package dev.mlv.core.workspace;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.MlvException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The large-file patterns in {@code .gitattributes}: lines that set {@code filter=mlv}. Edits keep
 * every other line of the file as it was.
 */
public final class TrackedPatterns {
    public static final String FILE = ".gitattributes";
    /** The attributes a tracked pattern gets. */
    public static final String ATTRIBUTES = "filter=mlv diff=mlv merge=mlv -text";
    /** The patterns {@code mlv init} tracks. */
    public static final List<String> DEFAULTS = List.of(
            "models/**", "*.pkl", "*.pt", "*.pth", "*.ckpt", "*.safetensors", "*.onnx", "*.h5",
            "*.bin", "*.parquet", "*.npy", "*.npz", "*.joblib", "*.tflite", "*.gguf");

    private final List<String> lines;

    private TrackedPatterns(List<String> lines) {
        this.lines = lines;
    }

    static TrackedPatterns read(Path workTree) throws MlvException {
        Path file = workTree.resolve(FILE);
        try {
            return new TrackedPatterns(Files.exists(file)
                    ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8))
                    : new ArrayList<>());
        } catch (IOException e) {
            throw new MlvException("cannot read " + FILE + ": " + e.getMessage(), e);
        }
    }

    void write(Path workTree) throws MlvException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            AtomicFiles.write(workTree.resolve(FILE), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MlvException("cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    /** The patterns whose files go to the store, in file order. */
    public List<String> patterns() {
        List<String> patterns = new ArrayList<>();
        for (String line : lines) {
            String pattern = trackedPattern(line);
            if (pattern != null) {
                patterns.add(pattern);
            }
        }
        return patterns;
    }

    /** Adds a pattern; false when it was tracked already. */
    boolean add(String pattern) {
        if (patterns().contains(pattern)) {
            return false;
        }
        lines.add(escape(pattern) + " " + ATTRIBUTES);
        return true;
    }

    /** Removes a pattern's mlv line; false when it was not tracked. */
    boolean remove(String pattern) {
        return lines.removeIf(line -> pattern.equals(trackedPattern(line)));
    }

    /** The pattern of a line that sets filter=mlv, or null. */
    private static String trackedPattern(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        String[] parts = trimmed.split("\\s+");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("filter=mlv")) {
                return unescape(parts[0]);
            }
        }
        return null;
    }

    // .gitattributes has no quoting for spaces in patterns; git uses [[:space:]].
    private static String escape(String pattern) {
        return pattern.replace(" ", "[[:space:]]");
    }

    private static String unescape(String pattern) {
        return pattern.replace("[[:space:]]", " ");
    }

    /**
     * Checks a pattern given on the command line. A pattern to add must also be able to match:
     * untrack still takes one that an older mlv or a hand edit let in.
     */
    static void validate(String pattern, boolean adding) throws MlvException {
        if (pattern.isBlank() || pattern.startsWith("#") || pattern.startsWith("!")
                || pattern.indexOf('\n') >= 0 || pattern.indexOf('\t') >= 0) {
            throw MlvException.usage("'" + pattern + "' is not a usable pattern; give a path glob such as 'models/**' or '*.pt'");
        }
        // .gitattributes patterns are relative to the repository's root and never match '..'
        for (String segment : adding ? pattern.split("/", -1) : new String[0]) {
            if (segment.equals("..") || segment.equals(".")) {
                throw MlvException.usage("'" + pattern + "' has a '" + segment + "' segment, which a .gitattributes"
                        + " pattern never matches; give the path from the repository's root, such as 'models/**'");
            }
        }
    }
}
