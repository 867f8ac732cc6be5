package dev.mlv.store.backend;

import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.IoPieces;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend on a local directory. Objects are files at their key's path. Writes go to a temp
 * file under {@code <root>/tmp/}, are fsynced, renamed into place atomically, and the directory
 * is fsynced, so a crash leaves either the old state plus temp files or the new object.
 */
public final class LocalBackend implements Backend {
    /** Directory (relative to the root) for in-progress writes; never listed as objects. */
    public static final String TMP_DIR = "tmp";
    private static final Logger log = LoggerFactory.getLogger(LocalBackend.class);
    private static final int MAX_OPEN_CHANNELS = 32;

    private final Path root;
    private final Path tmp;
    private final Map<String, FileChannel> openChannels = new LinkedHashMap<>(16, 0.75f, true);
    /** Channels opened with O_DIRECT, guarded by {@link #openChannels}'s lock. */
    private final Map<String, FileChannel> directChannels = new LinkedHashMap<>(16, 0.75f, true);

    public LocalBackend(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(TMP_DIR);
        Files.createDirectories(tmp);
    }

    public Path root() {
        return root;
    }

    /** Where staging files should be created so {@link #writeFile} can rename them into place. */
    public Path tmpDir() {
        return tmp;
    }

    @Override
    public Path fileOf(String key) {
        return path(key);
    }

    private Path path(String key) {
        Backend.checkKey(key);
        if (key.equals(TMP_DIR) || key.startsWith(TMP_DIR + "/")) {
            throw new IllegalArgumentException("key '" + key + "' is in the reserved tmp/ directory");
        }
        return root.resolve(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        walk(prefix, (key, p) -> keys.add(key));
        return keys;
    }

    @Override
    public List<ObjectInfo> listInfo(String prefix) throws IOException {
        List<ObjectInfo> infos = new ArrayList<>();
        walk(prefix, (key, p) -> {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                infos.add(new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant()));
            } catch (NoSuchFileException e) {
                // deleted since the walk saw it: not listed
            }
        });
        return infos;
    }

    @Override
    public ObjectInfo stat(String key) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(path(key), BasicFileAttributes.class);
            return new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant());
        } catch (NoSuchFileException e) {
            throw new ContentNotFoundException("object '" + key + "' not found in " + root);
        }
    }

    private interface KeyVisitor {
        void visit(String key, Path file) throws IOException;
    }

    /** Visits the regular files whose key starts with {@code prefix}, outside {@code tmp/}. */
    private void walk(String prefix, KeyVisitor visitor) throws IOException {
        int slash = prefix.lastIndexOf('/');
        Path dir = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> found = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            Iterator<Path> it = files.iterator();
            while (it.hasNext()) {
                Path p = it.next();
                String key = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (key.startsWith(prefix) && !key.startsWith(TMP_DIR + "/") && Files.isRegularFile(p)) {
                    keys.add(key);
                    found.add(p);
                }
            }
        } catch (UncheckedIOException e) {
            // A concurrent writer created or removed a directory while we walked; retry once.
            if (e.getCause() instanceof NoSuchFileException) {
                walk(prefix, visitor);
                return;
            }
            throw e.getCause();
        }
        for (int i = 0; i < keys.size(); i++) {
            visitor.visit(keys.get(i), found.get(i));
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public long size(String key) throws IOException {
        try {
            return Files.size(path(key));
        } catch (NoSuchFileException e) {
            throw new ContentNotFoundException("object '" + key + "' not found in " + root);
        }
    }

    @Override
    public byte[] read(String key, long offset, int length) throws IOException {
        byte[] data = new byte[length];
        readInto(key, offset, data, 0, length);
        return data;
    }

    /**
     * Reads through a page-aligned direct buffer per thread, in {@link IoPieces#PIECE} pieces, the
     * cheapest way into a heap array that {@code src/bench/io-modes.sh} measured (see
     * {@link IoPieces}).
     */
    @Override
    public void readInto(String key, long offset, byte[] dst, int off, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(off, length, dst.length);
        ByteBuffer piece = PIECE_BUFFER.get();
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = channel(key);
            try {
                int done = 0;
                while (done < length) {
                    piece.clear().limit(Math.min(piece.capacity(), length - done));
                    while (piece.hasRemaining()) {
                        int n = ch.read(piece, offset + done + piece.position());
                        if (n < 0) {
                            throw new EOFException("object '" + key + "' ends before byte " + (offset + length)
                                    + " (size " + ch.size() + ")");
                        }
                    }
                    piece.flip();
                    int n = piece.remaining();
                    piece.get(dst, off + done, n);
                    done += n;
                }
                return;
            } catch (ClosedChannelException e) {
                // Evicted from the cache by another thread mid-read; open it again.
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    /**
     * Large sequential reads bypass the page cache ({@code O_DIRECT}) where the file system allows
     * it. Packs are written with {@code O_DIRECT}, so they are not in the page cache after a put;
     * reading them through it cost here about 2 s of kernel CPU per GiB and ran at half the disk's
     * speed, while direct reads run at the disk's speed with almost no CPU (see
     * docs/benchmarks.md). It also keeps pack pages from filling the cache next to the files
     * rebuilt from them. Smaller reads (single chunks, footers) use the cache.
     */
    @Override
    public void readSequential(String key, long offset, byte[] dst, int off, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(off, length, dst.length);
        if (length < DIRECT_READ_MIN || directReads < 0) {
            readInto(key, offset, dst, off, length);
            return;
        }
        FileChannel ch;
        try {
            ch = directChannel(key);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            directReads = -1;
            readInto(key, offset, dst, off, length);
            return;
        } catch (IOException e) {
            if (!Files.isRegularFile(path(key))) {
                throw new ContentNotFoundException("object '" + key + "' not found in " + root);
            }
            directReads = -1; // EINVAL and the like: the file system refuses O_DIRECT
            readInto(key, offset, dst, off, length);
            return;
        }
        try {
            readDirect(ch, key, offset, dst, off, length);
        } catch (EOFException | ClosedChannelException | java.io.InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            // Some file systems accept O_DIRECT at open and refuse the reads (alignment, EINVAL):
            // read through the cache from now on; a real I/O error fails there too.
            log.debug("direct read of {} failed ({}); reading through the page cache", key, e.toString());
            directReads = -1;
            readInto(key, offset, dst, off, length);
        }
    }

    private void readDirect(FileChannel channel, String key, long offset, byte[] dst, int off, int length)
            throws IOException {
        FileChannel ch = channel;
        boolean reopened = false;
        ByteBuffer buf = DIRECT_BUFFER.get();
        long end = offset + length;
        long pos = offset & -DIRECT_ALIGN;
        while (pos < end) {
            int want = (int) Math.min(buf.capacity(), ((end - pos) + DIRECT_ALIGN - 1) & -DIRECT_ALIGN);
            buf.clear().limit(want);
            int got = 0;
            while (buf.hasRemaining()) {
                int n;
                try {
                    n = ch.read(buf, pos + got);
                } catch (ClosedChannelException e) {
                    if (reopened || e instanceof java.nio.channels.ClosedByInterruptException) {
                        throw e;
                    }
                    reopened = true;
                    ch = directChannel(key); // evicted from the cache by another thread mid-read
                    continue;
                }
                if (n < 0) {
                    break;
                }
                got += n;
                if ((n & (DIRECT_ALIGN - 1)) != 0) {
                    break; // a short read at the end of the file
                }
            }
            long from = Math.max(pos, offset);
            long to = Math.min(pos + got, end);
            if (to <= from) {
                throw new EOFException("object '" + key + "' ends before byte " + end + " (size " + ch.size() + ")");
            }
            buf.position((int) (from - pos)).limit((int) (to - pos));
            buf.get(dst, off + (int) (from - offset), (int) (to - from));
            if (to < Math.min(pos + want, end)) {
                throw new EOFException("object '" + key + "' ends before byte " + end + " (size " + ch.size() + ")");
            }
            pos += want;
        }
    }

    private FileChannel directChannel(String key) throws IOException {
        synchronized (openChannels) {
            FileChannel ch = directChannels.get(key);
            if (ch != null && ch.isOpen()) {
                return ch;
            }
            ch = FileChannel.open(path(key), StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT);
            directChannels.put(key, ch);
            if (directChannels.size() > MAX_OPEN_CHANNELS) {
                Iterator<FileChannel> eldest = directChannels.values().iterator();
                closeQuietly(eldest.next());
                eldest.remove();
            }
            return ch;
        }
    }

    /** Reads below this size go through the page cache. */
    private static final int DIRECT_READ_MIN = 256 << 10;
    private static final int DIRECT_ALIGN = 4096;
    private static final ThreadLocal<ByteBuffer> DIRECT_BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect((1 << 20) + 2 * DIRECT_ALIGN + DIRECT_ALIGN).alignedSlice(DIRECT_ALIGN)
                    .limit((1 << 20) + 2 * DIRECT_ALIGN).slice());
    /** 0 until a direct read fails for lack of support, then -1 (this backend reads through the cache). */
    private volatile int directReads;

    private static final ThreadLocal<ByteBuffer> PIECE_BUFFER = ThreadLocal.withInitial(IoPieces::alignedPiece);

    private FileChannel channel(String key) throws IOException {
        synchronized (openChannels) {
            FileChannel ch = openChannels.get(key);
            if (ch != null && ch.isOpen()) {
                return ch;
            }
            try {
                ch = FileChannel.open(path(key), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new ContentNotFoundException("object '" + key + "' not found in " + root);
            }
            openChannels.put(key, ch);
            if (openChannels.size() > MAX_OPEN_CHANNELS) {
                Iterator<FileChannel> eldest = openChannels.values().iterator();
                closeQuietly(eldest.next());
                eldest.remove();
            }
            return ch;
        }
    }

    @Override
    public byte[] readAll(String key) throws IOException {
        try {
            return Files.readAllBytes(path(key));
        } catch (NoSuchFileException e) {
            throw new ContentNotFoundException("object '" + key + "' not found in " + root);
        }
    }

    @Override
    public void write(String key, byte[] data) throws IOException {
        Path target = path(key);
        Path staging = newTempFile(key);
        try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(staging);
            throw e;
        }
        moveIntoPlace(staging, target);
    }

    @Override
    public void writeFile(String key, Path file) throws IOException {
        Path target = path(key);
        Path staging = file;
        if (!file.toAbsolutePath().getParent().equals(tmp)) {
            staging = stageCopy(key, file);
        }
        try (FileChannel ch = FileChannel.open(staging, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        moveIntoPlace(staging, target);
    }

    /**
     * Moves a file from outside into tmp/ for {@link #writeFile}: a hard link where both are on
     * one file system (a store remote beside the repository: no second copy of a pack's bytes),
     * else a copy; either way the source name is removed.
     */
    private Path stageCopy(String key, Path file) throws IOException {
        Path staging = newTempFile(key);
        try {
            Files.delete(staging);
            Files.createLink(staging, file);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, staging, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.delete(file);
        return staging;
    }

    /** Threads that sync at once: the file system commits their syncs together. */
    private static final int SYNC_THREADS = 16;

    /**
     * Syncs the files in parallel, renames each into place, then syncs each directory once, also
     * in parallel: a file system journal commits concurrent syncs together, so a batch of small
     * files (a commit's manifests) costs a few commits instead of three per file. A file outside
     * tmp/ is staged first, as {@link #writeFile} does.
     */
    @Override
    public void writeFiles(java.util.List<java.util.Map.Entry<String, Path>> files) throws IOException {
        if (files.size() < 4) {
            Backend.super.writeFiles(files);
            return;
        }
        java.util.List<Path> staged = new java.util.ArrayList<>(files.size());
        try {
            for (java.util.Map.Entry<String, Path> f : files) {
                Path file = f.getValue();
                if (!file.toAbsolutePath().getParent().equals(tmp)) {
                    file = stageCopy(f.getKey(), file);
                }
                staged.add(file);
            }
            inParallel(staged, p -> {
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            });
            moveAllIntoPlace(files.stream().map(java.util.Map.Entry::getKey).toList(), staged);
        } finally {
            for (Path p : staged) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Creates, writes and syncs the staging files in parallel (file creation is most of the cost
     * of a small object here, and the journal commits concurrent syncs together), renames each
     * into place, then syncs each directory once.
     */
    @Override
    public void writeAll(java.util.List<java.util.Map.Entry<String, byte[]>> objects) throws IOException {
        if (objects.size() < 4) {
            Backend.super.writeAll(objects);
            return;
        }
        List<String> keys = new ArrayList<>(objects.size());
        for (java.util.Map.Entry<String, byte[]> o : objects) {
            path(o.getKey()); // a bad key fails before anything is written
            keys.add(o.getKey());
        }
        Path[] staged = new Path[objects.size()];
        try {
            inParallel(java.util.stream.IntStream.range(0, objects.size()).boxed().toList(), i -> {
                Path p = newTempFile(keys.get(i));
                staged[i] = p;
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(objects.get(i).getValue());
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
            });
            moveAllIntoPlace(keys, java.util.Arrays.asList(staged));
        } finally {
            for (Path p : staged) {
                if (p != null) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Renames each durable staging file to its key's path, then syncs each directory once. */
    private void moveAllIntoPlace(List<String> keys, List<Path> staged) throws IOException {
        java.util.Set<Path> dirs = new java.util.LinkedHashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            Path target = path(keys.get(i));
            Files.createDirectories(target.getParent());
            try {
                Files.move(staged.get(i), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + staged.get(i) + " to " + target
                        + " atomically; the store's tmp/ must be on the same file system", e);
            }
            dirs.add(target.getParent());
        }
        inParallel(new ArrayList<>(dirs), LocalBackend::fsyncDirectory);
    }

    private interface Action<T> {
        void run(T item) throws IOException;
    }

    private static <T> void inParallel(java.util.List<T> items, Action<T> action) throws IOException {
        int threads = Math.min(SYNC_THREADS, items.size());
        if (threads <= 1) {
            for (T p : items) {
                action.run(p);
            }
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mlv-sync");
            t.setDaemon(true);
            return t;
        });
        try {
            java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (T p : items) {
                done.add(pool.submit(() -> {
                    action.run(p);
                    return null;
                }));
            }
            // every task has ended before this returns or throws, so the caller's clean-up sees
            // every file they created
            IOException failed = null;
            for (java.util.concurrent.Future<?> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failed == null) {
                        failed = e.getCause() instanceof IOException io ? io
                                : new IOException("sync failed: " + e.getCause(), e.getCause());
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            throw new java.io.InterruptedIOException("interrupted while syncing");
        } finally {
            pool.shutdown();
        }
    }

    /** A new empty file in the tmp directory, named so that stale ones are recognisable. */
    public Path newTempFile(String hint) throws IOException {
        String base = hint.substring(hint.lastIndexOf('/') + 1);
        return Files.createFile(tmp.resolve(base + "." + UUID.randomUUID() + ".tmp"));
    }

    private void moveIntoPlace(Path staging, Path target) throws IOException {
        try {
            Path dir = target.getParent();
            Files.createDirectories(dir);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + staging + " to " + target
                        + " atomically; the store's tmp/ must be on the same file system", e);
            }
            // A replaced object (a multi-pack index, a lock) must not be read through a channel of the old file.
            forgetChannels(root.relativize(target).toString().replace(target.getFileSystem().getSeparator(), "/"));
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open directories; the rename is still atomic there.
            log.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    /**
     * Moves an object to another key by an atomic rename (both directories fsynced): how a damaged
     * pack is set aside without copying it. Fails with {@link ContentNotFoundException} if absent.
     */
    public void move(String from, String to) throws IOException {
        Path source = path(from);
        Path target = path(to);
        forgetChannels(from);
        Files.createDirectories(target.getParent());
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new ContentNotFoundException("object '" + from + "' not found in " + root);
        }
        fsyncDirectory(target.getParent());
        fsyncDirectory(source.getParent());
    }

    @Override
    public void delete(String key) throws IOException {
        forgetChannels(key);
        Files.deleteIfExists(path(key));
    }

    /** The files under {@code tmp/}: writes in progress, or left by a process that died. */
    @Override
    public List<IncompleteWrite> listIncompleteWrites() throws IOException {
        List<IncompleteWrite> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        found.add(new IncompleteWrite(null, TMP_DIR + "/" + p.getFileName(), a.size(),
                                a.lastModifiedTime().toInstant()));
                    }
                } catch (NoSuchFileException e) {
                    // renamed into place or removed since the listing
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return found;
    }

    @Override
    public void abortIncompleteWrite(IncompleteWrite write) throws IOException {
        String id = write.id();
        String file = id.startsWith(TMP_DIR + "/") ? id.substring(TMP_DIR.length() + 1) : "";
        if (file.isEmpty() || file.contains("/") || file.equals(".") || file.equals("..")) {
            throw new IllegalArgumentException("not a temp file of " + root + ": " + id);
        }
        Files.deleteIfExists(tmp.resolve(file));
    }

    @Override
    public void close() {
        synchronized (openChannels) {
            openChannels.values().forEach(LocalBackend::closeQuietly);
            openChannels.clear();
            directChannels.values().forEach(LocalBackend::closeQuietly);
            directChannels.clear();
        }
    }

    /** Closes the cached channels of an object about to be moved or deleted. */
    private void forgetChannels(String key) {
        synchronized (openChannels) {
            FileChannel ch = openChannels.remove(key);
            if (ch != null) {
                closeQuietly(ch);
            }
            FileChannel direct = directChannels.remove(key);
            if (direct != null) {
                closeQuietly(direct);
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            log.debug("closing channel: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "local:" + root;
    }
}
