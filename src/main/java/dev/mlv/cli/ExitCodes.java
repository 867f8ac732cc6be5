package dev.mlv.cli;

import dev.mlv.core.ErrorKind;

/** The exit codes of every mlv command: part of the interface, listed in help and docs/cli.md. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int GATE_FAILED = 3;
    public static final int CONFLICT = 4;
    public static final int NOT_FOUND = 5;
    public static final int INTEGRITY = 6;
    public static final int REMOTE_UNREACHABLE = 7;

    /** The table shown at the end of {@code mlv --help}. */
    static final String[] HELP_TABLE = {
        "  0  ok",
        "  1  error",
        "  2  usage or configuration error (bad arguments or options, no Git identity)",
        "  3  a metric gate failed",
        "  4  conflict (merge or concurrent update); nothing changed",
        "  5  not found (branch, ref, path, object, repository)",
        "  6  integrity error (stored content corrupt or missing)",
        "  7  remote unreachable",
    };

    private ExitCodes() {
    }

    static int of(ErrorKind kind) {
        return switch (kind) {
            case ERROR -> ERROR;
            case USAGE -> USAGE;
            case GATE_FAILED -> GATE_FAILED;
            case CONFLICT -> CONFLICT;
            case NOT_FOUND -> NOT_FOUND;
            case INTEGRITY -> INTEGRITY;
            case REMOTE_UNREACHABLE -> REMOTE_UNREACHABLE;
        };
    }
}
