package dev.mlv.store;

import dev.mlv.store.manifest.Manifest;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * Files of a download written out whole as their chunks arrive, for the checkout that follows
 * (a pull of a sharded checkpoint): the file is then neither rebuilt from the packs to be
 * checked against its oid, nor rebuilt again to be written into the work tree, two more passes
 * over every byte after the download.
 *
 * <p>A file is taken only when every one of its chunks is downloaded (a file that shares chunks
 * with local content keeps the checkout's own path, which copies them from the version it
 * replaces). Each chunk is written once it has been checked against its id, by the download
 * thread that fetched it, at every place the planned files hold it. The file's SHA-256 is
 * computed as its chunks arrive in order, and the bytes written out of order are read back from
 * the file once the last chunk is in. A file is {@link #checked} only when it hashes to its oid:
 * the check that admits its manifest into the store. Memory is bounded: past {@link #MAX_CHUNKS}
 * planned chunk places, further files are left to the checkout.
 */
final class DownloadedFiles implements Closeable {
    /** Planned chunk places at most (about 150 bytes of heap each). */
    static final int MAX_CHUNKS = 1 << 18;

    private record Place(File file, long offset) {
    }

    private static final class File {
        final Manifest manifest;
        final Path path;
        final AtomicInteger left;
        /** The bytes [0, hashed) went into {@link #sha}; guarded by this. */
        long hashed;
        MessageDigest sha = Sha256.newDigest();
        volatile boolean checked;

        File(Manifest manifest, Path path) {
            this.manifest = manifest;
            this.path = path;
            this.left = new AtomicInteger(manifest.chunkCount());
        }
    }

    private final Path dir;
    /** One random name per download, numbered per file: a random name per file cost a second per 2,000 files. */
    private final String prefix = "file-" + UUID.randomUUID() + "-";
    private final Map<ChunkId, List<Place>> byChunk = new HashMap<>();
    private final Map<Oid, File> files = new LinkedHashMap<>();
    private int places;

    DownloadedFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * Plans file {@code m}, all of whose chunks the download fetches; false (nothing planned) when
     * it is empty, already planned, or past the memory bound.
     */
    boolean plan(Manifest m) {
        if (m.chunkCount() == 0 || files.containsKey(m.oid()) || places + m.chunkCount() > MAX_CHUNKS) {
            return false;
        }
        File f = new File(m, dir.resolve(prefix + files.size() + ".tmp")); // created by its first chunk's write
        files.put(m.oid(), f);
        byte[] ids = m.idBytes();
        for (int i = 0; i < m.chunkCount(); i++) {
            byChunk.computeIfAbsent(ChunkId.of(ids, i * 32), k -> new ArrayList<>(1)).add(new Place(f, m.chunkStart(i)));
        }
        places += m.chunkCount();
        return true;
    }

    boolean isEmpty() {
        return files.isEmpty();
    }

    /** Whether file {@code oid} was written whole and hashes to its oid. */
    boolean checked(Oid oid) {
        File f = files.get(oid);
        return f != null && f.checked;
    }

    /** The files written whole and checked, by oid: the caller owns (and removes) them from now on. */
    Map<Oid, Path> handOver() {
        Map<Oid, Path> done = new LinkedHashMap<>();
        for (Map.Entry<Oid, File> e : files.entrySet()) {
            if (e.getValue().checked) {
                done.put(e.getKey(), e.getValue().path);
            }
        }
        done.keySet().forEach(files::remove);
        return done;
    }

    /** Writes of one fetched range: each planned file opened once, counted and checked at {@link #finish}. */
    Batch batch() {
        return new Batch();
    }

    final class Batch implements Closeable {
        private final Map<File, FileChannel> open = new IdentityHashMap<>();
        private final Map<File, Integer> written = new IdentityHashMap<>();

        /** Writes a checked chunk's {@code len} bytes at {@code data[off]} wherever a planned file holds chunk {@code id}. */
        void write(byte[] id, byte[] data, int off, int len) throws IOException {
            List<Place> at = byChunk.get(ChunkId.of(id, 0));
            if (at == null) {
                return;
            }
            for (Place p : at) {
                FileChannel ch = open.get(p.file());
                if (ch == null) {
                    ch = FileChannel.open(p.file().path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    open.put(p.file(), ch);
                }
                ByteBuffer buf = ByteBuffer.wrap(data, off, len);
                long pos = p.offset();
                while (buf.hasRemaining()) {
                    pos += ch.write(buf, pos);
                }
                synchronized (p.file()) {
                    if (p.file().hashed == p.offset()) {
                        p.file().sha.update(data, off, len);
                        p.file().hashed += len;
                    }
                }
                written.merge(p.file(), 1, Integer::sum);
            }
        }

        /** Closes the files written to; each one whose last chunk this batch wrote is checked against its oid. */
        void finish() throws IOException {
            close();
            for (Map.Entry<File, Integer> e : written.entrySet()) {
                if (e.getKey().left.addAndGet(-e.getValue()) == 0) {
                    check(e.getKey());
                }
            }
        }

        @Override
        public void close() throws IOException {
            IOException failure = null;
            for (FileChannel ch : open.values()) {
                try {
                    ch.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            open.clear();
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Hashes what was written out of order, read back from the file, and compares with the oid. */
    private static void check(File f) throws IOException {
        long size = f.manifest.size();
        synchronized (f) {
            if (f.hashed < size) {
                try (FileChannel in = FileChannel.open(f.path, StandardOpenOption.READ)) {
                    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(1 << 20, size - f.hashed));
                    long pos = f.hashed;
                    while (pos < size) {
                        buf.clear();
                        int n = in.read(buf, pos);
                        if (n < 0) {
                            break;
                        }
                        f.sha.update(buf.array(), 0, n);
                        pos += n;
                    }
                    f.hashed = pos;
                }
            }
            byte[] actual = f.sha.digest();
            f.sha = null;
            if (f.hashed != size || !f.manifest.oid().matches(actual, 0)) {
                throw new CorruptContentException("file " + f.manifest.oid() + " rebuilt from its chunks hashes"
                        + " to " + Hex.encode(actual) + "; the manifest is damaged");
            }
        }
        f.checked = true;
    }

    /** Removes the files not handed over. */
    @Override
    public void close() {
        for (File f : files.values()) {
            try {
                Files.deleteIfExists(f.path);
            } catch (IOException e) {
                LoggerFactory.getLogger(DownloadedFiles.class).warn("cannot remove the temp file {}: {}", f.path, e.getMessage());
            }
        }
        files.clear();
        byChunk.clear();
    }
}
