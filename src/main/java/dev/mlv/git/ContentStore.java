package dev.mlv.git;

import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where the filters put and get large-file content. The repository layer implements it over the
 * chunk store, adding what it wants to count (bytes new and reused) and report (progress).
 */
public interface ContentStore {
    /** Stores the stream's content and returns its pointer. */
    Pointer put(InputStream content) throws IOException;

    /** Whether the content is available without fetching. */
    boolean has(Oid oid) throws IOException;

    /** The content of an oid, verified against it as it is read. */
    InputStream open(Oid oid) throws IOException;

    /**
     * The content a pointer names; a store that knows the content's size refuses it when the
     * pointer claims another (a hostile or damaged pointer), instead of trusting the claim.
     */
    default InputStream open(Pointer pointer) throws IOException {
        return open(pointer.oid());
    }

    /**
     * Writes the content a pointer names to {@code out} (a checkout's new file, or a pipe), as
     * {@link #open(Pointer)} streams it. A store may write a file faster when {@code out} is a
     * {@link java.io.FileOutputStream} on a new, empty file.
     */
    default void writeTo(Pointer pointer, java.io.OutputStream out) throws IOException {
        try (InputStream content = open(pointer)) {
            content.transferTo(out);
        }
    }

    /**
     * Brings content missing locally in, all at once where the store can (a lazy clone's store
     * remote); content it cannot find stays missing, for {@link #open} to report. Does nothing by
     * default.
     */
    default void prefetch(java.util.Collection<Oid> oids) throws IOException {
    }

    /**
     * A store for many puts at once (a commit of many files), whose content becomes durable only
     * at {@link Batch#flush}: a pointer it returned may be written into Git's index or a commit
     * only after that. Its {@code put} may be called by several threads at once. By default each
     * put is durable at once (one at a time) and flush does nothing.
     */
    default Batch batch() throws IOException {
        ContentStore self = this;
        return new Batch() {
            @Override
            public synchronized Pointer put(InputStream content) throws IOException {
                return self.put(content);
            }

            @Override
            public boolean has(Oid oid) throws IOException {
                return self.has(oid);
            }

            @Override
            public InputStream open(Oid oid) throws IOException {
                return self.open(oid);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * See {@link #batch()}; closing it without a flush drops what it stored. {@code put} is
     * thread-safe; {@code flush} and {@code close} are called once no put is running.
     */
    interface Batch extends ContentStore, java.io.Closeable {
        void flush() throws IOException;
    }
}
