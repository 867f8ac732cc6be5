package dev.mlv.store;

/**
 * The store's {@code config.json} is missing, unreadable, or records a format version or chunker
 * parameters this code does not use; the store is refused rather than mixed.
 */
public class StoreConfigException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreConfigException(String message) {
        super(message);
    }

    public StoreConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
