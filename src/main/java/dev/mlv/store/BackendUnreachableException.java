package dev.mlv.store;

/**
 * A backend (a remote store) could not be reached or refused our credentials: a network error, a
 * timeout, missing or rejected credentials, or a server that keeps failing after retries. The
 * store itself may be fine; retrying later or fixing the connection settings may help.
 */
public class BackendUnreachableException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public BackendUnreachableException(String message) {
        this(message, null, true);
    }

    public BackendUnreachableException(String message, Throwable cause) {
        this(message, cause, true);
    }

    private BackendUnreachableException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /**
     * A failure that asking again cannot cure (missing or refused credentials, a bucket that does
     * not exist): reported at once, without retries.
     */
    public static BackendUnreachableException permanent(String message, Throwable cause) {
        return new BackendUnreachableException(message, cause, false);
    }

    /** Whether a retry after a backoff may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
