package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a file version into an empty file, copying the chunks it shares with a previous version
 * of the same file (the one it replaces in a work tree) from that file, and reading only the rest
 * from packs, each of those chunks checked against its id.
 *
 * <p>For a model with 2% of its bytes rewritten, 98% of the new version's chunks are in the old
 * file: copying their byte ranges inside the kernel ({@link FileChannel#transferTo}, no user-space
 * buffer) costs a fraction of reading, hashing and writing them from packs. The old file is trusted
 * to hold its version's bytes as far as its size and modification time say so, the rule by which
 * status and commit trust a work tree; the caller checks them just before handing it over.
 */
final class FileRebuild {
    /** Copies of fewer bytes than this are read from packs instead: the old file's ranges are not worth a system call each. */
    private static final int MIN_COPY = 64 << 10;

    private FileRebuild() {
    }

    /**
     * Writes {@code target} into {@code out} (empty, written from position 0), taking every chunk
     * of {@code previous} that {@code target} also has from {@code previousFile}. Returns the bytes
     * copied from the previous file (the rest came from packs).
     *
     * <p>The in-kernel copies run on the calling thread while another thread reads, checks and
     * writes the chunks that come from packs: the copies cost the kernel's time, the chunk checks
     * SHA-256 on a core of their own, so a switch after a small edit takes about as long as the
     * longer of the two instead of their sum. The copies use the channel's position, the pack
     * writes explicit positions, so neither moves the other.
     */
    static long write(Manifest target, PackCatalog catalog, FileChannel out, Manifest previous, FileChannel previousFile,
                      ProgressListener listener) throws IOException {
        long[] sources = previous == null ? null : sources(target, previous);
        List<long[]> copies = new ArrayList<>(); // {from position in the previous file, to position, length}
        List<int[]> fromPacks = new ArrayList<>(); // chunks [first, end)
        int n = target.chunkCount();
        int i = 0;
        while (i < n) {
            if (sources != null && sources[i] >= 0) {
                // a run of chunks lying back to back in both versions: one in-kernel copy
                int j = i + 1;
                while (j < n && sources[j] == sources[j - 1] + target.chunkLength(j - 1)) {
                    j++;
                }
                long length = target.chunkStart(j - 1) + target.chunkLength(j - 1) - target.chunkStart(i);
                if (length >= MIN_COPY) {
                    copies.add(new long[] {sources[i], target.chunkStart(i), length});
                    i = j;
                    continue;
                }
            }
            // chunks the previous version lacks (or a shared run too short to copy): from packs
            int j = i + 1;
            while (j < n && (sources == null || sources[j] < 0)) {
                j++;
            }
            if (!fromPacks.isEmpty() && fromPacks.get(fromPacks.size() - 1)[1] == i) {
                fromPacks.get(fromPacks.size() - 1)[1] = j; // continues the previous read
            } else {
                fromPacks.add(new int[] {i, j});
            }
            i = j;
        }
        if (copies.isEmpty() || fromPacks.isEmpty()) {
            readFromPacks(target, catalog, out, fromPacks, false, listener);
            return finish(out, target, copy(previousFile, out, copies, listener));
        }
        java.util.concurrent.FutureTask<Void> reads = new java.util.concurrent.FutureTask<>(() -> {
            // the few chunks an edit changed were written by a recent commit: read through the page
            // cache, where they likely still are (a direct read would wait for the disk, behind the
            // write-back of the copies)
            readFromPacks(target, catalog, out, fromPacks, true, listener);
            return null;
        });
        Thread reader = new Thread(reads, "mlv-rebuild");
        reader.setDaemon(true);
        reader.start();
        long copied;
        try {
            copied = copy(previousFile, out, copies, listener);
        } catch (IOException | RuntimeException | Error e) {
            reader.interrupt();
            awaitQuietly(reader);
            throw e;
        }
        try {
            reads.get();
        } catch (InterruptedException e) {
            reader.interrupt();
            awaitQuietly(reader);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing " + target.oid());
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
        return finish(out, target, copied);
    }

    /** Leaves the channel positioned at the end, as writing the file front to back would have. */
    private static long finish(FileChannel out, Manifest target, long copied) throws IOException {
        out.position(target.size());
        return copied;
    }

    /** Waits for the pack reader to stop, so nothing writes to the file after the caller has moved on. */
    private static void awaitQuietly(Thread reader) {
        boolean interrupted = false;
        while (reader.isAlive()) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static long copy(FileChannel previousFile, FileChannel out, List<long[]> copies, ProgressListener listener)
            throws IOException {
        long copied = 0;
        for (long[] c : copies) {
            copyRange(previousFile, c[0], out, c[1], c[2], listener);
            copied += c[2];
        }
        return copied;
    }

    static void readFromPacks(Manifest target, PackCatalog catalog, FileChannel out, List<int[]> ranges,
                                      boolean cached, ProgressListener listener) throws IOException {
        for (int[] r : ranges) {
            ContentInputStream stream = new ContentInputStream(target, catalog, false, r[0], r[1]);
            try (ContentInputStream in = cached ? stream.cachedReads() : stream) {
                in.transferTo(new PositionedSink(out, target.chunkStart(r[0]), listener)); // reports each write
            }
        }
    }

    /**
     * For each chunk of {@code target}, where its bytes start in the previous version, or -1 when
     * the previous version lacks it. Where a chunk occurs more than once, the occurrence that
     * continues the previous chunk's run is preferred, so runs stay long.
     */
    static long[] sources(Manifest target, Manifest previous) {
        byte[] ids = previous.idBytes();
        int m = previous.chunkCount();
        int capacity = Integer.highestOneBit(Math.max(1, m) * 2) * 2;
        int[] table = new int[capacity];
        Arrays.fill(table, -1);
        for (int k = 0; k < m; k++) {
            int h = slot(ids, k * 32, capacity);
            while (table[h] >= 0 && !Arrays.equals(ids, table[h] * 32, table[h] * 32 + 32, ids, k * 32, k * 32 + 32)) {
                h = (h + 1) & (capacity - 1);
            }
            if (table[h] < 0) {
                table[h] = k; // the first occurrence; a later one is found by continuing a run below
            }
        }
        byte[] want = target.idBytes();
        long[] sources = new long[target.chunkCount()];
        int previousMatch = -2;
        for (int i = 0; i < sources.length; i++) {
            int next = previousMatch + 1;
            if (previousMatch >= 0 && next < m && Arrays.equals(ids, next * 32, next * 32 + 32, want, i * 32, i * 32 + 32)) {
                previousMatch = next;
            } else {
                previousMatch = find(table, ids, want, i * 32, capacity);
            }
            sources[i] = previousMatch < 0 ? -1 : previous.chunkStart(previousMatch);
        }
        return sources;
    }

    private static int find(int[] table, byte[] ids, byte[] want, int at, int capacity) {
        int h = slot(want, at, capacity);
        while (table[h] >= 0) {
            int k = table[h];
            if (Arrays.equals(ids, k * 32, k * 32 + 32, want, at, at + 32)) {
                return k;
            }
            h = (h + 1) & (capacity - 1);
        }
        return -1;
    }

    private static int slot(byte[] ids, int at, int capacity) {
        // chunk ids are SHA-256 values: their first bytes are already uniformly spread
        int h = (ids[at] & 0xff) | (ids[at + 1] & 0xff) << 8 | (ids[at + 2] & 0xff) << 16 | (ids[at + 3] & 0xff) << 24;
        return h & (capacity - 1);
    }

    /** Bytes per in-kernel copy call: large, yet small enough for a progress bar to move. */
    private static final long COPY_STEP = 16L << 20;

    private static void copyRange(FileChannel from, long fromPosition, FileChannel to, long toPosition, long length,
                                  ProgressListener listener) throws IOException {
        to.position(toPosition);
        long done = 0;
        while (done < length) {
            long n = from.transferTo(fromPosition + done, Math.min(COPY_STEP, length - done), to);
            if (n <= 0) {
                throw new IOException("the file being replaced ended at byte " + (fromPosition + done)
                        + " although its version is longer; it changed during the checkout");
            }
            done += n;
            listener.bytesDone(n);
        }
    }

    /** Writes at explicit positions of the channel, from {@code position} on, without moving its position; reports each write. */
    private static final class PositionedSink extends OutputStream {
        private final FileChannel out;
        private final ProgressListener listener;
        private long position;

        PositionedSink(FileChannel out, long position, ProgressListener listener) {
            this.out = out;
            this.position = position;
            this.listener = listener;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                position += out.write(buffer, position);
            }
            listener.bytesDone(len);
        }
    }
}
