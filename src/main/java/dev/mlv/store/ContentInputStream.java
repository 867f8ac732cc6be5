package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.PackFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Streams a file rebuilt from its chunks, in order, each chunk checked against its id before any
 * of its bytes are returned. With {@code checkFile} the whole content is also hashed and checked
 * against the file's oid: a mismatch throws {@link CorruptContentException} at end of stream,
 * before -1 is returned, so a caller that reads to the end never accepts wrong bytes silently.
 *
 * <p>The file is read in spans: runs of chunks that lie back to back in one pack (the common case,
 * since a put writes a file's new chunks in order), up to {@value #SPAN} bytes, read with one
 * call each. Spans are read, decompressed and hashed ahead of the caller by a small shared pool
 * of threads, at most {@value #IN_FLIGHT} per stream, so the per-chunk SHA-256 runs on every core
 * while the caller writes; spans are handed over strictly in order, and an error surfaces exactly
 * where the failing chunk's bytes would have been. A file of one span is read on the caller's
 * thread. Memory: at most {@value #IN_FLIGHT} span buffers per open stream.
 */
final class ContentInputStream extends InputStream {
    /** Bytes of pack read in one span: about 16 chunks at the 64 KiB target size. */
    static final int SPAN = 1 << 20;
    /** Spans read ahead of the caller per stream. */
    static final int IN_FLIGHT = 4;

    private static final ExecutorService POOL = readPool();

    private final Manifest manifest;
    private final PackCatalog catalog;
    private final MessageDigest fileSha;
    /** The chunks streamed: {@code [first, end)} of the manifest (all of it unless a range was asked for). */
    private final int end;
    private final long rangeBytes;
    private final ArrayDeque<CompletableFuture<Span>> ahead = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeBuffers = new ArrayDeque<>();
    /** The next chunk to plan into a span. */
    private int planned;
    private Span current;
    /** Chunk of {@link #current} being returned, and the position in it. */
    private int chunk;
    private int pos;
    private boolean verified;
    private boolean closed;
    /** Read spans through the page cache instead of {@link dev.mlv.store.backend.Backend#readSequential}. */
    private boolean cachedReads;
    /** Hash each chunk against its id (off only under {@link #fileCheckOnly}: the file's hash then covers every byte). */
    private boolean chunkChecks = true;

    /** One read of consecutive pack entries, and where each chunk's raw bytes ended up. */
    private static final class Span {
        final int first;
        final int count;
        final String packKey;
        final long offset;
        final int length;
        final byte[] buf;
        /** Each chunk's index record, as planned (raw length, stored length, compression). */
        final int[] raw;
        final int[] stored;
        final int[] compression;
        final byte[][] data;
        final int[] dataOff;

        Span(int first, int count, String packKey, long offset, int length, byte[] buf, int[] raw, int[] stored,
             int[] compression) {
            this.first = first;
            this.count = count;
            this.packKey = packKey;
            this.offset = offset;
            this.length = length;
            this.buf = buf;
            this.raw = raw;
            this.stored = stored;
            this.compression = compression;
            this.data = new byte[count][];
            this.dataOff = new int[count];
        }
    }

    ContentInputStream(Manifest manifest, PackCatalog catalog, boolean checkFile) {
        this(manifest, catalog, checkFile, 0, manifest.chunkCount());
    }

    /**
     * Streams chunks {@code [first, end)} only, each checked against its id; {@code checkFile}
     * (a whole-file hash) needs the whole file.
     */
    ContentInputStream(Manifest manifest, PackCatalog catalog, boolean checkFile, int first, int end) {
        if (first < 0 || first > end || end > manifest.chunkCount() || (checkFile && (first != 0 || end != manifest.chunkCount()))) {
            throw new IllegalArgumentException("chunks [" + first + ", " + end + ") of " + manifest.chunkCount());
        }
        this.manifest = manifest;
        this.catalog = catalog;
        this.fileSha = checkFile ? Sha256.newDigest() : null;
        this.planned = first;
        this.end = end;
        this.rangeBytes = end == 0 ? 0 : manifest.chunkStart(end - 1) + manifest.chunkLength(end - 1) - manifest.chunkStart(first);
    }

    /**
     * Reads the packs through the page cache: for packs just written through it (a download's),
     * which direct reads would fetch from the disk again.
     */
    ContentInputStream cachedReads() {
        this.cachedReads = true;
        return this;
    }

    /**
     * Skips the per-chunk hash, for a caller that reads the whole file and acts only once the
     * file's hash has matched its oid at the end (a download's check of the chunks it has just
     * checked one by one): the file's hash covers every byte, so hashing each chunk as well only
     * hashes the file twice. Entry headers are still checked against the index. A damaged chunk
     * then fails at the end of the stream, as a file that does not hash to its oid.
     */
    ContentInputStream fileCheckOnly() {
        if (fileSha == null) {
            throw new IllegalStateException("a stream without the whole-file check must check its chunks");
        }
        this.chunkChecks = false;
        return this;
    }

    private static ExecutorService readPool() {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "mlv-read");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static final ThreadLocal<MessageDigest> CHUNK_SHA = ThreadLocal.withInitial(Sha256::newDigest);

    /**
     * Plans the span starting at chunk {@link #planned}: consecutive entries of one pack. Works on
     * index slots and pack ordinals: no per-chunk objects or strings (this runs once per chunk).
     */
    private Span plan() throws IOException {
        int first = planned;
        byte[] ids = manifest.idBytes();
        ChunkLookup index = catalog.index();
        long slot = slot(index, ids, first);
        if (index != catalog.index()) {
            index = catalog.index(); // a miss reloaded it
            slot = index.find(ids, first * 32);
        }
        int pack = index.pack(slot);
        long start = index.offset(slot);
        int max = Math.min(end - first, SPAN / PackFormat.ENTRY_HEADER_SIZE + 1);
        int[] raw = new int[max];
        int[] stored = new int[max];
        int[] compression = new int[max];
        raw[0] = index.rawLength(slot);
        stored[0] = index.storedLength(slot);
        compression[0] = index.compression(slot);
        long end = start + PackFormat.ENTRY_HEADER_SIZE + stored[0];
        int count = 1;
        while (count < max) {
            long next = index.find(ids, (first + count) * 32);
            if (next < 0 || index.pack(next) != pack || index.offset(next) != end) {
                break;
            }
            int nextStored = index.storedLength(next);
            if (end + PackFormat.ENTRY_HEADER_SIZE + nextStored - start > SPAN) {
                break;
            }
            raw[count] = index.rawLength(next);
            stored[count] = nextStored;
            compression[count] = index.compression(next);
            end += PackFormat.ENTRY_HEADER_SIZE + nextStored;
            count++;
        }
        planned += count;
        int length = (int) (end - start);
        byte[] buf = length <= SPAN ? freeBuffers.pollFirst() : null;
        if (buf == null) {
            buf = new byte[Math.max(length, SPAN)];
        }
        return new Span(first, count, catalog.packKey(pack), start, length, buf, raw, stored, compression);
    }

    /** The index slot of chunk {@code i}, reloading indexes once on a miss. */
    private long slot(ChunkLookup index, byte[] ids, int i) throws IOException {
        long slot = index.find(ids, i * 32);
        if (slot < 0) {
            catalog.refresh();
            slot = catalog.index().find(ids, i * 32);
        }
        if (slot < 0 && catalog.distrustMultiPackIndex(index)) {
            slot = catalog.index().find(ids, i * 32);
        }
        if (slot < 0) {
            // A manifest is written only after its chunks are indexed: a missing chunk is damage.
            throw new CorruptContentException("chunk " + manifest.chunkId(i) + " is not in any indexed pack of the"
                    + " store (a lost pack or index); 'mlv fsck --repair' rebuilds lost indexes");
        }
        return slot;
    }

    /** Reads a span's entries with one call and checks and decodes each chunk. Any thread. */
    private Span fill(Span s) throws IOException {
        try {
            return fillOnce(s);
        } catch (CorruptContentException e) {
            if (!(e instanceof PackCatalog.PackGoneException) && catalog.distrustMultiPackIndex(catalog.index())) {
                return refill(s); // the multi-pack index was damaged, not the pack: read from the pack indexes
            }
            throw e;
        }
    }

    private Span fillOnce(Span s) throws IOException {
        catalog.countChunkReads(s.count);
        try {
            if (cachedReads || catalog.readThroughCache(s.packKey)) {
                catalog.backend().readInto(s.packKey, s.offset, s.buf, 0, s.length);
            } else {
                catalog.backend().readSequential(s.packKey, s.offset, s.buf, 0, s.length);
            }
        } catch (ContentNotFoundException e) {
            return refill(s);
        } catch (java.io.EOFException e) {
            throw new CorruptContentException("chunk " + manifest.chunkId(s.first) + " in " + s.packKey
                    + ": the pack is truncated (" + e.getMessage() + ")", e);
        }
        MessageDigest sha = chunkChecks ? CHUNK_SHA.get() : null;
        byte[] ids = manifest.idBytes();
        int at = 0;
        for (int k = 0; k < s.count; k++) {
            int i = s.first + k;
            if (s.raw[k] != manifest.chunkLength(i)) {
                throw new CorruptContentException("chunk " + manifest.chunkId(i) + " has length " + s.raw[k]
                        + " but file " + manifest.oid() + " expects " + manifest.chunkLength(i));
            }
            byte[] data = PackCatalog.decodeEntry(s.buf, at, s.raw[k], s.stored[k], s.compression[k], ids, i * 32,
                    s.packKey, s.offset + at, sha);
            s.data[k] = data;
            s.dataOff[k] = data == s.buf ? at + PackFormat.ENTRY_HEADER_SIZE : 0;
            at += PackFormat.ENTRY_HEADER_SIZE + s.stored[k];
        }
        return s;
    }

    /**
     * The span's pack is gone, most likely repacked by a concurrent gc: reload the catalog and
     * read the span's chunks one by one from wherever they are now (each checked against its id).
     * Content that is truly lost still fails, as damage.
     */
    private Span refill(Span s) throws IOException {
        catalog.reload();
        byte[] ids = manifest.idBytes();
        for (int k = 0; k < s.count; k++) {
            int i = s.first + k;
            byte[] data;
            try {
                data = catalog.readChunk(ids, i * 32);
            } catch (PackCatalog.PackGoneException e) {
                throw new CorruptContentException("chunk " + manifest.chunkId(i) + ": its pack " + s.packKey
                        + " is missing although its index lists it, and no other pack holds it (lost); run 'mlv fsck'", e);
            }
            if (data.length != manifest.chunkLength(i)) {
                throw new CorruptContentException("chunk " + manifest.chunkId(i) + " has length " + data.length
                        + " but file " + manifest.oid() + " expects " + manifest.chunkLength(i));
            }
            s.data[k] = data;
            s.dataOff[k] = 0;
        }
        return s;
    }

    /** Keeps up to {@link #IN_FLIGHT} spans in progress on the pool. */
    private void readAhead() {
        while (ahead.size() < IN_FLIGHT && planned < end) {
            Span s;
            try {
                s = plan();
            } catch (IOException e) {
                ahead.add(CompletableFuture.failedFuture(e));
                planned = end;
                return;
            }
            ahead.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return fill(s);
                } catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, POOL));
        }
    }

    /** The next span in order: read on this thread for a file of at most one span's size, else from the pool. */
    private Span nextSpan() throws IOException {
        if (rangeBytes <= SPAN && ahead.isEmpty()) {
            // Small file: no hand-over between threads.
            return fill(plan());
        }
        readAhead();
        CompletableFuture<Span> f = ahead.pollFirst();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("read interrupted");
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IOException("read failed: " + t, t);
        } finally {
            readAhead();
        }
    }

    /**
     * Makes {@link #current} hold unread bytes at ({@link #chunk}, {@link #pos}); false at the end
     * of the file, after the whole-file check.
     */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (current == null || pos == manifest.chunkLength(current.first + chunk)) {
            if (current != null && chunk + 1 < current.count) {
                chunk++;
                pos = 0;
                continue;
            }
            if (current != null) {
                release(current);
                current = null;
            }
            if (planned == end && ahead.isEmpty()) {
                if (!verified && fileSha != null) {
                    byte[] actual = fileSha.digest();
                    if (!manifest.oid().matches(actual, 0)) {
                        throw new CorruptContentException("file " + manifest.oid() + " rebuilt from its chunks hashes"
                                + " to " + Hex.encode(actual) + "; the manifest is damaged");
                    }
                }
                verified = true;
                return false;
            }
            current = nextSpan();
            chunk = 0;
            pos = 0;
            if (fileSha != null) {
                for (int k = 0; k < current.count; k++) {
                    fileSha.update(current.data[k], current.dataOff[k], manifest.chunkLength(current.first + k));
                }
            }
        }
        return true;
    }

    private void release(Span s) {
        if (s.buf.length == SPAN && freeBuffers.size() < IN_FLIGHT) {
            freeBuffers.add(s.buf);
        }
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current.data[chunk][current.dataOff[chunk] + pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int total = 0;
        // Fill the caller's buffer from as many chunks as are ready, so large reads make large writes.
        while (total < len && fill()) {
            int n = Math.min(len - total, manifest.chunkLength(current.first + chunk) - pos);
            System.arraycopy(current.data[chunk], current.dataOff[chunk] + pos, b, off + total, n);
            pos += n;
            total += n;
        }
        return total == 0 ? -1 : total;
    }

    /** Writes the rest of the file straight from the span buffers, {@link IoPieces#PIECE} bytes per call. */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        long total = 0;
        while (fill()) {
            int n = Math.min(IoPieces.PIECE, manifest.chunkLength(current.first + chunk) - pos);
            out.write(current.data[chunk], current.dataOff[chunk] + pos, n);
            pos += n;
            total += n;
        }
        return total;
    }

    @Override
    public int available() {
        return current == null ? 0 : manifest.chunkLength(current.first + chunk) - pos;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        current = null;
        for (CompletableFuture<Span> f : ahead) {
            f.cancel(false);
        }
        ahead.clear();
        freeBuffers.clear();
    }
}
