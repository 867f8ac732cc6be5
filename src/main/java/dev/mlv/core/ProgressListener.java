package dev.mlv.core;

/** How core operations report progress; the CLI draws it on a terminal. Never prints itself. */
public interface ProgressListener {
    /** Nothing is shown. */
    ProgressListener NONE = bytes -> { };

    /** {@code bytes} more bytes were processed. */
    void bytesDone(long bytes);
}
