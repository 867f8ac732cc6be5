package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.chunk.Chunker;
import dev.mlv.store.manifest.ManifestWriter;
import dev.mlv.store.pack.ChunkCompressor;
import dev.mlv.store.pack.ChunkIndex;
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
 * Each put writes its own packs (never a file shared with another writer); a pack and its index
 * are durable before the manifest that references them is written.
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
    }

    PutResult run(InputStream in) throws IOException {
        catalog.refresh();
        Thread reader = new Thread(() -> readLoop(in), "mlv-put-read");
        Thread chunker = new Thread(this::chunkLoop, "mlv-put-chunk");
        reader.setDaemon(true);
        chunker.setDaemon(true);
        reader.start();
        chunker.start();
        boolean ok = false;
        try {
            PutResult result = hashLoop();
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
        }
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

    private void readLoop(InputStream in) {
        try {
            MessageDigest sha = Sha256.newDigest();
            long total = 0;
            int blockSize = options.blockSize();
            while (!cancelled) {
                Block b = free.take();
                int n = 0;
                while (n < blockSize) {
                    int r = in.read(b.buf, head + n, Math.min(IoPieces.PIECE, blockSize - n));
                    if (r < 0) {
                        b.last = true;
                        break;
                    }
                    n += r;
                }
                sha.update(b.buf, head, n);
                total += n;
                b.end = head + n;
                if (b.last) {
                    fileDigest = sha.digest();
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
                if (b.last) {
                    if (lastCut < b.end) {
                        b.addCut(b.end);
                    }
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

    private PutResult hashLoop() throws IOException {
        MessageDigest sha = Sha256.newDigest();
        byte[] id = new byte[32];
        ChunkIndex inThisPut = new ChunkIndex(1024);
        ChunkLookup stored = catalog.index();
        PackWriter pack = null;
        List<Path> unpublished = new ArrayList<>();
        boolean ok = false;
        try (ChunkCompressor compressor = options.compress() ? new ChunkCompressor() : null;
             ManifestWriter manifest = new ManifestWriter(newTempFile("manifest"))) {
            try {
                while (true) {
                    Block b = take();
                    if (b.error != null) {
                        throw rethrow(b.error);
                    }
                    int s = b.start;
                    for (int k = 0; k < b.cutCount; k++) {
                        int c = b.cuts[k];
                        int len = c - s;
                        sha.update(b.buf, s, len);
                        digestInto(sha, id);
                        manifest.add(id, 0, len);
                        chunks++;
                        if (stored.find(id, 0) >= 0 || inThisPut.find(id, 0) >= 0) {
                            reusedBytes += len;
                        } else {
                            byte[] data = b.buf;
                            int off = s;
                            int storedLen = len;
                            int compression = PackFormat.COMPRESSION_NONE;
                            int z = compressor == null ? -1 : compressor.compress(b.buf, s, len);
                            if (z >= 0) {
                                data = compressor.output();
                                off = 0;
                                storedLen = z;
                                compression = PackFormat.COMPRESSION_ZSTD;
                            }
                            if (pack != null && (pack.count() >= options.maxChunksPerPack()
                                    || pack.size() + PackFormat.ENTRY_HEADER_SIZE + storedLen > options.packSize())) {
                                publishPack(pack, unpublished);
                                pack = null;
                            }
                            if (pack == null) {
                                pack = new PackWriter(newTempFile("pack"), io);
                            }
                            pack.add(id, 0, len, compression, data, off, storedLen);
                            inThisPut.add(id, 0, -1, 0, len, storedLen, compression);
                            newChunks++;
                            newBytes += storedLen;
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
                if (pack != null) {
                    publishPack(pack, unpublished);
                    pack = null;
                }
                // Every pack this manifest references is durable and indexed before it is written.
                io.drain();
                ok = true;
            } finally {
                // The write-behind thread must be done with the staging files before they go.
                io.close();
                if (pack != null) {
                    pack.close();
                }
                if (!ok) {
                    for (Path p : unpublished) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            Oid oid = Oid.of(fileDigest);
            manifest.finish(fileDigest);
            String key = StoreLayout.manifestKey(oid);
            if (backend.exists(key)) {
                Files.deleteIfExists(manifest.file());
            } else {
                backend.writeFile(key, manifest.file());
            }
            return new PutResult(new Pointer(oid, fileSize), fileSize, newBytes, reusedBytes, chunks, newChunks,
                    packsWritten);
        }
    }

    /**
     * Queues, behind the pack's last writes and fsync: moving it into place, then its index, then
     * making its chunks visible to dedupe. Runs on the write-behind thread, in pack order.
     */
    private void publishPack(PackWriter pack, List<Path> unpublished) throws IOException {
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

    private Block take() throws InterruptedIOException {
        try {
            return toHasher.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("put interrupted");
        }
    }

    private Path newTempFile(String kind) throws IOException {
        return Files.createFile(tmpDir.resolve(kind + "-" + UUID.randomUUID() + ".tmp"));
    }

    private static void digestInto(MessageDigest sha, byte[] out) {
        try {
            sha.digest(out, 0, 32);
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
