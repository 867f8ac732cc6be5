package dev.mlv.store;

/**
 * A {@link RemoteLock} its holder can no longer count on (not refreshed in time, or removed as
 * stale): the holder must stop before it deletes anything or moves a ref.
 */
public final class LockLostException extends StoreException {
    private static final long serialVersionUID = 1L;

    public LockLostException(String message) {
        super(message);
    }
}
