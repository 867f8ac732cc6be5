package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackRecords;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A store on another backend (a directory or a bucket) that content is pushed to and fetched from.
 * Its pack indexes, and the multi-pack index {@code gc --remote} writes, are cached in a local
 * directory and mapped from there; chunk data is read by byte range, straight out of its packs. The remote store is created (its {@code config.json} written) by the first upload.
 */
public final class RemoteStore implements Closeable {
    private final IndexCachingBackend backend;
    private final PackCatalog catalog;
    private final StoreOptions options;
    private final Retry retry;

    private RemoteStore(IndexCachingBackend backend, StoreOptions options, Retry retry) {
        this.backend = backend;
        this.catalog = new PackCatalog(backend);
        this.options = options;
        this.retry = retry;
    }

    /**
     * A remote store on {@code remote}, caching its indexes in {@code cacheDir}. Remote calls that
     * fail as unreachable are retried {@code retries} times with backoff from {@code backoffMillis}.
     */
    public static RemoteStore open(Backend remote, Path cacheDir, StoreOptions options, int retries, long backoffMillis)
            throws IOException {
        return new RemoteStore(new IndexCachingBackend(remote, cacheDir), options, new Retry(retries, backoffMillis));
    }

    IndexCachingBackend backend() {
        return backend;
    }

    PackCatalog catalog() {
        return catalog;
    }

    Retry retry() {
        return retry;
    }

    /** True if the remote holds a store ({@code config.json}); checks its chunker parameters. */
    public boolean exists() throws IOException {
        if (!retry.call("check " + StoreConfig.KEY, () -> backend.exists(StoreConfig.KEY))) {
            return false;
        }
        StoreConfig config = StoreConfig.decode(backend + "/" + StoreConfig.KEY,
                retry.call("read " + StoreConfig.KEY, () -> backend.readAll(StoreConfig.KEY)));
        if (!config.chunkerParams().equals(options.chunkerParams())) {
            throw new StoreConfigException("the remote store at " + backend + " was created with chunker parameters '"
                    + config.chunkerParams().describe() + "' but this mlv uses '" + options.chunkerParams().describe()
                    + "'; push to a new store location");
        }
        if (config.version() != StoreConfig.FORMAT_VERSION) {
            // A copy of a local store that holds manifest bundles: its manifests are not all loose,
            // which every reader of a store remote (older mlv included) relies on (format.md 6.2).
            throw new StoreConfigException("the remote store at " + backend + " has format version " + config.version()
                    + ", a local store's with manifest bundles; a store remote keeps version " + StoreConfig.FORMAT_VERSION
                    + " (push to a new store location, and let push fill it)");
        }
        return true;
    }

    /** Creates the store on the remote unless it exists. */
    void create() throws IOException {
        if (!exists()) {
            byte[] config = new StoreConfig(StoreConfig.FORMAT_VERSION, options.chunkerParams()).encode();
            retry.call("write " + StoreConfig.KEY, () -> {
                backend.write(StoreConfig.KEY, config);
                return null;
            });
        }
    }

    /**
     * Writes the index of every remote pack that has none: a push interrupted between a pack and
     * its index left it, and its chunks then count as present instead of being sent again.
     */
    int repairIndexes() throws IOException {
        Set<String> indexed = new HashSet<>(retry.call("list index/", () -> backend.list(StoreLayout.INDEX)));
        int repaired = 0;
        for (String key : retry.call("list packs/", () -> backend.list(StoreLayout.PACKS))) {
            byte[] packId = StoreLayout.packIdOf(key);
            if (packId == null || indexed.contains(StoreLayout.indexKey(packId))) {
                continue;
            }
            try {
                PackRecords footer = retry.call("read footer of " + key, () -> PackFiles.readFooter(backend, key, packId));
                byte[] index = PackFiles.encodeIndex(footer);
                retry.call("write index of " + key, () -> {
                    backend.write(StoreLayout.indexKey(packId), index);
                    return null;
                });
                repaired++;
            } catch (CorruptContentException e) {
                // a damaged pack stays unindexed: its chunks are sent again in a new pack
                org.slf4j.LoggerFactory.getLogger(RemoteStore.class).warn("remote pack {} is unreadable: {}", key,
                        e.getMessage());
            }
        }
        return repaired;
    }

    /**
     * Takes the lock of this store that every clone honours (see {@link RemoteLock}): shared for a
     * push or a repair, exclusive for gc.
     */
    public RemoteLock lock(RemoteLock.Kind kind, String operation, Duration wait) throws IOException {
        // a passing network failure is retried like any other call (acquire removes its own
        // lock object when it fails, so a retry starts clean)
        return retry.call("take the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " lock",
                () -> RemoteLock.acquire(backend, kind, operation, wait));
    }

    /**
     * Garbage collection on the remote store: removes what {@code live} files do not need and is
     * older than {@code cutoff} by the remote's clock, as {@link ChunkStore#gc} does locally, and the
     * lock objects {@code lock} found stale. The caller holds {@code lock} exclusively (null only
     * for a dry run): no push decides what to reuse while gc runs, and every deletion first checks
     * that the lock still holds. Ages still protect against writers that do not take the lock
     * (older versions of mlv).
     */
    public GcReport gc(Set<Oid> live, Instant cutoff, double maxUnusedShare, boolean dryRun, RemoteLock lock)
            throws IOException {
        if (!exists()) {
            return new GcReport(dryRun, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), 0, List.of(), 0);
        }
        // A waiting push rewrites its lock object meanwhile, by way of a temp file on a directory store.
        Instant incompleteCutoff = lock == null ? cutoff : lock.acquiredAt();
        GcReport r = new StoreGc(backend, catalog, backend.stagingDir(), lock == null ? StoreGc.Guard.NONE : lock::check,
                cutoff, incompleteCutoff, maxUnusedShare, dryRun, options).run(live);
        if (lock == null || lock.staleLocks().isEmpty()) {
            return r;
        }
        List<String> removed = new ArrayList<>(r.removedTemp());
        for (String key : lock.staleLocks()) {
            lock.check();
            backend.delete(key);
            removed.add(key + " (stale lock: its holder is gone)");
        }
        return new GcReport(r.dryRun(), r.removedManifests(), r.removedPacks(), r.repacked(), r.merged(), r.indexesRebuilt(), removed,
                r.keptYoung(), r.skipped(), r.bytesFreed());
    }

    /** Writes to the remote that were started and never finished (see {@link Backend#listIncompleteWrites}). */
    public List<Backend.IncompleteWrite> incompleteWrites() throws IOException {
        return retry.call("list incomplete writes", backend::listIncompleteWrites);
    }

    /**
     * Checks that each of {@code files} can be rebuilt from the remote: its manifest, and each chunk
     * in an indexed pack that exists; with {@code readDataPercent} > 0 the chunks they need (in
     * that share of the packs) are read back and re-hashed. Writes nothing.
     */
    public CheckReport check(java.util.Collection<Oid> files, int readDataPercent) throws IOException {
        return new RemoteStoreCheck(this).run(files, readDataPercent);
    }

    /**
     * Deletes indexes whose pack is missing (found by {@link #check}): they name chunks that are
     * nowhere, so a push would take those chunks for present and never send them again.
     */
    public void dropIndexes(java.util.Collection<String> indexKeys) throws IOException {
        for (String key : indexKeys) {
            if (StoreLayout.packIdOf(key) == null || !key.startsWith(StoreLayout.INDEX)) {
                throw new IllegalArgumentException("not an index key: " + key);
            }
            retry.call("delete " + key, () -> {
                backend.delete(key);
                return null;
            });
        }
    }

    /**
     * Loads the remote's indexes afresh, dropping packs removed since they were loaded: what a
     * push decides to skip must rest on what the remote holds now that it holds the lock (a
     * {@code gc --remote} may have repacked since this process last looked).
     */
    void reload() throws IOException {
        retry.call("list index/", () -> {
            catalog.reload();
            return null;
        });
    }

    /** Adds the remote's indexes written since the last load (new ones are downloaded into the cache). */
    void refresh() throws IOException {
        retry.call("list index/", () -> {
            catalog.refresh();
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        backend.close();
    }

    @Override
    public String toString() {
        return backend.toString();
    }
}
