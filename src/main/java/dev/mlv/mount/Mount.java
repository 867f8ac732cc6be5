package dev.mlv.mount;

import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.Session;
import dev.mlv.core.remote.Fetch;
import dev.mlv.core.remote.GitRemotes;
import dev.mlv.core.remote.UrlBranch;
import dev.mlv.core.serving.LazyReads;
import dev.mlv.core.serving.TreeListing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mlv mount}: one commit's tree (or one directory of it) mounted read-only at a directory
 * until {@link #close()} or an outside unmount. With a branch to follow, the branch is polled and
 * new opens see its new commit, while files already open keep reading the version they opened.
 */
public final class Mount implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mount.class);
    /** How long the kernel may take to start the file system. */
    private static final Duration MOUNT_WAIT = Duration.ofSeconds(20);
    private static final Duration UNMOUNT_WAIT = Duration.ofSeconds(10);

    /**
     * What to mount: {@code ref} (a branch, tag or commit), or {@code follow}, a branch whose
     * moves the mount follows; {@code path} a directory of the tree ({@code ""} for all of it).
     */
    public record Options(String ref, String follow, String path, Duration interval, boolean allowOther, long cacheSize) {
        public Options {
            if ((ref == null) == (follow == null)) {
                throw new IllegalArgumentException("exactly one of ref and follow");
            }
            path = path == null ? "" : path;
            cacheSize = cacheSize <= 0 ? LazyReads.DEFAULT_CACHE_BYTES : cacheSize;
        }

        /** With the default chunk cache size. */
        public Options(String ref, String follow, String path, Duration interval, boolean allowOther) {
            this(ref, follow, path, interval, allowOther, 0);
        }
    }

    private final MlvRepository repo;
    /** The repository of a URL's branch, which the mount opened and closes; null for the caller's. */
    private MlvRepository owned;
    private final Path dir;
    private final Options options;
    private final Consumer<String> notes;
    private final AtomicReference<MountTree> current = new AtomicReference<>();
    private final Map<String, MlvRepository> submodules = new HashMap<>();
    /** Each submodule's reads, by its path in the repository. */
    private final Map<String, MountTree.Opener> submoduleReads = new HashMap<>();
    private final List<LazyReads> opened = new ArrayList<>();
    private LazyReads reads;
    /** Fetches the followed branch before each check (a Git remote's, a URL's); null for a local branch. */
    private Refetch refetch;
    /** The followed branch as messages name it. */
    private String followName;
    private final MlvFileSystem fs;
    private ScheduledExecutorService poller;
    private boolean closed;

    /** Brings the followed branch up to date in the repository. */
    private interface Refetch {
        void fetch() throws MlvException;
    }

    private Mount(MlvRepository repo, Path dir, Options options, Consumer<String> notes) throws MlvException {
        this.repo = repo;
        this.dir = dir;
        this.options = options;
        this.notes = notes;
        this.followName = options.follow();
        this.fs = new MlvFileSystem(current::get, options.follow() != null, ownerId("uid"), ownerId("gid"));
    }

    /**
     * Checks the ref, path and mount point (cleaning up a stale mount of a crashed process),
     * lists the tree and mounts it. {@code notes} receives one-line messages for the user
     * (a stale mount cleaned, the branch moved).
     *
     * @throws MlvException NOT_FOUND for an unknown ref, a path that is no directory of it, or a
     *     missing mount point; USAGE for a mount point in use or not empty; GENERAL when FUSE fails
     */
    public static Mount start(MlvRepository repo, Path dir, Options options, Consumer<String> notes) throws MlvException {
        Path target = realPath(dir.toAbsolutePath().normalize());
        Mount mount = new Mount(repo, target, options, notes);
        try {
            TreeListing listing = new TreeListing(repo).setPrefix(options.path());
            String ref = options.ref() != null ? options.ref() : mount.followedRef(listing);
            return mount.begin(listing, ref, null);
        } catch (MlvException | RuntimeException e) {
            mount.release();
            throw e;
        }
    }

    /**
     * Mounts a branch of a Git URL without a clone: checks the mount point, fetches the branch at
     * depth 1 into the URL's repository under mlv's cache directory ({@link UrlBranch}; reused by
     * the next mount of the URL) and mounts its commit as {@link #start} does; large files are read
     * from the store remote its {@code .mlv/config.json} names. {@code options}' ref or follow
     * holds the {@code URL#BRANCH} text; when following, the branch is fetched again at each interval.
     *
     * @throws MlvException also NOT_FOUND for a missing branch, or large files and no store remote;
     *     REMOTE_UNREACHABLE when the URL cannot be fetched
     */
    public static Mount start(Session session, UrlBranch.Source source, Path dir, Options options, Consumer<String> notes)
            throws MlvException {
        Path target = realPath(dir.toAbsolutePath().normalize());
        LazyReads.checkCacheSize(options.cacheSize());
        boolean cleaned = MountPoints.prepare(target); // before the network: a bad DIR fails at once
        UrlBranch branch = new UrlBranch(session, source);
        UrlBranch.Result fetched = branch.open();
        Mount mount;
        try {
            mount = new Mount(fetched.repository(), target, options, notes);
        } catch (MlvException | RuntimeException e) {
            fetched.repository().close();
            throw e;
        }
        mount.owned = fetched.repository();
        try {
            if (cleaned) {
                notes.accept("mlv: cleaned up a stale mount at " + target + " (its process had ended)");
            }
            if (options.follow() != null) {
                mount.followName = source.display();
                mount.refetch = branch::fetch;
            }
            TreeListing listing = new TreeListing(mount.repo).setPrefix(options.path());
            mount.begin(listing, fetched.ref(), branch);
            notes.accept("mlv: fetched " + source.display() + " (" + fetched.commit().substring(0, 12) + ") into "
                    + fetched.directory() + (fetched.created() ? "" : ", the repository kept from an earlier mount"));
            return mount;
        } catch (MlvException | RuntimeException e) {
            mount.release();
            throw e;
        }
    }

    /**
     * Lists {@code ref}, opens the lazy reads, mounts and starts following. With {@code url} set,
     * large files need the store remote the URL's configuration names (there is no local content).
     */
    private Mount begin(TreeListing listing, String ref, UrlBranch url) throws MlvException {
        TreeListing.Result tree = listing.call(ref);
        if (url != null && tree.entries().stream().anyMatch(e -> e.file() != null && e.file().large())) {
            url.requireStoreRemote(repo.config());
        }
        reads = openReads(repo);
        current.set(tree(tree));
        if (MountPoints.prepare(dir)) {
            notes.accept("mlv: cleaned up a stale mount at " + dir + " (its process had ended)");
        }
        mount();
        if (options.follow() != null) {
            follow(ref);
        }
        return this;
    }

    /**
     * The ref {@code --follow BRANCH} follows: the local branch when there is one, else
     * {@code REMOTE/BRANCH} of a Git remote, fetched now and at each interval.
     */
    private String followedRef(TreeListing listing) throws MlvException {
        String local = "refs/heads/" + options.follow();
        try {
            listing.commitOf(local);
            return local;
        } catch (MlvException e) {
            if (e.kind() != dev.mlv.core.ErrorKind.NOT_FOUND) {
                throw e;
            }
        }
        int slash = options.follow().indexOf('/');
        if (slash > 0 && new GitRemotes(repo).find(options.follow().substring(0, slash)) != null) {
            String remote = options.follow().substring(0, slash);
            refetch = () -> new Fetch(repo).setRemote(remote).call();
            refetch.fetch();
            return "refs/remotes/" + options.follow();
        }
        throw MlvException.notFound("no branch '" + options.follow() + "' to follow: neither a local branch nor REMOTE/BRANCH"
                + " of a Git remote; see 'mlv exp list' and 'mlv remote list'");
    }

    /** How often the branch is checked: {@code --interval}, else 2 s for a local branch and 30 s for a fetched one. */
    private Duration interval() {
        if (options.interval() != null) {
            return options.interval();
        }
        return refetch != null ? Duration.ofSeconds(30) : Duration.ofSeconds(2);
    }

    /** Opens a repository's lazy reads (its store remote and a chunk cache), closed with the mount. */
    private LazyReads openReads(MlvRepository r) throws MlvException {
        LazyReads lazy = LazyReads.open(r, options.cacheSize());
        opened.add(lazy);
        return lazy;
    }

    /**
     * Counters of the main repository's chunk fetches and cache (all zero when its large files are
     * not read chunk by chunk from a store remote).
     */
    public LazyReads.Stats stats() {
        return reads.stats();
    }

    /** The main repository's chunk cache directory, or null when none is used. */
    public Path cacheDirectory() {
        return reads.cacheDirectory();
    }

    /** The commit shown to new opens. */
    public String commit() {
        return current.get().commit();
    }

    /** The private repository a URL's branch was fetched into, or null when mounting a local repository. */
    public String repository() {
        return owned == null ? null : owned.directory().toString();
    }

    /** Where the tree is mounted. */
    public Path directory() {
        return dir;
    }

    private void mount() throws MlvException {
        List<String> opts = new ArrayList<>(List.of("-o", "ro,subtype=mlv,fsname=mlv,default_permissions"));
        if (options.follow() != null) {
            // the kernel would otherwise answer lookups and sizes from a cache for a second after
            // the branch moved: new opens must see the new commit at once
            opts.add("-o");
            opts.add("attr_timeout=0,entry_timeout=0,negative_timeout=0");
        }
        if (options.allowOther()) {
            opts.add("-o");
            opts.add("allow_other");
        }
        fs.start(dir, opts.toArray(String[]::new), MOUNT_WAIT);
    }

    /** Polls the branch; a new commit's tree replaces the current one for new lookups and opens. */
    private void follow(String ref) {
        TreeListing listing;
        try {
            listing = new TreeListing(repo).setPrefix(options.path());
        } catch (MlvException e) {
            throw new IllegalStateException(e); // the same prefix was accepted at start
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlv-mount-follow");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, interval().toMillis());
        poller.scheduleWithFixedDelay(() -> {
            try {
                if (refetch != null) {
                    refetch.fetch();
                }
                String now = listing.commitOf(ref);
                String was = current.get().commit();
                if (!now.equals(was)) {
                    current.set(tree(listing.call(now)));
                    notes.accept("mlv: " + followName + " moved to " + now.substring(0, 12) + "; new opens read it");
                }
            } catch (MlvException | RuntimeException e) {
                log.warn("following {}: {}", followName, e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private MountTree tree(TreeListing.Result listing) {
        return MountTree.of(listing, file -> reads.openChannel(file), this::submodule);
    }

    /**
     * A submodule's pinned commit, when its checkout (at its path in this work tree) is an mlv or
     * Git repository holding that commit; otherwise null, and the directory stays empty.
     */
    private MountTree.Submodule submodule(String relative, String commit) {
        if (repo.isBare()) {
            return null;
        }
        String inRepo = options.path().isEmpty() ? relative : options.path().replaceAll("/+$", "") + "/" + relative;
        Path checkout = repo.directory().resolve(inRepo).normalize();
        if (!Files.exists(checkout.resolve(".git"))) {
            return null;
        }
        try {
            MlvRepository sub = submodules.get(inRepo);
            if (sub == null) {
                sub = MlvRepository.open(checkout);
                if (!sub.directory().equals(checkout)) {
                    sub.close();
                    return null;
                }
                submodules.put(inRepo, sub);
                MountTree.Opener opener;
                try {
                    LazyReads subReads = openReads(sub);
                    opener = subReads::openChannel;
                } catch (MlvException e) {
                    log.warn("the submodule {} is read whole, not chunk by chunk: {}", inRepo, e.getMessage());
                    opener = dev.mlv.core.RepoFile::openChannel;
                }
                submoduleReads.put(inRepo, opener);
            }
            return new MountTree.Submodule(new TreeListing(sub).call(commit), submoduleReads.get(inRepo));
        } catch (MlvException e) {
            log.debug("submodule {} at {}: {}", inRepo, commit, e.getMessage());
            return null;
        }
    }

    /** Blocks until the file system is unmounted from outside ({@code fusermount -u DIR}). */
    public void awaitUnmount() throws InterruptedException {
        fs.destroyed.await();
    }

    /** Unmounts (lazily, so a reader still inside does not keep it mounted), then releases every open file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (poller != null) {
            // not shutdownNow: an interrupt inside a read closes the file channel JGit's and the
            // store's caches share with every other thread of the process
            poller.shutdown();
            try {
                poller.awaitTermination(UNMOUNT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        fs.umount();
        try {
            if (!fs.destroyed.await(UNMOUNT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not unmount within {} s", dir, UNMOUNT_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (MountPoints.typeAt(dir) != null) {
                MountPoints.unmount(dir);
            }
        } catch (MlvException e) {
            log.debug("checking {} after unmounting: {}", dir, e.getMessage());
        }
        release();
    }

    /** Closes the open files, the lazy reads and the submodules' repositories. */
    private void release() {
        fs.closeAll();
        opened.forEach(LazyReads::close);
        opened.clear();
        submodules.values().forEach(MlvRepository::close);
        submodules.clear();
        if (owned != null) {
            owned.close();
            owned = null;
        }
    }

    /**
     * The directory with its parent's links resolved, as /proc/self/mountinfo names mount points
     * ({@code /tmp} may be a link); not the directory itself, which a dead mount cannot resolve.
     */
    private static Path realPath(Path dir) {
        Path parent = dir.getParent();
        if (parent == null || dir.getFileName() == null) {
            return dir;
        }
        try {
            return parent.toRealPath().resolve(dir.getFileName());
        } catch (IOException e) {
            return dir; // reported as a missing mount point by MountPoints.prepare
        }
    }

    private static long ownerId(String attribute) throws MlvException {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:" + attribute)).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new MlvException("mlv mount needs Linux (/proc/self): " + e.getMessage(), e);
        }
    }
}
