package dev.mlv.core.workspace.internal;

import dev.mlv.core.AtomicFiles;
import dev.mlv.core.ErrorKind;
import dev.mlv.core.MlvException;
import dev.mlv.core.MlvRepository;
import dev.mlv.core.internal.CheckoutFile;
import dev.mlv.core.internal.Pointers;
import dev.mlv.core.internal.RepoContent;
import dev.mlv.git.LargeFileFilters;
import dev.mlv.store.ContentNotFoundException;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.Pointer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CoreConfig.EolStreamType;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The large files of a checkout (pull, clone, switch, promote) written many at once, ahead of
 * JGit's checkout, which writes one file at a time: a sharded checkpoint of thousands of files
 * spent most of a pull there.
 *
 * <p>{@link #stage} writes each file's content from the local store (every chunk checked against its
 * id) into a temp file beside it ({@code .NAME.RANDOM.mlv-tmp}), on a few threads, before the work
 * tree, the index or any ref changes: a damaged chunk fails it with all its temp files removed.
 * {@link #install} renames them into place and gives each a fresh index entry with its size and
 * modification time, as JGit's checkout would; the checkout that follows finds index and new tree
 * agreeing on those paths and leaves them alone, writing only the rest (small files, links,
 * removals), and {@code IndexRefresh} then clears the racily-clean marks as for any checkout.
 *
 * <p>Only the plain case is staged, everything else is left to JGit as before: a regular file of
 * the new tree whose blob is a pointer that mlv's smudge filter turns into fewer than
 * {@link CheckoutFile#WORTH_IT} bytes (larger files keep the checkout's own handling of ext4's
 * forced write-backs and in-place rewrites, and would cost their whole size in temp space), replacing
 * nothing or a clean regular file whose index entry is HEAD's, under real directories of the work
 * tree (no symlink or file in the way, which JGit's checkout sorts out).
 */
public final class LargeFileCheckout implements AutoCloseable {
    /** Writers: a chunk's check is SHA-256 on a core; a second thread per core overlaps the file system calls. */
    static final int THREADS = Math.max(2, Math.min(8, 2 * Runtime.getRuntime().availableProcessors()));
    /** Longer names are left to JGit, whose temp file names cut them: {@code .NAME.UUID.mlv-tmp} must fit in 255 characters. */
    private static final int MAX_NAME = 200;

    private record Plan(String path, Path file, ObjectId blob, Pointer pointer, RepoContent.PreviousFile replaced) {
    }

    private record Staged(Plan plan, Path temp, long size, Instant modified) {
    }

    private final List<Staged> staged;
    private final List<Path> createdDirs;
    private int installed = -1;

    private LargeFileCheckout(List<Staged> staged, List<Path> createdDirs) {
        this.staged = staged;
        this.createdDirs = createdDirs;
    }

    /**
     * Writes the large files that moving the work tree from {@code fromTree} (HEAD's, null for a
     * first checkout) to {@code toTree} needs into temp files beside them. On failure nothing is left:
     * INTEGRITY for a damaged chunk, NOT_FOUND for content missing from the store, each naming
     * {@code what} ("pull origin/main").
     */
    public static LargeFileCheckout stage(MlvRepository repo, ObjectReader reader, DirCache index, ObjectId fromTree,
                                          ObjectId toTree, String what) throws MlvException, IOException {
        Path workTree = repo.workTree().toAbsolutePath().normalize();
        List<Path> createdDirs = new ArrayList<>();
        List<Plan> plans;
        try {
            plans = plan(repo, workTree, reader, index, fromTree, toTree, createdDirs);
        } catch (IOException | RuntimeException e) {
            removeDirs(createdDirs);
            throw e;
        }
        LargeFileCheckout checkout = new LargeFileCheckout(new ArrayList<>(), createdDirs);
        if (plans.isEmpty()) {
            return checkout;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, plans.size()), r -> {
            Thread t = new Thread(r, "mlv-checkout");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<Staged>> writes = new ArrayList<>(plans.size());
            for (Plan p : plans) {
                writes.add(pool.submit(() -> failed.get() ? null : write(repo.content(), p, failed)));
            }
            Throwable failure = null;
            for (Future<Staged> w : writes) { // every write is waited for: none may outlive a failure's clean-up
                try {
                    Staged s = w.get();
                    if (s != null) {
                        checkout.staged.add(s);
                    }
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return checkout;
        } catch (Throwable e) {
            checkout.close();
            throw failed(e, what);
        } finally {
            pool.shutdown();
        }
    }

    private static MlvException failed(Throwable e, String what) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new MlvException("cannot " + what + ": interrupted; nothing was changed", e);
        }
        if (e instanceof CorruptContentException) {
            return MlvException.integrity("cannot " + what + ": " + e.getMessage() + "; nothing was changed;"
                    + " 'mlv fsck' lists the damage", e);
        }
        if (e instanceof ContentNotFoundException) {
            return new MlvException(ErrorKind.NOT_FOUND, "cannot " + what + ": " + e.getMessage() + "; nothing was changed", e);
        }
        if (e instanceof IOException) {
            return new MlvException("cannot " + what + ": writing the work tree failed (" + e.getMessage()
                    + "); nothing was changed", e);
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) e;
    }

    /** One file into its temp file; the temp file is removed again if anything fails. */
    private static Staged write(RepoContent content, Plan p, AtomicBoolean failed) throws IOException {
        Path temp = moveDownloaded(content.takeDownloaded(p.pointer()), p.file());
        boolean written = temp != null;
        if (!written) {
            temp = AtomicFiles.newTempBeside(p.file());
        }
        try {
            if (!written) {
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    content.writeTo(p.pointer(), out);
                }
            }
            BasicFileAttributes a = Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.size() != p.pointer().size()) {
                throw new CorruptContentException(p.path() + " came out " + a.size() + " bytes, its pointer says " + p.pointer().size());
            }
            return new Staged(p, temp, a.size(), a.lastModifiedTime().toInstant());
        } catch (IOException | RuntimeException | Error e) {
            failed.set(true);
            deleteQuietly(temp);
            throw e;
        }
    }

    /**
     * Moves a file the pull's download wrote out whole and checked ({@link RepoContent#writeOnDownload})
     * to a new temp name beside {@code target}, and returns that; null, with the file removed, when
     * there is none or it cannot be moved. The name is new: ext4 writes a file renamed over another
     * out at once ({@code auto_da_alloc}), which cost a pull of 2,000 shards half a second.
     */
    private static Path moveDownloaded(Path downloaded, Path target) {
        if (downloaded == null) {
            return null;
        }
        try {
            return Files.move(downloaded, AtomicFiles.tempNameBeside(target), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(LargeFileCheckout.class).debug("writing {} from the store: {}", target, e.getMessage());
            deleteQuietly(downloaded);
            return null;
        }
    }

    /** The files to stage, in tree order, with the directories created for new ones. */
    private static List<Plan> plan(MlvRepository repo, Path workTree, ObjectReader reader, DirCache index, ObjectId fromTree,
                                   ObjectId toTree, List<Path> createdDirs) throws IOException {
        Map<Path, Boolean> dirs = new HashMap<>();
        dirs.put(workTree, true);
        List<Plan> plans = new ArrayList<>();
        try (TreeWalk tw = new TreeWalk(repo.git(), reader)) {
            if (fromTree == null) {
                tw.addTree(new EmptyTreeIterator());
            } else {
                tw.addTree(fromTree);
            }
            tw.addTree(toTree);
            tw.setRecursive(true);
            tw.setFilter(TreeFilter.ANY_DIFF);
            tw.setOperationType(TreeWalk.OperationType.CHECKOUT_OP);
            tw.setAttributesNodeProvider(repo.git().createAttributesNodeProvider());
            while (tw.next()) {
                FileMode before = tw.getFileMode(0);
                if (tw.getFileMode(1) != FileMode.REGULAR_FILE || before != FileMode.MISSING && before != FileMode.REGULAR_FILE) {
                    continue;
                }
                Pointer p = Pointers.read(reader, tw.getObjectId(1));
                if (p == null || p.size() >= CheckoutFile.WORTH_IT || !LargeFileFilters.isSmudge(tw.getSmudgeCommand(1))
                        || tw.getCheckoutEolStreamType(1) != EolStreamType.DIRECT) {
                    continue;
                }
                String path = tw.getPathString();
                Path file = workTree.resolve(path);
                if (file.getFileName().toString().length() > MAX_NAME) {
                    continue;
                }
                DirCacheEntry entry = index.getEntry(path);
                RepoContent.PreviousFile replaced = null;
                if (before == FileMode.MISSING) {
                    // an untracked file or folder in the way: JGit's checkout judges it
                    if (entry != null || Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                } else {
                    if (entry == null || entry.getStage() != DirCacheEntry.STAGE_0 || !entry.getObjectId().equals(tw.getObjectId(0))
                            || entry.getFileMode() != FileMode.REGULAR_FILE || entry.isAssumeValid() || entry.isSkipWorkTree()) {
                        continue;
                    }
                    replaced = RepoContent.PreviousFile.of(file, null);
                    if (replaced == null) {
                        continue;
                    }
                }
                if (directoryReady(file.getParent(), dirs, createdDirs)) {
                    plans.add(new Plan(path, file, tw.getObjectId(1), p, replaced));
                }
            }
        }
        return plans;
    }

    /**
     * Whether {@code dir} is a real directory of the work tree (no symlink or file on the way), creating
     * the missing ones; results are remembered in {@code dirs}.
     */
    private static boolean directoryReady(Path dir, Map<Path, Boolean> dirs, List<Path> createdDirs) throws IOException {
        Boolean known = dirs.get(dir);
        if (known != null) {
            return known;
        }
        boolean ready = directoryReady(dir.getParent(), dirs, createdDirs);
        if (ready) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                a = null;
            }
            if (a == null) {
                Files.createDirectory(dir);
                createdDirs.add(dir);
            } else {
                ready = a.isDirectory();
            }
        }
        dirs.put(dir, ready);
        return ready;
    }

    /**
     * Renames the staged files into place and records them in {@code index} (locked by the caller,
     * written by the checkout that follows) as fresh stage-0 entries with their size and modification
     * time. A file that changed since it was planned (or a path that appeared meanwhile) is left
     * alone, for the checkout to judge. Returns how many were installed.
     */
    public int install(DirCache index) throws IOException {
        Map<String, Staged> done = new HashMap<>();
        for (Staged s : staged) {
            Plan p = s.plan();
            boolean asPlanned = p.replaced() != null ? p.replaced().unchanged() : !Files.exists(p.file(), LinkOption.NOFOLLOW_LINKS);
            if (!asPlanned) {
                continue;
            }
            Files.move(s.temp(), p.file(), StandardCopyOption.ATOMIC_MOVE);
            done.put(p.path(), s);
        }
        installed = done.size();
        if (done.isEmpty()) {
            return 0;
        }
        DirCacheBuilder builder = index.builder();
        for (int i = 0; i < index.getEntryCount(); i++) {
            DirCacheEntry e = index.getEntry(i);
            if (!done.containsKey(e.getPathString())) {
                builder.add(e);
            }
        }
        for (Staged s : done.values()) {
            DirCacheEntry e = new DirCacheEntry(s.plan().path(), DirCacheEntry.STAGE_0);
            e.setFileMode(FileMode.REGULAR_FILE);
            e.setObjectId(s.plan().blob());
            e.setLength(s.size());
            e.setLastModified(s.modified());
            builder.add(e);
        }
        builder.finish();
        return done.size();
    }

    /**
     * Moves the work tree and index from {@code fromTree} (null: none) to {@code toTree} under one
     * lock of the index: the staged files installed, then JGit's checkout of the rest, which finds
     * the installed ones agreeing with the index and leaves them. Fails on an untracked file in the
     * way ({@link org.eclipse.jgit.errors.CheckoutConflictException}). Returns JGit's checkout, for
     * what it updated, removed or could not delete.
     */
    public org.eclipse.jgit.dircache.DirCacheCheckout checkout(org.eclipse.jgit.lib.Repository git, ObjectId fromTree,
                                                               ObjectId toTree) throws IOException {
        DirCache dc = git.lockDirCache();
        try {
            install(dc);
            org.eclipse.jgit.dircache.DirCacheCheckout co = fromTree == null
                    ? new org.eclipse.jgit.dircache.DirCacheCheckout(git, dc, toTree)
                    : new org.eclipse.jgit.dircache.DirCacheCheckout(git, fromTree, dc, toTree);
            co.setFailOnConflict(true);
            co.checkout();
            return co;
        } finally {
            dc.unlock();
        }
    }

    /** How many files {@link #install} put in place (0 before it ran). */
    public int installed() {
        return Math.max(0, installed);
    }

    /** Removes the temp files not installed, and, when nothing was, the directories made for them. */
    @Override
    public void close() {
        for (Staged s : staged) {
            deleteQuietly(s.temp());
        }
        if (installed < 0) {
            removeDirs(createdDirs);
        }
    }

    private static void removeDirs(List<Path> dirs) {
        for (int i = dirs.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(dirs.get(i));
            } catch (DirectoryNotEmptyException e) {
                // something else was put there meanwhile: it stays
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(LargeFileCheckout.class).debug("keeping {}: {}", dirs.get(i), e.getMessage());
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(LargeFileCheckout.class).warn("cannot remove the temp file {}: {}", file, e.getMessage());
        }
    }
}
