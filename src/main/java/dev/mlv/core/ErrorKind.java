package dev.mlv.core;

/**
 * What went wrong, coarsely enough that a script can act on it. The CLI maps each kind to one
 * documented exit code (see {@code docs/cli.md}).
 */
public enum ErrorKind {
    /** Anything else: an I/O failure, a bug, an unexpected state. */
    ERROR,
    /** The command was called wrongly: bad arguments or options. */
    USAGE,
    /** A metric gate did not pass (promotion, reproduction). */
    GATE_FAILED,
    /** A merge or concurrent update conflicted; nothing was changed. */
    CONFLICT,
    /** A branch, ref, path, object or repository does not exist. */
    NOT_FOUND,
    /** Stored content is corrupt or does not match its id. */
    INTEGRITY,
    /** A remote (Git host or store) could not be reached. */
    REMOTE_UNREACHABLE
}
