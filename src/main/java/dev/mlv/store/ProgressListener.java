package dev.mlv.store;

/**
 * Receives progress of a long store operation. Called on the thread that called the operation;
 * an exception thrown here aborts the operation (leaving only unreferenced data behind).
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = total -> { };

    /** {@code totalBytes} bytes of input have been processed so far. */
    void bytesProcessed(long totalBytes);
}
