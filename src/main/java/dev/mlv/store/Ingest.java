package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.chunk.Chunker;
import dev.mlv.store.manifest.ManifestWriter;
import dev.mlv.store.pack.ChunkCompressor;
import dev.mlv.store.pack.ChunkIdSet;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import dev.mlv.store.pack.PackWriter;
import dev.mlv.store.pack.WriteBehind;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One put: a three-stage pipeline over a fixed pool of recycled buffers, so memory is bounded by
 * the pool whatever the input size.
 * <ol>
 * <li>reader thread: fills a buffer from the input and feeds it to the whole-file SHA-256;</li>
 * <li>chunker thread: finds chunk boundaries; the unfinished chunk at the end of a buffer is copied
 * into the headroom at the front of the next one, so every chunk is contiguous in one buffer;</li>
 * <li>calling thread: SHA-256 of each chunk, dedupe lookup, zstd, append to this put's pack,
 * manifest entry.</li>
 * </ol>
 * Each stage costs roughly the same per byte (about 0.5-0.7 ns), so on two cores the three keep
 * both busy; the whole-file hash sits with the reader because the reader otherwise mostly waits.
 * A file that fits in one buffer (4 MiB) skips the pipeline: the calling thread reads, chunks and
 * stores it, with no thread started.
 *
 * <p>One instance serves one put ({@link #run}) or a batch of puts ({@link ChunkStore#batch}):
 * the buffers, the write-behind thread and the open pack are shared by the batch's files, so ten
 * thousand small files make a few packs of {@code packSize}, not ten thousand. Packs are never
 * shared with another writer; a pack and its index are durable before a manifest that references
 * them is written, which for a batch is at {@link #flush}.
 */
final class Ingest {
    /** Pack write size and count: 4 MiB writes keep the disk near its best rate. */
    private static final int WRITE_BLOCK = 4 << 20;
    private static final int WRITE_BUFFERS = 4;

    private static final class Block {
        final byte[] buf;
        int start;
        int end;
        int[] cuts = new int[64];
        int cutCount;
        boolean last;
        Throwable error;

        Block(byte[] buf) {
            this.buf = buf;
        }

        void addCut(int pos) {
            if (cutCount == cuts.length) {
                cuts = Arrays.copyOf(cuts, cuts.length * 2);
            }
            cuts[cutCount++] = pos;
        }

        static Block failed(Throwable t) {
            Block b = new Block(new byte[0]);
            b.error = t;
            return b;
        }
    }

    private final Backend backend;
    private final Path tmpDir;
    private final PackCatalog catalog;
    private final StoreOptions options;
    private final ProgressListener listener;
    private final int head;

    private final BlockingQueue<Block> free;
    private final BlockingQueue<Block> toChunker = new LinkedBlockingQueue<>();
    private final BlockingQueue<Block> toHasher = new LinkedBlockingQueue<>();
    private volatile boolean cancelled;
    // Written by the reader before it hands over the last block; the queues publish them.
    private byte[] fileDigest;
    private long fileSize;

    /** For an appendable put: the whole-file hash, fed chunk by chunk, whose state is kept for the next append. */
    private ResumableSha256 resumable;
    /** For an append: the base file, whose chunks before {@link #prefixChunks} begin the new file unchanged. */
    private dev.mlv.store.manifest.Manifest prefix;
    private int prefixChunks;

    /** Shared by the puts of a batch: the pack being filled and the chunks stored so far. */
    private PackWriter pack;
    private final List<Path> unpublished = new ArrayList<>();
    private final ChunkIdSet inThisBatch = ChunkIdSet.exact();
    private ChunkCompressor compressor;
    private boolean refreshed;
    /** A put failed in a way that may have left the open pack unusable. */
    private boolean broken;
    /** Manifests (and append states) finished but not yet written: they wait for their packs. */
    private final List<Staged> staged = new ArrayList<>();

    /** A finished manifest: in a staging file, or its bytes ({@code manifestBytes}) in memory. */
    private record Staged(Oid oid, Path manifest, byte[] manifestBytes, byte[] appendState) {
    }

    /** A manifest stays in memory until flush while it is at most this size (a file of ~450 MiB)... */
    private static final int MANIFEST_IN_MEMORY = 256 << 10;
    /** ...and while the batch's manifests in memory total at most this; past it they go to staging files. */
    private static final long STAGED_IN_MEMORY = 16L << 20;
    private long stagedBytes;

    private long chunks;
    private long newChunks;
    private long newBytes;
    private long reusedBytes;
    /** Written only by the write-behind thread; read after {@link WriteBehind#drain()}. */
    private volatile int packsWritten;
    private final WriteBehind io;

    Ingest(Backend backend, Path tmpDir, PackCatalog catalog, StoreOptions options, ProgressListener listener,
           int directAlignment) {
        this.backend = backend;
        this.io = directAlignment > 0
                ? new WriteBehind(WRITE_BLOCK, WRITE_BUFFERS, true, directAlignment)
                : new WriteBehind(WRITE_BLOCK, WRITE_BUFFERS, false, 4096);
        this.tmpDir = tmpDir;
        this.catalog = catalog;
        this.options = options;
        this.listener = listener;
        this.head = options.chunkerParams().maxSize();
        this.free = new ArrayBlockingQueue<>(options.blocks());
        for (int i = 0; i < options.blocks(); i++) {
            free.add(new Block(new byte[head + options.blockSize()]));
        }
        int concurrent = CONCURRENT_PUTS;
        this.concurrentBuffers = new ArrayBlockingQueue<>(concurrent);
        for (int i = 0; i < concurrent; i++) {
            concurrentBuffers.add(new byte[0]); // allocated on first use (see take)
        }
    }

    /** How many puts of a batch may read and hash at once: one per core. */
    static final int CONCURRENT_PUTS = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

    /**
     * Makes this put appendable: the file hash is computed resumably and its state at the start of
     * the last chunk is stored beside the manifest ({@link AppendState}), so that a later
     * {@link ChunkStore#append} hashes and chunks only that chunk and what is appended.
     */
    Ingest appendable() {
        this.resumable = new ResumableSha256();
        return this;
    }

    /**
     * Makes this put an append to {@code base}: the new file is the base's first {@code keep}
     * chunks followed by the stream (which must begin with the rest of the base), and the file hash
     * goes on from {@code state}, the hash after those chunks.
     */
    Ingest appendingTo(dev.mlv.store.manifest.Manifest base, int keep, ResumableSha256.State state) {
        this.prefix = base;
        this.prefixChunks = keep;
        this.resumable = new ResumableSha256(state);
        return this;
    }

    /** Read buffers of {@link #putConcurrently}, one per put in progress: they bound how many run at once. */
    private final BlockingQueue<byte[]> concurrentBuffers;

    /**
     * Stores the stream's content into the batch, as {@link #put}, and may be called by several
     * threads at once: a file that fits in one read buffer is read, hashed and chunked by the
     * calling thread outside this batch's lock, and only its dedupe lookups, pack appends and
     * manifest take the lock, so a batch of small files keeps every core busy (a commit of
     * thousands of shards ran on one core before). A larger file is put under the lock by the
     * pipeline of {@link #put}, which uses the cores itself.
     */
    PutResult putConcurrently(InputStream in) throws IOException {
        if (resumable != null || prefix != null) {
            synchronized (this) {
                return put(in);
            }
        }
        synchronized (this) {
            checkUsable();
        }
        byte[] buf = take(concurrentBuffers);
        if (buf.length == 0) {
            buf = new byte[head + options.blockSize()];
        }
        try {
            int blockSize = options.blockSize();
            int n = 0;
            boolean end = false;
            while (n < blockSize) {
                int r = in.read(buf, head + n, Math.min(IoPieces.PIECE, blockSize - n));
                if (r < 0) {
                    end = true;
                    break;
                }
                n += r;
            }
            if (!end) {
                // larger than a buffer: the pipeline, with the bytes read so far in front
                synchronized (this) {
                    return put(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(buf, head, n), in));
                }
            }
            MessageDigest sha = Sha256.newDigest();
            sha.update(buf, head, n);
            byte[] digest = sha.digest();
            Block b = new Block(buf);
            b.start = head;
            b.end = head + n;
            b.last = true;
            cut(new Chunker(options.chunkerParams()), b);
            byte[] ids = new byte[b.cutCount * 32];
            int s = head;
            for (int k = 0; k < b.cutCount; k++) {
                sha.update(buf, s, b.cuts[k] - s);
                digestInto(sha, ids, k * 32);
                s = b.cuts[k];
            }
            synchronized (this) {
                return storeHashed(b, ids, digest, n);
            }
        } finally {
            concurrentBuffers.add(buf);
        }
    }

    /** The part of {@link #putConcurrently} under the lock: a small file's chunks, hashed, into the batch. */
    private PutResult storeHashed(Block b, byte[] ids, byte[] digest, long size) throws IOException {
        checkUsable();
        try {
            ChunkLookup stored = catalog.index();
            if (compressor == null && options.compress()) {
                compressor = new ChunkCompressor();
            }
            long fileNew = 0;
            long fileNewChunks = 0;
            long fileReused = 0;
            int inMemory = stagedBytes < STAGED_IN_MEMORY ? MANIFEST_IN_MEMORY : 0;
            try (ManifestWriter manifest = ManifestWriter.spilling(inMemory, () -> newTempFile("manifest"))) {
                int s = b.start;
                for (int k = 0; k < b.cutCount; k++) {
                    int len = b.cuts[k] - s;
                    manifest.add(ids, k * 32, len);
                    if (stored.find(ids, k * 32) >= 0 || inThisBatch.contains(ids, k * 32)) {
                        fileReused += len;
                    } else {
                        long before = newBytes;
                        store(java.util.Arrays.copyOfRange(ids, k * 32, k * 32 + 32), b.buf, s, len);
                        fileNew += newBytes - before;
                        fileNewChunks++;
                    }
                    s = b.cuts[k];
                }
                listener.bytesDone(size);
                Oid oid = Oid.of(digest);
                manifest.finish(digest, false); // synced with the batch's others at flush
                stage(oid, manifest, null);
                return new PutResult(new Pointer(oid, size), size, fileNew, fileReused, b.cutCount, fileNewChunks, 0);
            }
        } catch (IOException | RuntimeException | Error e) {
            broken = true;
            throw e;
        }
    }

    private void checkUsable() throws IOException {
        if (broken) {
            throw new IOException("an earlier put of this batch failed; nothing more is stored");
        }
        if (!refreshed) {
            catalog.refresh();
            refreshed = true;
        }
    }

    private void stage(Oid oid, ManifestWriter manifest, byte[] appendState) {
        byte[] bytes = manifest.bytes();
        stagedBytes += bytes == null ? 0 : bytes.length;
        staged.add(new Staged(oid, bytes == null ? manifest.file() : null, bytes, appendState));
    }

    /** One put, durable on return: {@link #put}, {@link #flush}, {@link #close}. */
    PutResult run(InputStream in) throws IOException {
        try {
            PutResult r = put(in);
            flush();
            return new PutResult(r.pointer(), r.logicalBytes(), r.newBytes(), r.reusedBytes(), r.chunks(), r.newChunks(),
                    packsWritten);
        } finally {
            close();
        }
    }

    /**
     * Stores the stream's content into the batch. Its manifest is written by {@link #flush}, not
     * before: until then the content must not be referenced.
     */
    PutResult put(InputStream in) throws IOException {
        checkUsable();
        chunks = 0;
        newChunks = 0;
        newBytes = 0;
        reusedBytes = 0;
        fileDigest = null;
        fileSize = 0;
        Block first = take(free);
        MessageDigest sha = resumable == null ? Sha256.newDigest() : null;
        long n;
        try {
            n = fill(in, first);
        } catch (IOException | RuntimeException e) {
            free.add(first);
            throw e;
        }
        if (sha != null) {
            sha.update(first.buf, head, (int) n);
        }
        if (first.last) {
            // Small: no threads. The block's chunks go straight to the hashing stage below.
            if (sha != null) {
                fileDigest = sha.digest();
            }
            fileSize = n;
            first.start = head;
            first.cutCount = 0;
            cut(new Chunker(options.chunkerParams()), first);
            toHasher.add(first);
            return hashLoopGuarded();
        }
        toChunker.add(first);
        cancelled = false;
        Thread reader = new Thread(() -> readLoop(in, sha, n), "mlv-put-read");
        Thread chunker = new Thread(this::chunkLoop, "mlv-put-chunk");
        reader.setDaemon(true);
        chunker.setDaemon(true);
        reader.start();
        chunker.start();
        boolean ok = false;
        try {
            PutResult result = hashLoopGuarded();
            ok = true;
            return result;
        } finally {
            if (!ok) {
                cancelled = true;
                reader.interrupt();
                chunker.interrupt();
            }
            joinQuietly(reader);
            joinQuietly(chunker);
            if (!ok) {
                // the pipeline may have stopped anywhere: give every buffer back for the next put
                toChunker.clear();
                toHasher.clear();
                free.clear();
                for (int i = 0; i < options.blocks(); i++) {
                    free.add(new Block(new byte[head + options.blockSize()]));
                }
            }
        }
    }

    private PutResult hashLoopGuarded() throws IOException {
        try {
            return hashLoop();
        } catch (IOException | RuntimeException | Error e) {
            broken = true;
            throw e;
        }
    }

    /**
     * Publishes the open pack, waits until every pack is durable and indexed, then writes the
     * staged manifests (and append states): from here on the batch's content may be referenced.
     */
    synchronized void flush() throws IOException {
        if (broken) {
            throw new IOException("an earlier put of this batch failed; its content was not made durable");
        }
        try {
            if (pack != null) {
                publishPack(pack);
                pack = null;
            }
            io.drain();
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
        unpublished.clear();
        List<java.util.Map.Entry<String, Path>> manifestFiles = new ArrayList<>();
        List<java.util.Map.Entry<String, byte[]>> manifests = new ArrayList<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Staged m : staged) {
            String key = StoreLayout.manifestKey(m.oid());
            if (!keys.add(key) || backend.exists(key)) {
                if (m.manifest() != null) {
                    Files.deleteIfExists(m.manifest()); // the same file twice in the batch, or stored before
                }
            } else if (m.manifest() != null) {
                manifestFiles.add(java.util.Map.entry(key, m.manifest()));
            } else {
                manifests.add(java.util.Map.entry(key, m.manifestBytes()));
            }
        }
        backend.writeFiles(manifestFiles);
        backend.writeAll(manifests);
        for (Staged m : staged) {
            if (m.appendState() != null) {
                // A hint, checked when read: written after the manifest, and harmless if lost.
                backend.write(StoreLayout.appendStateKey(m.oid()), m.appendState());
            }
        }
        staged.clear();
        stagedBytes = 0;
    }

    /** Stops the write-behind thread and removes what was not made durable by {@link #flush}. */
    synchronized void close() throws IOException {
        io.close(); // the write-behind thread must be done with the staging files before they go
        if (compressor != null) {
            compressor.close();
            compressor = null;
        }
        if (pack != null) {
            pack.close();
            Files.deleteIfExists(pack.file());
            pack = null;
        }
        for (Path p : unpublished) {
            Files.deleteIfExists(p);
        }
        unpublished.clear();
        for (Staged m : staged) {
            if (m.manifest() != null) {
                Files.deleteIfExists(m.manifest());
            }
        }
        staged.clear();
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fills a block from the input; sets {@code last} at the end of the input. Returns the bytes read. */
    private int fill(InputStream in, Block b) throws IOException {
        int blockSize = options.blockSize();
        int n = 0;
        b.last = false;
        b.error = null;
        while (n < blockSize) {
            int r = in.read(b.buf, head + n, Math.min(IoPieces.PIECE, blockSize - n));
            if (r < 0) {
                b.last = true;
                break;
            }
            n += r;
        }
        b.end = head + n;
        return n;
    }

    private void readLoop(InputStream in, MessageDigest sha, long alreadyRead) {
        try {
            long total = alreadyRead;
            while (!cancelled) {
                Block b = free.take();
                int n = fill(in, b);
                if (sha != null) {
                    sha.update(b.buf, head, n);
                }
                total += n;
                if (b.last) {
                    fileDigest = sha == null ? null : sha.digest();
                    fileSize = total;
                }
                toChunker.add(b);
                if (b.last) {
                    return;
                }
            }
        } catch (Throwable t) {
            toChunker.add(Block.failed(t));
        }
    }

    private void chunkLoop() {
        try {
            Chunker chunker = new Chunker(options.chunkerParams());
            Block prev = null;
            int tailStart = 0;
            while (!cancelled) {
                Block b = toChunker.take();
                if (b.error != null) {
                    toHasher.add(b);
                    return;
                }
                if (prev != null) {
                    int tail = prev.end - tailStart;
                    if (tail > head) {
                        throw new IllegalStateException("chunker left " + tail + " bytes uncut; max chunk is " + head);
                    }
                    System.arraycopy(prev.buf, tailStart, b.buf, head - tail, tail);
                    b.start = head - tail;
                    toHasher.add(prev);
                } else {
                    b.start = head;
                }
                b.cutCount = 0;
                int lastCut = cut(chunker, b);
                if (b.last) {
                    toHasher.add(b);
                    return;
                }
                prev = b;
                tailStart = lastCut;
            }
        } catch (Throwable t) {
            toHasher.add(Block.failed(t));
        }
    }

    /**
     * Finds the chunk boundaries among the block's new bytes (after {@code head}); at the end of
     * the input the block's end is one too. Returns where the unfinished chunk starts.
     */
    private int cut(Chunker chunker, Block b) {
        int pos = head;
        while (pos < b.end) {
            int n = chunker.next(b.buf, pos, b.end - pos);
            if (n < 0) {
                break;
            }
            pos += n;
            b.addCut(pos);
        }
        int lastCut = b.cutCount > 0 ? b.cuts[b.cutCount - 1] : b.start;
        if (b.last && lastCut < b.end) {
            b.addCut(b.end);
        }
        return lastCut;
    }

    private PutResult hashLoop() throws IOException {
        MessageDigest sha = Sha256.newDigest();
        byte[] id = new byte[32];
        ChunkLookup stored = catalog.index();
        if (compressor == null && options.compress()) {
            compressor = new ChunkCompressor();
        }
        int inMemory = stagedBytes < STAGED_IN_MEMORY ? MANIFEST_IN_MEMORY : 0;
        try (ManifestWriter manifest = ManifestWriter.spilling(inMemory, () -> newTempFile("manifest"))) {
            ResumableSha256.State lastChunkState = resumable == null ? null : resumable.state();
            long prefixBytes = 0;
            for (int i = 0; i < prefixChunks; i++) {
                int len = prefix.chunkLength(i);
                manifest.add(prefix.idBytes(), i * 32, len);
                chunks++;
                reusedBytes += len;
                prefixBytes += len;
            }
            while (true) {
                Block b = take(toHasher);
                if (b.error != null) {
                    throw rethrow(b.error);
                }
                int s = b.start;
                for (int k = 0; k < b.cutCount; k++) {
                    int c = b.cuts[k];
                    int len = c - s;
                    if (resumable != null) {
                        lastChunkState = resumable.state();
                        resumable.update(b.buf, s, len);
                    }
                    sha.update(b.buf, s, len);
                    digestInto(sha, id);
                    manifest.add(id, 0, len);
                    chunks++;
                    if (stored.find(id, 0) >= 0 || inThisBatch.contains(id, 0)) {
                        reusedBytes += len;
                    } else {
                        store(id, b.buf, s, len);
                    }
                    s = c;
                }
                boolean last = b.last;
                long read = b.end - head;
                free.add(b); // the reader may refill b from here on
                listener.bytesDone(read);
                if (last) {
                    break;
                }
            }
            if (resumable != null) {
                fileDigest = resumable.digest();
                fileSize += prefixBytes;
            }
            Oid oid = Oid.of(fileDigest);
            manifest.finish(fileDigest, false); // synced with the batch's others at flush
            stage(oid, manifest, resumable == null ? null : AppendState.encode(oid, fileSize, lastChunkState));
            return new PutResult(new Pointer(oid, fileSize), fileSize, newBytes, reusedBytes, chunks, newChunks, 0);
        }
    }

    /** Compresses a new chunk and adds it to the batch's pack, publishing the pack when it is full. */
    private void store(byte[] id, byte[] buf, int off, int len) throws IOException {
        byte[] data = buf;
        int at = off;
        int storedLen = len;
        int compression = PackFormat.COMPRESSION_NONE;
        int z = compressor == null ? -1 : compressor.compress(buf, off, len);
        if (z >= 0) {
            data = compressor.output();
            at = 0;
            storedLen = z;
            compression = PackFormat.COMPRESSION_ZSTD;
        }
        if (pack != null && (pack.count() >= options.maxChunksPerPack()
                || pack.size() + PackFormat.ENTRY_HEADER_SIZE + storedLen > options.packSize())) {
            publishPack(pack);
            pack = null;
        }
        if (pack == null) {
            pack = new PackWriter(newTempFile("pack"), io);
        }
        pack.add(id, 0, len, compression, data, at, storedLen);
        inThisBatch.add(id, 0);
        newChunks++;
        newBytes += storedLen;
    }

    /**
     * Queues, behind the pack's last writes and fsync: moving it into place, then its index, then
     * making its chunks visible to dedupe. Runs on the write-behind thread, in pack order.
     */
    private void publishPack(PackWriter pack) throws IOException {
        PackRecords records = pack.finish();
        Path file = pack.file();
        unpublished.add(file);
        io.submit(() -> {
            backend.writeFile(StoreLayout.packKey(records.packId()), file);
            backend.write(StoreLayout.indexKey(records.packId()), PackFiles.encodeIndex(records));
            catalog.register(records);
            packsWritten++;
        });
    }

    private static <T> T take(BlockingQueue<T> queue) throws InterruptedIOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("put interrupted");
        }
    }

    private Path newTempFile(String kind) throws IOException {
        return Files.createFile(tmpDir.resolve(kind + "-" + UUID.randomUUID() + ".tmp"));
    }

    private static void digestInto(MessageDigest sha, byte[] out) {
        digestInto(sha, out, 0);
    }

    private static void digestInto(MessageDigest sha, byte[] out, int at) {
        try {
            sha.digest(out, at, 32);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t instanceof InterruptedException) {
            return new InterruptedIOException("put interrupted");
        }
        return new IOException("put failed: " + t, t);
    }
}
