package dev.mlv.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded on-disk cache of chunks fetched from a store remote, least recently used out first.
 * One file per chunk ({@code chunks/ab/<id>}, the raw bytes), written aside and renamed in, never
 * synced: a file a crash damaged fails the check against its id when it is read, and is fetched
 * again. Every read is checked. One process owns a cache directory at a time (a lock on
 * {@code lock}); the order of use survives a restart only as the files' modification times.
 */
final class ChunkCache implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChunkCache.class);

    private final Path dir;
    private final Path chunks;
    private final Path tmp;
    private final long maxBytes;
    private final FileChannel lockFile;
    private final FileLock lock;
    /** Hex id to size, in order of use (eldest first). */
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;
    private long evicted;

    private ChunkCache(Path dir, long maxBytes, FileChannel lockFile, FileLock lock) {
        this.dir = dir;
        this.chunks = dir.resolve("chunks");
        this.tmp = dir.resolve("tmp");
        this.maxBytes = maxBytes;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /**
     * Opens (creating) the cache in {@code dir}, holding at most {@code maxBytes} of chunks;
     * chunks beyond that left by an earlier run with a larger bound are removed.
     *
     * @throws LockBusyException when another process uses the directory
     */
    static ChunkCache open(Path dir, long maxBytes) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this process
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new LockBusyException("the chunk cache " + dir + " is in use by another reader");
        }
        ChunkCache cache = new ChunkCache(dir, maxBytes, channel, lock);
        try {
            cache.load();
        } catch (IOException | RuntimeException e) {
            cache.close();
            throw e;
        }
        return cache;
    }

    private void load() throws IOException {
        Files.createDirectories(chunks);
        Files.createDirectories(tmp);
        try (Stream<Path> left = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) left::iterator) {
                Files.deleteIfExists(p); // a write the last run did not finish
            }
        }
        record Found(String id, long size, long time) {
        }
        List<Found> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(chunks, 2)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    found.add(new Found(p.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis()));
                }
            }
        }
        found.sort(Comparator.comparingLong(Found::time));
        synchronized (this) {
            for (Found f : found) {
                entries.put(f.id(), f.size());
                bytes += f.size();
            }
            evict();
        }
    }

    /** The chunk's raw bytes if cached and whole ({@code length} bytes hashing to its id); else null. */
    byte[] get(byte[] id, int off, int length, MessageDigest sha) throws IOException {
        String hex = Hex.encode(java.util.Arrays.copyOfRange(id, off, off + 32));
        synchronized (this) {
            if (entries.get(hex) == null) {
                misses++;
                return null;
            }
        }
        byte[] data;
        try {
            data = Files.readAllBytes(path(hex));
        } catch (NoSuchFileException e) {
            forget(hex, false); // evicted meanwhile
            return null;
        }
        sha.reset();
        sha.update(data);
        if (data.length != length || !java.util.Arrays.equals(sha.digest(), 0, 32, id, off, off + 32)) {
            log.warn("cached chunk {} in {} is damaged; fetching it again", hex, dir);
            forget(hex, true);
            return null;
        }
        synchronized (this) {
            hits++;
        }
        return data;
    }

    /** Whether the chunk is cached (not checked: {@link #get} checks). */
    synchronized boolean contains(byte[] id, int off) {
        return entries.containsKey(Hex.encode(java.util.Arrays.copyOfRange(id, off, off + 32)));
    }

    /** Adds a chunk already checked against its id, then removes the least recently used beyond the bound. */
    void put(byte[] id, int off, byte[] data, int dataOff, int length) throws IOException {
        String hex = Hex.encode(java.util.Arrays.copyOfRange(id, off, off + 32));
        synchronized (this) {
            if (entries.containsKey(hex)) {
                return;
            }
        }
        Path target = path(hex);
        Files.createDirectories(target.getParent());
        Path aside = tmp.resolve(hex + "." + UUID.randomUUID() + ".tmp");
        try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data, dataOff, length);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        }
        Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        synchronized (this) {
            if (entries.put(hex, (long) length) == null) {
                bytes += length;
            }
            evict();
        }
    }

    private void forget(String hex, boolean delete) throws IOException {
        synchronized (this) {
            Long size = entries.remove(hex);
            if (size != null) {
                bytes -= size;
            }
        }
        if (delete) {
            Files.deleteIfExists(path(hex));
        }
    }

    /** Removes the least recently used chunks until the cache holds at most its bound. Holds the monitor. */
    private void evict() throws IOException {
        Iterator<Map.Entry<String, Long>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, Long> eldest = it.next();
            it.remove();
            bytes -= eldest.getValue();
            evicted++;
            // a reader that has not opened it yet finds it gone and fetches it again
            Files.deleteIfExists(path(eldest.getKey()));
        }
    }

    private Path path(String hex) {
        return chunks.resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** Bytes held now. */
    synchronized long bytes() {
        return bytes;
    }

    synchronized Stats stats() {
        return new Stats(entries.size(), bytes, maxBytes, hits, misses, evicted);
    }

    /** What the cache holds and how it was used since it was opened. */
    record Stats(long chunks, long bytes, long maxBytes, long hits, long misses, long evicted) {
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } catch (IOException e) {
            log.debug("releasing {}: {}", dir, e.toString());
        } finally {
            lockFile.close();
        }
    }
}
