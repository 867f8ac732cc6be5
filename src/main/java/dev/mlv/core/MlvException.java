package dev.mlv.core;

/**
 * The one exception type mlv's operations throw to their callers. The message is written for
 * the user: it says what happened and what to do next. {@link #kind()} decides the exit code.
 */
public class MlvException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public MlvException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MlvException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public MlvException(String message) {
        this(ErrorKind.ERROR, message);
    }

    public MlvException(String message, Throwable cause) {
        this(ErrorKind.ERROR, message, cause);
    }

    public ErrorKind kind() {
        return kind;
    }

    /** A branch, ref, path, object or repository that does not exist. */
    public static MlvException notFound(String message) {
        return new MlvException(ErrorKind.NOT_FOUND, message);
    }

    /** Stored content that is corrupt or missing where it must exist. */
    public static MlvException integrity(String message, Throwable cause) {
        return new MlvException(ErrorKind.INTEGRITY, message, cause);
    }

    /** Arguments that cannot be acted on. */
    public static MlvException usage(String message) {
        return new MlvException(ErrorKind.USAGE, message);
    }
}
