package dev.mlv.core.internal;

import dev.mlv.core.MlvConfig;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.StoreRemote;
import dev.mlv.core.Transfer;
import dev.mlv.store.CheckReport;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.GcReport;
import dev.mlv.store.LazyContent;
import dev.mlv.store.LockBusyException;
import dev.mlv.store.RemoteLock;
import dev.mlv.store.ProgressListener;
import dev.mlv.store.RemoteStore;
import dev.mlv.store.StoreOptions;
import dev.mlv.store.StoreRepair;
import dev.mlv.store.StoreTransfer;
import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.RemoteLocation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import dev.mlv.store.Oid;

/**
 * The repository's view of one store remote: opens it (indexes cached under
 * {@code .git/mlv/remote-cache/NAME/}) and moves content between it and the local store. A Git
 * LFS server ({@code http(s)://.../info/lfs}) is a store remote too: whole file versions through
 * its Batch API ({@link LfsTransfer}); it has no chunks, indexes or locks, so checks, repairs and
 * gc of it are refused.
 */
public final class ContentRemote implements AutoCloseable {
    /** The local side: the repository's content store (or a data submodule's). */
    private final RepoContent local;
    private final StoreRemote remote;
    /** The chunked store remote, or null for a Git LFS server. */
    private final RemoteStore store;
    /** The Git LFS server, or null for a chunked store remote. */
    private final LfsTransfer lfs;
    private final int jobs;
    /** The largest object a Git LFS server takes, or 0 for no known limit. */
    private final long maxObjectSize;

    /** GitHub's limit for one Git LFS object (its Batch API refuses larger ones). */
    static final long GITHUB_MAX_OBJECT_SIZE = 2L << 30;

    private ContentRemote(RepoContent local, StoreRemote remote, RemoteStore store, LfsTransfer lfs, int jobs,
                          long maxObjectSize) {
        this.local = local;
        this.remote = remote;
        this.store = store;
        this.lfs = lfs;
        this.jobs = jobs;
        this.maxObjectSize = maxObjectSize;
    }

    /**
     * The largest object the Git LFS server of {@code remote} takes: {@code store.remotes.NAME.maxObjectSize}
     * (bytes; 0 for none) when set, else GitHub's 2 GiB for github.com, else no limit known.
     */
    static long maxObjectSize(MlvConfig config, StoreRemote remote) {
        com.fasterxml.jackson.databind.JsonNode set = config.section("store").path("remotes").path(remote.name())
                .path("maxObjectSize");
        if (set.canConvertToLong() && set.asLong() >= 0) {
            return set.asLong();
        }
        String host = java.net.URI.create(remote.url()).getHost();
        host = host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
        return host.equals("github.com") || host.endsWith(".github.com") ? GITHUB_MAX_OBJECT_SIZE : 0;
    }

    /**
     * Opens a store remote; {@code wrap} may decorate its backend (tests inject faults there).
     * Configuration errors are USAGE, unreachable locations REMOTE_UNREACHABLE.
     */
    public static ContentRemote open(MlvRepository repo, MlvConfig config, StoreRemote remote, UnaryOperator<Backend> wrap)
            throws MlvException {
        // the index cache is shared by linked work trees; a bare repository anchors relative URLs itself
        return open(repo.content(), repo.commonDir(), repo.directory(), config, remote, wrap, repo.session().env());
    }

    /** As {@link #open(RepoContent, Path, Path, MlvConfig, StoreRemote, UnaryOperator, java.util.Map)} in this process's environment. */
    public static ContentRemote open(RepoContent local, Path gitDir, Path workTree, MlvConfig config, StoreRemote remote,
                                     UnaryOperator<Backend> wrap) throws MlvException {
        return open(local, gitDir, workTree, config, remote, wrap, System.getenv());
    }

    /**
     * Opens a store remote for any local content store: {@code gitDir} holds the index cache
     * ({@code mlv/remote-cache/NAME/}), {@code workTree} anchors a relative directory URL; {@code env}
     * is the environment git's credential helpers run in (a Git LFS server's credentials).
     */
    public static ContentRemote open(RepoContent local, Path gitDir, Path workTree, MlvConfig config, StoreRemote remote,
                              UnaryOperator<Backend> wrap, java.util.Map<String, String> env) throws MlvException {
        RemoteLocation location;
        try {
            location = new RemoteLocation(remote.url(), remote.endpoint(), remote.region(), remote.pathStyle());
        } catch (IllegalArgumentException e) {
            throw MlvException.usage("store remote '" + remote.name() + "' in " + MlvConfig.PATH + " is not usable: "
                    + e.getMessage() + "; fix it with 'mlv store remote set " + remote.name() + " URL'");
        }
        if (location.lfs()) {
            LfsTransfer lfs = new LfsTransfer(java.net.URI.create(location.url()), new GitCredentials(workTree, env),
                    StoreRemote.retries(config), gitDir.resolve("mlv").resolve("tmp"), new PointerSizes(gitDir));
            return new ContentRemote(local, remote, null, lfs, StoreRemote.transfers(config), maxObjectSize(config, remote));
        }
        Path cache = gitDir.resolve("mlv").resolve("remote-cache").resolve(remote.name());
        try {
            Backend backend = location.open(workTree);
            if (!remote.hardLinks()) {
                backend = new dev.mlv.store.backend.ForwardingBackend(backend) { }; // names no file: packs are copied
            }
            if (wrap != null) {
                backend = wrap.apply(backend);
            }
            RemoteStore store = RemoteStore.open(backend, cache, StoreOptions.defaults(), StoreRemote.retries(config), 500);
            return new ContentRemote(local, remote, store, null, StoreRemote.transfers(config), 0);
        } catch (IOException e) {
            throw StoreErrors.map("open store remote '" + remote.name() + "'", e);
        }
    }

    StoreRemote remote() {
        return remote;
    }

    /** Whether this is a Git LFS server (whole objects, no locks, no gc) rather than a chunked store. */
    public boolean lfs() {
        return lfs != null;
    }

    /** Refuses what only a chunked store remote can do. */
    private void chunkedOnly(String what) throws MlvException {
        if (lfs != null) {
            throw MlvException.usage("store remote '" + remote.name() + "' is a Git LFS server (" + remote.url() + "): "
                    + what + " applies to chunked store remotes (a directory or S3) only; the LFS server manages its"
                    + " own storage");
        }
    }

    private StoreTransfer transfer(ProgressListener progress) throws IOException {
        return new StoreTransfer(local.store(), store).setJobs(jobs).setListener(progress);
    }

    /**
     * Downloads the files the local store lacks, holding the store's writer lock as every writer
     * does: gc must not judge the downloaded packs unreferenced while their manifests are not yet
     * written.
     */
    public Transfer download(Collection<Oid> oids, ProgressListener progress) throws MlvException {
        try {
            local.lockForWriting();
            if (lfs != null) {
                return Transfer.of(lfs.download(local, oids, progress));
            }
            StoreTransfer transfer = transfer(progress);
            java.util.Set<Oid> writeOut = local.downloadWanted();
            if (writeOut != null) {
                transfer.writeFilesOut(writeOut);
            }
            try {
                return Transfer.of(transfer.download(oids));
            } finally {
                local.downloaded(transfer.writtenFiles());
            }
        } catch (IOException e) {
            throw StoreErrors.map("download content from store remote '" + remote.name() + "' (" + remote.url() + ")", e);
        }
    }

    /**
     * Reads this remote's files chunk by chunk, as reads need them, into a chunk cache in
     * {@code cacheDir} of at most {@code cacheBytes} (see {@link LazyContent}); null for a Git LFS
     * server, whose files come whole. The caller closes it before this remote.
     *
     * @throws dev.mlv.store.LockBusyException when another process uses {@code cacheDir}
     */
    public LazyContent lazyContent(Path cacheDir, long cacheBytes, long readahead) throws IOException {
        return store == null ? null : LazyContent.open(local.store(), store, cacheDir, cacheBytes, jobs, readahead);
    }

    /** Uploads the files the remote lacks. */
    public Transfer upload(Collection<Oid> oids, boolean dryRun, ProgressListener progress) throws MlvException {
        try {
            if (lfs != null) {
                checkObjectSizes(oids);
                return Transfer.of(lfs.upload(local, oids, dryRun, progress));
            }
            return Transfer.of(transfer(progress).upload(oids, dryRun));
        } catch (IOException e) {
            throw StoreErrors.map("upload content to store remote '" + remote.name() + "' (" + remote.url() + ")", e);
        }
    }

    /** Refuses, before anything is sent, file versions larger than the LFS server takes. */
    private void checkObjectSizes(Collection<Oid> oids) throws IOException, MlvException {
        if (maxObjectSize <= 0) {
            return;
        }
        List<String> tooLarge = new java.util.ArrayList<>();
        for (Oid oid : oids) {
            long size = local.storedSize(oid);
            if (size > maxObjectSize) {
                tooLarge.add("sha256:" + oid.hex() + " (" + size + " bytes)");
            }
        }
        if (!tooLarge.isEmpty()) {
            throw MlvException.usage(tooLarge.size() + " file version(s) exceed the " + maxObjectSize + "-byte limit per"
                    + " object of the Git LFS server of store remote '" + remote.name() + "' (" + remote.url() + "): "
                    + String.join(", ", tooLarge.subList(0, Math.min(3, tooLarge.size())))
                    + (tooLarge.size() > 3 ? ", ..." : "") + "; nothing was pushed. Push them to a chunked store remote"
                    + " ('mlv push --store NAME'), split the file, or, if the host takes more, set store.remotes."
                    + remote.name() + ".maxObjectSize (bytes, 0 for none) in " + MlvConfig.PATH);
        }
    }

    /** Checks that the files are whole on the store remote (see {@link RemoteStore#check}). */
    public CheckReport check(Collection<Oid> oids, int readDataPercent) throws MlvException {
        chunkedOnly("checking content on the remote (fsck --remote)");
        try {
            return store.check(oids, readDataPercent);
        } catch (IOException e) {
            throw StoreErrors.map("check store remote '" + remote.name() + "' (" + remote.url() + ")", e);
        }
    }

    /** Unfinished writes on the store remote: a directory store's temp files, incomplete S3 uploads. */
    public List<Backend.IncompleteWrite> incompleteWrites() throws MlvException {
        chunkedOnly("listing incomplete writes");
        try {
            return store.incompleteWrites();
        } catch (IOException e) {
            throw StoreErrors.map("list incomplete writes on store remote '" + remote.name() + "' (" + remote.url() + ")", e);
        }
    }

    /** Deletes remote indexes whose pack is missing (see {@link RemoteStore#dropIndexes}). */
    public void dropIndexes(Collection<String> indexKeys) throws MlvException {
        chunkedOnly("repairing the remote");
        try {
            store.dropIndexes(indexKeys);
        } catch (IOException e) {
            throw StoreErrors.map("repair store remote '" + remote.name() + "' (" + remote.url() + ")", e);
        }
    }

    /** Uploads the files again even where the remote has their manifest (a repair of the remote). */
    public Transfer resend(Set<Oid> oids) throws MlvException {
        chunkedOnly("repairing the remote");
        try {
            return Transfer.of(transfer(ProgressListener.NONE).upload(oids, false, oids));
        } catch (IOException e) {
            throw StoreErrors.map("upload content to store remote '" + remote.name() + "' (" + remote.url() + ")", e);
        }
    }

    /** Repairs the local store after a check, fetching what it lost from this store remote. */
    public StoreRepair.Report repairLocal(CheckReport report) throws MlvException {
        try {
            if (lfs != null) {
                // the local part of the repair only: what the lost chunks held is not refetched from an LFS server
                StoreRepair.Report done = new StoreRepair(local.store(), null).run(report);
                java.util.Map<Oid, String> unrepaired = new java.util.LinkedHashMap<>();
                done.unrepaired().keySet().forEach(oid -> unrepaired.put(oid, "its lost data is not refetched from the"
                        + " Git LFS server of store remote '" + remote.name() + "'; restore it from a clone that has it"
                        + " intact, or configure a chunked store remote that has it and run 'mlv fsck --repair' again"));
                return new StoreRepair.Report(done.repaired(), done.fetched(), unrepaired);
            }
            return new StoreRepair(local.store(), store).run(report);
        } catch (IOException e) {
            throw StoreErrors.map("repair the local store from store remote '" + remote.name() + "' (" + remote.url()
                    + ")", e);
        }
    }

    /**
     * Takes the store remote's lock (see {@link RemoteLock}), waiting up to {@code wait} for
     * conflicting holders; when they hold on, the error names them and ends with {@code advice}.
     */
    public RemoteLock lock(RemoteLock.Kind kind, String operation, Duration wait, String advice) throws MlvException {
        chunkedOnly("locking");
        try {
            return store.lock(kind, operation, wait);
        } catch (LockBusyException e) {
            throw new MlvException("store remote '" + remote.name() + "' (" + remote.url() + "): " + e.getMessage() + "; "
                    + advice, e);
        } catch (IOException e) {
            throw StoreErrors.map("lock store remote '" + remote.name() + "' (" + remote.url() + ")", e);
        }
    }

    /** Garbage collection on the store remote under {@code lock} (see {@link dev.mlv.store.RemoteStore#gc}). */
    public GcReport gc(Set<Oid> live, Instant cutoff, double maxUnusedShare, boolean dryRun, RemoteLock lock)
            throws MlvException {
        chunkedOnly("gc --remote");
        try {
            return store.gc(live, cutoff, maxUnusedShare, dryRun, lock);
        } catch (CorruptContentException e) {
            throw MlvException.integrity("gc of store remote '" + remote.name() + "' (" + remote.url() + ") failed: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw StoreErrors.map("collect garbage on store remote '" + remote.name() + "' (" + remote.url() + ")", e);
        }
    }

    /**
     * Downloads missing content from the default store remote, when one is configured; false when
     * none is (the caller then reports the content as missing).
     */
    public static boolean fetchMissing(MlvRepository repo, Collection<Oid> oids) throws MlvException {
        StoreRemote remote = StoreRemote.pick(repo.config(), null);
        if (remote == null || oids.isEmpty()) {
            return false;
        }
        try (ContentRemote r = open(repo, repo.config(), remote, null)) {
            r.download(oids, ProgressListener.NONE);
            return true;
        }
    }

    @Override
    public void close() {
        if (store == null) {
            return;
        }
        try {
            store.close();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ContentRemote.class).debug("closing remote store: {}", e.toString());
        }
    }
}
