package dev.mlv.store;

/** Stored bytes do not match their id or checksum, or a stored structure cannot be parsed. */
public class CorruptContentException extends StoreException {
    private static final long serialVersionUID = 1L;

    public CorruptContentException(String message) {
        super(message);
    }

    public CorruptContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
