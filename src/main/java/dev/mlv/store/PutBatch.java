package dev.mlv.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Many puts that share buffers, threads and packs: what a commit of ten thousand files needs,
 * where a {@link ChunkStore#put} each would write ten thousand packs. The content of a put is
 * durable, and may be referenced, only after the next {@link #flush}; {@link #close} without one
 * removes what the batch wrote. {@link #put} may be called by several threads at once (a file
 * that fits in one read buffer is then read, hashed and chunked in parallel with the others);
 * {@link #flush} and {@link #close} only once no put is running.
 */
public final class PutBatch implements Closeable {
    private final Ingest ingest;
    private volatile boolean closed;

    PutBatch(Ingest ingest) {
        this.ingest = ingest;
    }

    /**
     * Stores the content of {@code in} (read to its end, not closed); durable at the next
     * {@link #flush}. Thread-safe.
     */
    public PutResult put(InputStream in) throws IOException {
        if (closed) {
            throw new IllegalStateException("batch closed");
        }
        return ingest.putConcurrently(in);
    }

    /** Makes every put so far durable: packs written, synced and indexed, then their manifests. */
    public void flush() throws IOException {
        if (closed) {
            throw new IllegalStateException("batch closed");
        }
        ingest.flush();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            ingest.close();
        }
    }
}
