package dev.mlv.store;

/**
 * mlv's one progress listener: the store reports through it, core's operations take it, and the
 * CLI draws it. It lives here, at the bottom, because the store is the layer that counts bytes and
 * may import nothing of mlv's; the layers above use this type rather than keeping one of their own
 * (the architecture test lets the CLI implement it, and depend on no other store type).
 *
 * <p>Each call reports an increment, not a running total, so progress from several files or
 * several transfer threads simply adds up. Calls may come from several threads at once, so an
 * implementation that keeps a sum must be thread-safe. An exception thrown here aborts the
 * operation (leaving only unreferenced data behind).
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores progress. */
    ProgressListener NONE = bytes -> { };

    /** {@code bytes} more bytes were processed. */
    void bytesDone(long bytes);

    /**
     * The operation now knows how many bytes it will process in all (once it has planned); a
     * listener may show a total and a time left. Optional: by default ignored.
     */
    default void totalKnown(long bytes) {
    }
}
