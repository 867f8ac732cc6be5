package dev.mlv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlv.core.Json;
import dev.mlv.core.Session;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One invocation's state shared by all commands: the environment and the global options
 * ({@code -C}, {@code --json}, {@code -q}, {@code -v}, {@code --stacktrace}), plus the writers
 * that commands render to. Built by {@link Cli}; commands receive it in their constructor.
 */
public final class CliContext {
    private final CliEnvironment environment;
    private final PrintWriter out;
    private final PrintWriter err;

    private Path directory;
    private boolean jsonOutput;
    private boolean quiet;
    private int verbosity;
    private boolean stacktrace;
    private String command = "mlv";

    CliContext(CliEnvironment environment) {
        this.environment = environment;
        this.out = new PrintWriter(new OutputStreamWriter(environment.out(), StandardCharsets.UTF_8), true);
        this.err = new PrintWriter(new OutputStreamWriter(environment.err(), StandardCharsets.UTF_8), true);
        this.directory = environment.workDir();
    }

    public CliEnvironment environment() {
        return environment;
    }

    /** The clock and environment variables operations see. */
    public Session session() {
        return new Session(environment.clock(), environment.env());
    }

    /** The directory the command acts in: the start directory, or {@code -C DIR} resolved against it. */
    public Path directory() {
        return directory;
    }

    void directory(Path dir) {
        this.directory = environment.workDir().resolve(dir).normalize();
    }

    public boolean json() {
        return jsonOutput;
    }

    void json(boolean on) {
        this.jsonOutput = on;
    }

    public boolean quiet() {
        return quiet;
    }

    void quiet(boolean on) {
        this.quiet = on;
    }

    public int verbosity() {
        return verbosity;
    }

    void verbosity(int level) {
        this.verbosity = level;
    }

    boolean stacktrace() {
        return stacktrace;
    }

    void stacktrace(boolean on) {
        this.stacktrace = on;
    }

    /** The command being run, as help names it ({@code mlv exp list}); set once arguments are parsed. */
    void command(String qualifiedName) {
        this.command = qualifiedName;
    }

    /** The schema of the running command's {@code --json} documents ({@link JsonSchemas}). */
    String schema() {
        return JsonSchemas.of(command);
    }

    /** Standard output: results only. */
    public PrintWriter out() {
        return out;
    }

    /** Standard error: progress, warnings and errors. */
    public PrintWriter err() {
        return err;
    }

    /**
     * Writes one JSON document to stdout, as {@link Json} writes JSON, with the running command's
     * {@code schema} as its first field (every {@code --json} document says what it is).
     */
    public void printJson(Object document) {
        JsonNode tree = Json.tree(document);
        if (tree instanceof ObjectNode fields && !fields.has("schema")) {
            ObjectNode withSchema = JsonNodeFactory.instance.objectNode();
            withSchema.put("schema", schema());
            withSchema.setAll(fields);
            tree = withSchema;
        }
        out.println(Json.writeTree(tree));
        out.flush();
    }

    /**
     * A failed command's error as a JSON document on stdout ({@code --json}): {@code {"schema":
     * "mlv.error/1", "error": {"kind", "message"}, "exitCode"}}; the one-line message still goes to stderr.
     */
    void printError(String kind, String message, int exitCode) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("kind", kind);
        error.put("message", message);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", JsonSchemas.ERROR);
        doc.put("error", error);
        doc.put("exitCode", exitCode);
        printJson(doc);
    }

    /** A line for people on stdout, suppressed by {@code -q}. */
    public void info(String line) {
        if (!quiet) {
            out.println(line);
        }
    }

    /** A side remark for people on stderr (summaries next to a result on stdout), suppressed by {@code -q}. */
    public void note(String line) {
        if (!quiet) {
            err.println(line);
        }
    }

    /** A warning on stderr (shown even with {@code -q}). */
    public void warn(String message) {
        err.println("mlv: warning: " + message);
    }
}
