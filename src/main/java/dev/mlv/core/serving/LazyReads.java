package dev.mlv.core.serving;

import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.RepoFile;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.internal.ContentRemote;
import dev.mlv.store.BackendUnreachableException;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.LazyContent;
import dev.mlv.store.LockBusyException;
import dev.mlv.store.Oid;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * Random access to a repository's files that does not wait for whole downloads (for
 * {@code mlv mount}): a large file the local store lacks is read chunk by chunk from the default
 * store remote, as reads reach it, into a bounded on-disk chunk cache ({@code mlv/mount-cache/N/}
 * of the Git directory, one per process at a time), with read-ahead for sequential readers.
 * Nothing is added to the local store. Without a store remote, and for a Git LFS server (whole
 * objects), a file is read as {@link RepoFile#openChannel()} reads it.
 */
public final class LazyReads implements AutoCloseable {
    /** The chunk cache's default bound. */
    public static final long DEFAULT_CACHE_BYTES = 4L << 30;
    /** The smallest chunk cache: twice the read-ahead, so chunks read ahead stay until they are read. */
    public static final long MIN_CACHE_BYTES = 256L << 20;
    /** How far ahead of a sequential reader chunks are fetched. */
    private static final long READAHEAD = 64L << 20;
    /** Caches (and so mounts of one repository at once). */
    private static final int SLOTS = 32;

    private final ContentRemote remote;
    private final LazyContent lazy;
    private final Path cacheDir;

    private LazyReads(ContentRemote remote, LazyContent lazy, Path cacheDir) {
        this.remote = remote;
        this.lazy = lazy;
        this.cacheDir = cacheDir;
    }

    /**
     * Opens the default store remote and a chunk cache of at most {@code cacheBytes} (the first
     * cache directory no other process uses).
     *
     * @throws MlvException USAGE for a cache smaller than {@link #MIN_CACHE_BYTES} or a store
     *     remote that is not usable; GENERAL when the cache cannot be opened
     */
    public static LazyReads open(MlvRepository repo, long cacheBytes) throws MlvException {
        checkCacheSize(cacheBytes);
        StoreRemote picked = StoreRemote.pick(repo.config(), null);
        if (picked == null) {
            return new LazyReads(null, null, null);
        }
        ContentRemote remote = ContentRemote.open(repo, repo.config(), picked, null);
        Path base = repo.commonDir().resolve("mlv").resolve("mount-cache");
        try {
            for (int slot = 0; slot < SLOTS; slot++) {
                Path dir = base.resolve(Integer.toString(slot));
                try {
                    LazyContent lazy = remote.lazyContent(dir, cacheBytes, READAHEAD);
                    return new LazyReads(remote, lazy, lazy == null ? null : dir);
                } catch (LockBusyException e) {
                    // another mount's: try the next
                }
            }
            throw new MlvException("the " + SLOTS + " chunk caches under " + base + " are all in use by other mounts;"
                    + " stop one of them");
        } catch (IOException e) {
            remote.close();
            throw new MlvException("cannot open a chunk cache under " + base + ": " + e.getMessage(), e);
        } catch (MlvException | RuntimeException e) {
            remote.close();
            throw e;
        }
    }

    /**
     * Refuses a chunk cache smaller than {@link #MIN_CACHE_BYTES} (for callers that check their
     * options before doing anything else).
     *
     * @throws MlvException USAGE
     */
    public static void checkCacheSize(long cacheBytes) throws MlvException {
        if (cacheBytes < MIN_CACHE_BYTES) {
            throw MlvException.usage("a chunk cache of " + cacheBytes + " bytes is too small; give at least "
                    + (MIN_CACHE_BYTES >> 20) + " MiB");
        }
    }

    /** The chunk cache's directory; null when files are not read chunk by chunk from a remote. */
    public Path cacheDirectory() {
        return cacheDir;
    }

    /**
     * Random access to a file: a large file's reads fetch only the chunks they cover that are
     * neither local nor cached. A file whose pointer's size differs from its content's is an
     * integrity error (exit 6), as for {@link RepoFile#checkSize()}.
     */
    public SeekableByteChannel openChannel(RepoFile file) throws MlvException {
        if (lazy == null || !file.large()) {
            return file.openChannel();
        }
        Oid oid = Oid.fromHex(file.oid());
        try {
            long stored = lazy.size(oid);
            if (stored != file.size()) {
                throw MlvException.integrity("'" + file.path() + "': its pointer says " + file.size()
                        + " bytes, but its content sha256:" + file.oid() + " has " + stored
                        + "; the pointer is damaged (commit the file again to fix it)", null);
            }
            return lazy.openChannel(oid);
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    private static MlvException failure(RepoFile file, IOException e) {
        String what = "cannot read " + file.path() + " (sha256:" + file.oid() + ", " + file.size() + " bytes): ";
        if (e instanceof ContentNotFoundException) {
            return MlvException.notFound(what + e.getMessage());
        }
        if (e instanceof CorruptContentException) {
            return MlvException.integrity(what + e.getMessage(), e);
        }
        if (e instanceof BackendUnreachableException) {
            return new MlvException(ErrorKind.REMOTE_UNREACHABLE, what + e.getMessage(), e);
        }
        return new MlvException(what + e.getMessage(), e);
    }

    /**
     * Counters since opening: chunks fetched from the remote (in {@code ranges} range reads of
     * {@code fetchedBytes}), chunks read back from the cache, and what the cache holds.
     */
    public record Stats(long fetchedChunks, long ranges, long fetchedBytes, long cacheHits, long cachedChunks,
                        long cachedBytes, long evictedChunks) {
    }

    /** The counters; all zero when files are not read chunk by chunk from a remote. */
    public Stats stats() {
        if (lazy == null) {
            return new Stats(0, 0, 0, 0, 0, 0, 0);
        }
        LazyContent.Stats s = lazy.stats();
        return new Stats(s.fetchedChunks(), s.ranges(), s.fetchedBytes(), s.cacheHits(), s.cachedChunks(), s.cachedBytes(),
                s.evictedChunks());
    }

    @Override
    public void close() {
        try {
            if (lazy != null) {
                lazy.close();
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(LazyReads.class).debug("closing the chunk cache: {}", e.toString());
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }
}
