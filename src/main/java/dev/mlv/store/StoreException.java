package dev.mlv.store;

import java.io.IOException;

/** Base of the store's own exceptions; the layer above maps subclasses to exit codes. */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
