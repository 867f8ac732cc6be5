package dev.mlv.store;

/** A file, chunk, pack or store that should exist is not in the store. */
public class ContentNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public ContentNotFoundException(String message) {
        super(message);
    }
}
