package dev.mlv.store;

/** Bytes that were expected to be a Git LFS v1 pointer are not one; the message says what is wrong. */
public class PointerFormatException extends StoreException {
    private static final long serialVersionUID = 1L;

    public PointerFormatException(String message) {
        super(message);
    }
}
