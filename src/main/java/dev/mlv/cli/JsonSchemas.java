package dev.mlv.cli;

import java.util.Map;

/**
 * The {@code schema} of each command's {@code --json} documents: {@code mlv.<command words joined
 * by dots>/<version>}, so {@code mlv exp list --json} says {@code "schema" : "mlv.exp.list/1"} and
 * {@code mlv --version --json} {@code "mlv.version/1"}. A version goes up when a field is removed
 * or changes its meaning or type; a new field leaves it as it is. Errors are {@code mlv.error/1}.
 * docs/cli.md lists every schema and its fields.
 */
final class JsonSchemas {
    /** What a failed command prints with {@code --json}: {@code {"schema", "error": {"kind", "message"}, "exitCode"}}. */
    static final String ERROR = "mlv.error/1";

    /** Commands whose documents are past their first version. */
    private static final Map<String, Integer> VERSIONS = Map.of();

    private JsonSchemas() {
    }

    /** The schema of the documents {@code qualifiedName} ({@code "mlv exp list"}) prints. */
    static String of(String qualifiedName) {
        String path = qualifiedName.equals("mlv") ? "version" : qualifiedName.substring("mlv ".length());
        String name = "mlv." + path.replace(' ', '.');
        return name + "/" + VERSIONS.getOrDefault(path, 1);
    }
}
