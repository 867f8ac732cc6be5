package dev.mlv.store;

/** {@link StoreLock} could not be taken in time; the message names the holder when it is known. */
public final class LockBusyException extends StoreException {
    private static final long serialVersionUID = 1L;

    public LockBusyException(String message) {
        super(message);
    }
}
