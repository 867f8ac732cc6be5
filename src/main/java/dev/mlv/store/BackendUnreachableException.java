package dev.mlv.store;

/**
 * A backend (a remote store) could not be reached or refused our credentials: a network error, a
 * timeout, missing or rejected credentials, or a server that keeps failing after retries. The
 * store itself may be fine; retrying later or fixing the connection settings may help.
 */
public class BackendUnreachableException extends StoreException {
    private static final long serialVersionUID = 1L;

    public BackendUnreachableException(String message) {
        super(message);
    }

    public BackendUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
