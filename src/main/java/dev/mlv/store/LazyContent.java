package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random access to files whose chunks may be only on a store remote, without downloading them
 * whole: a read takes each chunk it covers from the local store, else from a bounded on-disk
 * {@link ChunkCache}, else reads it out of the remote's pack by byte range (neighbouring missing
 * chunks of one pack in one range) into that cache. Every chunk is checked against its id, from
 * the remote and again from the cache. A channel that is read sequentially fetches ahead of its
 * position on {@code jobs} threads, the window doubling up to the read-ahead bound as the reads
 * stay sequential. Nothing is written to the local store.
 *
 * <p>A file's whole content is not hashed against its oid (a random read cannot be): the chunks'
 * ids, from the remote's manifest of that oid, are what is checked.
 */
public final class LazyContent implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(LazyContent.class);
    /** Longest range read ahead in one request: large enough to cost few round trips. */
    private static final int AHEAD_RANGE = 4 << 20;
    /** Longest range read for a read that waits: the chunks the read covers, not much more. */
    private static final int DEMAND_RANGE = 2 << 20;
    /** The first read-ahead window; it doubles with each sequential read up to the bound. */
    private static final long FIRST_WINDOW = 4 << 20;
    /** Chunks read ahead are also kept in memory until read, up to this many bytes. */
    private static final long FRESH_BYTES = 24 << 20;
    /** Manifests kept in memory (a 1 GiB file's is about 600 KiB). */
    private static final int MANIFESTS = 8;

    private final ChunkStore local;
    private final RemoteStore remote;
    private final ChunkCache cache;
    private final long readahead;
    private final ExecutorService pool;
    private final Map<String, CompletableFuture<byte[]>> inflight = new ConcurrentHashMap<>();
    private final Map<Oid, Manifest> manifests = new LinkedHashMap<>(16, 0.75f, true);
    /** Chunks read ahead and not read yet (the eldest dropped beyond {@link #FRESH_BYTES}); they are in the cache too. */
    private final LinkedHashMap<String, byte[]> fresh = new LinkedHashMap<>();
    private long freshBytes;
    private final AtomicLong localChunks = new AtomicLong();
    private final AtomicLong fetchedChunks = new AtomicLong();
    private final AtomicLong fetchedBytes = new AtomicLong();
    private final AtomicLong ranges = new AtomicLong();
    private final ThreadLocal<MessageDigest> digests = ThreadLocal.withInitial(Sha256::newDigest);
    private volatile boolean closed;

    private LazyContent(ChunkStore local, RemoteStore remote, ChunkCache cache, int jobs, long readahead) {
        this.local = local;
        this.remote = remote;
        this.cache = cache;
        this.readahead = readahead;
        this.pool = Executors.newFixedThreadPool(Math.max(1, jobs), r -> {
            Thread t = new Thread(r, "mlv-lazy-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads files of {@code local} (when it has them) or of {@code remote}, caching fetched chunks
     * in {@code cacheDir} up to {@code cacheBytes}, reading ahead up to {@code readahead} bytes on
     * {@code jobs} threads.
     *
     * @throws LockBusyException when another process uses {@code cacheDir}
     */
    public static LazyContent open(ChunkStore local, RemoteStore remote, Path cacheDir, long cacheBytes, int jobs,
                                   long readahead) throws IOException {
        if (cacheBytes < 2 * readahead) {
            throw new IllegalArgumentException("a chunk cache of " + cacheBytes + " bytes cannot hold twice the read-ahead of "
                    + readahead);
        }
        LazyContent lazy = new LazyContent(local, remote, ChunkCache.open(cacheDir, cacheBytes), jobs, readahead);
        lazy.prepare();
        return lazy;
    }

    /**
     * Connects to the remote and loads its indexes now, so that the first read waits for neither (an
     * S3 client takes a moment to start, and a cold remote index cache has to be filled). A remote
     * that cannot be reached now is tried again by the first read that needs it.
     */
    private void prepare() {
        try {
            remote.catalog().index();
        } catch (IOException | RuntimeException e) {
            log.debug("loading the remote's indexes ahead of the first read: {}", e.toString());
        }
    }

    /**
     * The size of a file: the local store's manifest's, else the remote's.
     *
     * @throws ContentNotFoundException when neither has the file
     */
    public long size(Oid oid) throws IOException {
        return local.has(oid) ? local.manifest(oid).size() : manifest(oid).size();
    }

    /** Random access to a file: the local store's when it has the file, else chunk by chunk as above. */
    public SeekableByteChannel openChannel(Oid oid) throws IOException {
        if (local.has(oid)) {
            return local.openChannel(oid);
        }
        return new Channel(manifest(oid));
    }

    /** The remote's manifest of {@code oid}, checked to describe it; a few are kept in memory. */
    private Manifest manifest(Oid oid) throws IOException {
        synchronized (manifests) {
            Manifest m = manifests.get(oid);
            if (m != null) {
                return m;
            }
        }
        String key = StoreLayout.manifestKey(oid);
        byte[] data;
        try {
            data = remote.retry().call("download " + key, () -> remote.backend().readAll(key));
        } catch (ContentNotFoundException e) {
            throw new ContentNotFoundException("file " + oid + " is not in the remote store at " + remote
                    + "; push it from a repository that has it");
        }
        Manifest m = Manifest.decode(remote + "/" + key, data);
        if (!m.oid().equals(oid)) {
            throw new CorruptContentException("manifest " + key + " in " + remote + " describes file " + m.oid());
        }
        synchronized (manifests) {
            manifests.put(oid, m);
            while (manifests.size() > MANIFESTS) {
                manifests.remove(manifests.keySet().iterator().next());
            }
        }
        return m;
    }

    /**
     * Chunk {@code i} of {@code m}: local, in {@code fetched} (this read's fetches), being fetched,
     * cached, or else fetched now with the rest of {@code [i, last]} into {@code fetched}.
     */
    private byte[] chunk(Manifest m, int i, int last, Map<Integer, byte[]> fetched) throws IOException {
        byte[] ids = m.idBytes();
        int off = i * 32;
        byte[] data = fetched.get(i);
        if (data != null) {
            return data;
        }
        if (local.catalog().index().find(ids, off) >= 0) {
            localChunks.incrementAndGet();
            return local.catalog().readChunk(ids, off);
        }
        String key = key(ids, off);
        synchronized (fresh) {
            data = fresh.remove(key);
            if (data != null) {
                freshBytes -= data.length;
                return data;
            }
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            CompletableFuture<byte[]> f = inflight.get(key);
            if (f != null) {
                return await(f);
            }
            byte[] cached = cache.get(ids, off, m.chunkLength(i), digests.get());
            if (cached != null) {
                return cached;
            }
            fetch(m, i, last, DEMAND_RANGE, fetched);
            data = fetched.get(i);
            if (data != null) {
                return data;
            }
        }
        throw new IOException("chunk " + ChunkId.of(ids, off) + " of file " + m.oid() + " was fetched three times and"
                + " left the cache each time before it was read; give the cache more room");
    }

    /**
     * Fetches the chunks of {@code [from, to]} that are neither local, cached nor being fetched:
     * in ranges of at most {@code maxRange} bytes, on this thread into {@code into} (by index) when
     * it is given, else on the pool (read-ahead).
     */
    private void fetch(Manifest m, int from, int to, int maxRange, Map<Integer, byte[]> into) throws IOException {
        boolean ahead = into == null;
        byte[] ids = m.idBytes();
        List<Entry> planned = new ArrayList<>();
        try {
            for (int i = from; i <= to && i < m.chunkCount(); i++) {
                int off = i * 32;
                String key = key(ids, off);
                if (inflight.containsKey(key) || cache.contains(ids, off) || local.catalog().index().find(ids, off) >= 0) {
                    continue;
                }
                PackCatalog.Location loc = remote.catalog().locate(ids, off);
                if (loc == null) {
                    remote.refresh();
                    loc = remote.catalog().locate(ids, off);
                }
                if (loc == null) {
                    throw new CorruptContentException("chunk " + ChunkId.of(ids, off) + " of file " + m.oid()
                            + " is in no pack of the remote store at " + remote + "; the remote store is damaged"
                            + " (push the file again from a repository that has it)");
                }
                CompletableFuture<byte[]> f = new CompletableFuture<>();
                if (inflight.putIfAbsent(key, f) == null) {
                    planned.add(new Entry(i, loc, java.util.Arrays.copyOfRange(ids, off, off + 32), key, f));
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(planned, e);
            throw e;
        }
        for (List<Entry> range : group(planned, maxRange)) {
            if (ahead) {
                try {
                    pool.execute(() -> {
                        try {
                            read(range, null);
                        } catch (IOException | RuntimeException e) {
                            log.debug("reading ahead {}: {}", m.oid(), e.toString());
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    fail(range, new ClosedChannelException());
                }
            } else {
                read(range, into);
            }
        }
    }

    /** One chunk to fetch: where it is on the remote, its id, and who waits for it. */
    private record Entry(int index, PackCatalog.Location loc, byte[] id, String key, CompletableFuture<byte[]> done) {
    }

    /** Entries of one pack that touch each other, at most {@code maxRange} bytes a group. */
    private static List<List<Entry>> group(List<Entry> entries, int maxRange) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing((Entry e) -> e.loc().packKey()).thenComparingLong(e -> e.loc().offset()));
        List<List<Entry>> groups = new ArrayList<>();
        List<Entry> current = null;
        long end = 0;
        long start = 0;
        for (Entry e : sorted) {
            PackCatalog.Location loc = e.loc();
            boolean joins = current != null && loc.packKey().equals(current.get(0).loc().packKey()) && loc.offset() == end
                    && end + loc.entryLength() - start <= maxRange;
            if (!joins) {
                current = new ArrayList<>();
                groups.add(current);
                start = loc.offset();
            }
            current.add(e);
            end = loc.offset() + loc.entryLength();
        }
        return groups;
    }

    /**
     * Reads one range, checks each chunk against its id, caches it and hands it to its waiters
     * (and to {@code into}, by index, unless null).
     */
    private void read(List<Entry> range, Map<Integer, byte[]> into) throws IOException {
        PackCatalog.Location first = range.get(0).loc();
        PackCatalog.Location last = range.get(range.size() - 1).loc();
        long start = first.offset();
        int length = (int) (last.offset() + last.entryLength() - start);
        int done = 0;
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            byte[] data = remote.retry().call("read " + first.packKey(),
                    () -> remote.backend().read(first.packKey(), start, length));
            ranges.incrementAndGet();
            fetchedBytes.addAndGet(data.length);
            for (Entry e : range) {
                PackCatalog.Location loc = e.loc();
                byte[] raw = PackCatalog.checkEntry(data, (int) (loc.offset() - start), loc.raw(), loc.stored(),
                        loc.compression(), e.id(), 0, remote + "/" + loc.packKey() + " at offset " + loc.offset());
                try {
                    cache.put(e.id(), 0, raw, 0, raw.length);
                } catch (IOException ce) {
                    // still served to this read; a later read fetches it again
                    log.warn("cannot cache a chunk: {}", ce.toString());
                }
                fetchedChunks.incrementAndGet();
                if (into != null) {
                    into.put(e.index(), raw);
                } else {
                    keepFresh(e.key(), raw);
                }
                e.done().complete(raw);
                inflight.remove(e.key(), e.done());
                done++;
            }
        } catch (IOException | RuntimeException e) {
            fail(range.subList(done, range.size()), e);
            throw e;
        }
    }

    private void keepFresh(String key, byte[] raw) {
        synchronized (fresh) {
            if (fresh.put(key, raw) == null) {
                freshBytes += raw.length;
            }
            var it = fresh.values().iterator();
            while (freshBytes > FRESH_BYTES && it.hasNext()) {
                freshBytes -= it.next().length;
                it.remove();
            }
        }
    }

    private void fail(List<Entry> entries, Throwable cause) {
        for (Entry e : entries) {
            e.done().completeExceptionally(cause);
            inflight.remove(e.key(), e.done());
        }
    }

    private static byte[] await(CompletableFuture<byte[]> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a chunk");
        } catch (CancellationException e) {
            throw new InterruptedIOException("a chunk's fetch was cancelled");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CorruptContentException cc) {
                throw new CorruptContentException(cc.getMessage(), cc);
            }
            if (c instanceof ContentNotFoundException cn) {
                throw new ContentNotFoundException(cn.getMessage());
            }
            throw new IOException(c.getMessage(), c);
        }
    }

    private static String key(byte[] ids, int off) {
        return Hex.encode(java.util.Arrays.copyOfRange(ids, off, off + 32));
    }

    /** What was read and fetched since this was opened, and what the cache holds. */
    public Stats stats() {
        ChunkCache.Stats c = cache.stats();
        return new Stats(localChunks.get(), fetchedChunks.get(), ranges.get(), fetchedBytes.get(), c.hits(), c.chunks(),
                c.bytes(), c.maxBytes(), c.evicted());
    }

    /**
     * Counters: chunks read from the local store, fetched from the remote (in {@code ranges}
     * requests of {@code fetchedBytes} in all), read back from the cache; the cache's size and bound.
     */
    public record Stats(long localChunks, long fetchedChunks, long ranges, long fetchedBytes, long cacheHits,
                        long cachedChunks, long cachedBytes, long cacheMaxBytes, long evictedChunks) {
    }

    /** Stops reading ahead and releases the cache (the remote is the caller's to close). */
    @Override
    public void close() throws IOException {
        closed = true;
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                log.debug("read-ahead still running at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cache.close();
    }

    /** One open file's reads: the chunk last read is kept, and sequential reads fetch ahead. */
    private final class Channel implements SeekableByteChannel {
        private final Manifest manifest;
        private long position;
        private long lastEnd;
        private long window;
        /** Chunks before this index were already asked for by read-ahead. */
        private int aheadUntil;
        private int cachedIndex = -1;
        private byte[] cachedChunk;
        private boolean open = true;

        Channel(Manifest manifest) {
            this.manifest = manifest;
        }

        @Override
        public synchronized int read(ByteBuffer dst) throws IOException {
            ensureOpen();
            long size = manifest.size();
            if (position >= size) {
                return dst.hasRemaining() ? -1 : 0;
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            long end = Math.min(size, position + dst.remaining());
            int first = manifest.chunkAt(position);
            int last = manifest.chunkAt(end - 1);
            // The kernel's read-ahead may deliver a sequential reader's requests slightly out of order.
            boolean sequential = Math.abs(position - lastEnd) <= FIRST_WINDOW;
            window = sequential ? Math.min(readahead, window == 0 ? FIRST_WINDOW : window * 2) : 0;
            if (!sequential) {
                aheadUntil = 0;
            }
            if (window > 0) {
                readAhead(last + 1, end + window);
            }
            int total = 0;
            Map<Integer, byte[]> fetched = new java.util.HashMap<>();
            while (dst.hasRemaining() && position < size) {
                int i = manifest.chunkAt(position);
                if (i != cachedIndex) {
                    byte[] data = chunk(manifest, i, last, fetched);
                    if (data.length != manifest.chunkLength(i)) {
                        throw new CorruptContentException("chunk " + manifest.chunkId(i) + " has length " + data.length
                                + " but file " + manifest.oid() + " expects " + manifest.chunkLength(i));
                    }
                    cachedChunk = data;
                    cachedIndex = i;
                }
                int inChunk = (int) (position - manifest.chunkStart(i));
                int n = Math.min(dst.remaining(), cachedChunk.length - inChunk);
                dst.put(cachedChunk, inChunk, n);
                position += n;
                total += n;
            }
            lastEnd = position;
            return total;
        }

        /** Asks for the chunks from {@code from} to the one holding byte {@code until - 1}, a quarter window at a time. */
        private void readAhead(int from, long until) throws IOException {
            if (from >= manifest.chunkCount()) {
                return;
            }
            int to = manifest.chunkAt(Math.min(manifest.size(), until) - 1);
            int start = Math.max(from, aheadUntil);
            if (start > to) {
                return;
            }
            if (start > from && manifest.chunkStart(to) + manifest.chunkLength(to) - manifest.chunkStart(start) < window / 4) {
                return; // most of the window is asked for already: ask in larger steps
            }
            fetch(manifest, start, to, AHEAD_RANGE, null);
            aheadUntil = to + 1;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized long position() throws IOException {
            ensureOpen();
            return position;
        }

        @Override
        public synchronized SeekableByteChannel position(long newPosition) throws IOException {
            ensureOpen();
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position " + newPosition);
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            ensureOpen();
            return manifest.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized boolean isOpen() {
            return open;
        }

        @Override
        public synchronized void close() {
            open = false;
            cachedChunk = null;
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }
}
