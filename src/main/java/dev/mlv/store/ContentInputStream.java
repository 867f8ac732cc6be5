package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Streams a file rebuilt from its chunks. Each chunk is checked against its id as it is read, and
 * the whole content against the file's oid: a mismatch throws {@link CorruptContentException}
 * at end of stream, before -1 is returned, so a caller that reads to the end never accepts
 * wrong bytes silently.
 *
 * <p>For files of several chunks a read-ahead thread fetches, decompresses and checks the next
 * {@value #READ_AHEAD} chunks while the caller hashes and writes the current ones, so the two
 * SHA-256 passes (per chunk and whole file) run on two cores. Chunks still arrive strictly in
 * order, and an error surfaces exactly where the failing chunk would have been read.
 */
final class ContentInputStream extends InputStream {
    /** Chunks fetched ahead of the reader: about 4 MiB at the 64 KiB target size. */
    static final int READ_AHEAD = 64;
    private static final byte[] END = new byte[0];

    private final Manifest manifest;
    private final PackCatalog catalog;
    private final MessageDigest sha = Sha256.newDigest();
    private int nextChunk;
    private byte[] current = new byte[0];
    private int pos;
    private boolean verified;
    private boolean closed;
    private Fetcher fetcher;

    ContentInputStream(Manifest manifest, PackCatalog catalog) {
        this.manifest = manifest;
        this.catalog = catalog;
    }

    /** Reads chunks in manifest order on its own thread into a bounded queue. */
    private final class Fetcher implements Runnable {
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(READ_AHEAD);
        final Thread thread = new Thread(this, "mlv-read-ahead");
        volatile Throwable error;
        volatile boolean stop;

        @Override
        public void run() {
            try {
                for (int i = nextChunk; i < manifest.chunkCount() && !stop; i++) {
                    queue.put(fetch(i));
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                error = t;
            }
            try {
                queue.put(END);
            } catch (InterruptedException e) {
                // Closed by the reader: nobody waits for the end marker.
            }
        }

        byte[] take() throws IOException {
            byte[] chunk;
            try {
                chunk = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("read interrupted");
            }
            if (chunk == END) {
                Throwable t = error;
                if (t instanceof IOException io) {
                    throw io;
                }
                if (t instanceof RuntimeException re) {
                    throw re;
                }
                if (t instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("read-ahead ended early at chunk " + nextChunk);
            }
            return chunk;
        }

        void stop() {
            stop = true;
            thread.interrupt();
        }
    }

    private byte[] fetch(int i) throws IOException {
        byte[] chunk = catalog.readChunk(manifest.idBytes(), i * 32);
        if (chunk.length != manifest.chunkLength(i)) {
            throw new CorruptContentException("chunk " + manifest.chunkId(i) + " has length " + chunk.length
                    + " but file " + manifest.oid() + " expects " + manifest.chunkLength(i));
        }
        return chunk;
    }

    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (pos == current.length) {
            if (nextChunk == manifest.chunkCount()) {
                if (!verified) {
                    byte[] actual = sha.digest();
                    if (!manifest.oid().matches(actual, 0)) {
                        throw new CorruptContentException("file " + manifest.oid() + " rebuilt from its chunks hashes to "
                                + Hex.encode(actual) + "; the manifest is damaged");
                    }
                    verified = true;
                }
                return false;
            }
            if (fetcher == null && manifest.chunkCount() - nextChunk > 1) {
                fetcher = new Fetcher();
                fetcher.thread.setDaemon(true);
                fetcher.thread.start();
            }
            byte[] chunk = fetcher != null ? fetcher.take() : fetch(nextChunk);
            sha.update(chunk);
            current = chunk;
            pos = 0;
            nextChunk++;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int total = 0;
        // Fill the caller's buffer from as many chunks as fit, so large reads make large writes.
        while (total < len && fill()) {
            int n = Math.min(len - total, current.length - pos);
            System.arraycopy(current, pos, b, off + total, n);
            pos += n;
            total += n;
            if (pos == current.length && nextChunk == manifest.chunkCount()) {
                break;
            }
        }
        return total;
    }

    @Override
    public int available() {
        return current.length - pos;
    }

    @Override
    public void close() {
        closed = true;
        current = new byte[0];
        if (fetcher != null) {
            fetcher.stop();
            fetcher = null;
        }
    }
}
