package dev.mlv.git;

import static org.eclipse.jgit.lib.Constants.OBJ_BLOB;

import dev.mlv.store.FileReadStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jgit.attributes.Attribute;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuildIterator;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.NameConflictTreeWalk;
import org.eclipse.jgit.treewalk.TreeWalk.OperationType;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;

/**
 * Stages the whole work tree into the index, like {@code git add -A}: new and modified files are
 * added, deleted ones removed, ignored untracked files skipped. Unlike JGit's {@code AddCommand},
 * a file whose stat data matches its index entry is not read at all, and a large file
 * ({@code filter=mlv}) is read exactly once: straight into the store, its pointer into Git. The
 * large files of one staging share packs ({@link ContentStore#batch}), made durable before the
 * index is written. Large files are stored by {@link #WORKERS} threads at once (the tree walk
 * and Git's blobs stay on the calling thread, in path order), so hashing and chunking the shards
 * of a checkpoint uses every core.
 *
 * <p>With nothing to store, the store is not opened (nor its lock taken), and with nothing to
 * change in the index, the index is not written. A racily clean large file (its entry marked by
 * JGit because the index was written in the file's timestamp slot) is checked by one SHA-256
 * pass ({@link LargeFileTreeIterator}), not cleaned into the store again. When stat data alone
 * shows nothing changed ({@link StatCheck}), the work tree is not walked at all.
 */
public final class Stager {
    /** Threads storing large files at once: one per core. */
    static final int WORKERS = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));

    private final MlvGitRepository repo;
    private java.util.function.Predicate<String> gitlinkAllowed = path -> true;

    public Stager(MlvGitRepository repo) {
        this.repo = repo;
    }

    /**
     * Which paths may hold a gitlink (a submodule): staging one elsewhere throws
     * {@link UndeclaredGitlinkException} before the index changes.
     */
    public Stager setGitlinkAllowed(java.util.function.Predicate<String> allowed) {
        this.gitlinkAllowed = allowed;
        return this;
    }

    /**
     * Counts of what staging did.
     *
     * @param indexWritten whether the index was written (not when staging changed nothing in it)
     */
    public record Stats(int unchanged, int added, int largeStored, int removed, boolean indexWritten) {
    }

    private DirCache staged;

    /**
     * The index as the last {@link #stageAll} left it (written, or as it was on disk when nothing
     * changed), for reading without parsing the index file again; null before staging.
     */
    public DirCache staged() {
        return staged;
    }

    public Stats stageAll() throws IOException {
        int unchanged = 0;
        int added = 0;
        int large = 0;
        int removed = 0;
        int kept = 0; // entries of the index carried over as they were
        boolean refreshed = false;
        java.util.List<String> refused = new java.util.ArrayList<>();
        DirCache dc = repo.lockDirCache();
        if (StatCheck.unchanged(repo.getWorkTree().toPath(), repo.getIndexFile().toPath(), dc)) {
            // nothing to stage: the index stays as it is, and the tree walk is not needed
            dc.unlock();
            staged = dc;
            return new Stats(dc.getEntryCount(), 0, 0, 0, false);
        }
        boolean written = false;
        try (Inserters inserters = new Inserters(repo);
             LargeFiles largeFiles = new LargeFiles(repo.contentStore(), inserters);
             ObjectReader reader = repo.newObjectReader();
             NameConflictTreeWalk tw = new NameConflictTreeWalk(repo, reader)) {
            tw.setOperationType(OperationType.CHECKIN_OP);
            DirCacheBuilder builder = dc.builder();
            tw.addTree(new DirCacheBuildIterator(builder));
            // a racily clean large file costs one SHA-256 pass here, not a put into the store
            WorkingTreeIterator work = new LargeFileTreeIterator(repo);
            work.setDirCacheIterator(tw, 0);
            tw.addTree(work);
            byte[] lastAdded = null;
            while (tw.next()) {
                DirCacheIterator c = tw.getTree(0, DirCacheIterator.class);
                WorkingTreeIterator f = tw.getTree(1, WorkingTreeIterator.class);
                if (c == null && f != null && f.isEntryIgnored()) {
                    continue;
                }
                DirCacheEntry entry = c != null ? c.getDirCacheEntry() : null;
                if (entry != null && entry.getStage() > 0 && lastAdded != null
                        && lastAdded.length == tw.getPathLength() && tw.isPathPrefix(lastAdded, lastAdded.length) == 0) {
                    continue; // other stages of a conflicted path we already replaced
                }
                if (tw.isSubtree() && !tw.isDirectoryFileConflict()) {
                    tw.enterSubtree();
                    continue;
                }
                if (f == null) {
                    // gone from the work tree: dropped from the index, except submodules not checked out
                    if (entry != null && entry.getFileMode() == FileMode.GITLINK) {
                        if (!gitlinkAllowed.test(entry.getPathString())) {
                            refused.add(entry.getPathString());
                        }
                        builder.add(entry);
                        kept++;
                    } else if (entry != null) {
                        removed++;
                    }
                    continue;
                }
                if (entry != null && entry.isAssumeValid()) {
                    builder.add(entry);
                    kept++;
                    continue;
                }
                if ((f.getEntryRawMode() == FileMode.TYPE_TREE && f.getIndexFileMode(c) != FileMode.GITLINK)
                        || (f.getEntryRawMode() == FileMode.TYPE_GITLINK && f.getIndexFileMode(c) == FileMode.TREE)) {
                    tw.enterSubtree();
                    continue;
                }
                FileMode mode = f.getIndexFileMode(c);
                if (entry != null && entry.getStage() == 0 && mode == entry.getFileMode() && mode != FileMode.GITLINK) {
                    boolean smudged = entry.isSmudged();
                    if (!f.isModified(entry, false, reader)) {
                        // a racily clean entry found unchanged was unsmudged in memory: worth writing
                        refreshed |= smudged && !entry.isSmudged();
                        builder.add(entry);
                        kept++;
                        unchanged++;
                        continue;
                    }
                }
                byte[] path = tw.getRawPath();
                DirCacheEntry updated = new DirCacheEntry(path);
                updated.setFileMode(mode);
                if (mode == FileMode.GITLINK) {
                    if (!gitlinkAllowed.test(tw.getPathString())) {
                        refused.add(tw.getPathString());
                    }
                    updated.setLength(0);
                    updated.setLastModified(java.time.Instant.EPOCH);
                    updated.setObjectId(f.getEntryObjectId());
                } else {
                    updated.setLength(f.getEntryLength());
                    updated.setLastModified(f.getEntryLastModifiedInstant());
                    if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                        if (isLarge(tw)) {
                            // its object id is set once stored, before the index is written
                            largeFiles.store(((FileTreeIterator) f).getEntryFile().toPath(), updated);
                            large++;
                        } else {
                            updated.setObjectId(insertFiltered(f, inserters.next()));
                        }
                    } else {
                        updated.setObjectId(insertFiltered(f, inserters.next()));
                    }
                }
                builder.add(updated);
                lastAdded = path;
                added++;
            }
            if (!refused.isEmpty()) {
                throw new UndeclaredGitlinkException(refused);
            }
            largeFiles.finish();
            largeFiles.flush(); // the content is durable before any pointer to it is
            // an index that would be written back entry for entry as it is stays untouched
            if (added > 0 || refreshed || kept != dc.getEntryCount()) {
                builder.finish();
                cacheTrees(dc, inserters);
                inserters.flush();
                dc.write();
                dc.commit();
                written = true;
            } else {
                inserters.flush();
            }
            staged = dc;
        } finally {
            if (!written) {
                dc.unlock();
            }
        }
        return new Stats(unchanged, added, large, removed, written);
    }

    /**
     * Records the index's trees in it, as git's cache-tree extension: the commit that follows then
     * takes the root tree from the index instead of hashing every entry, and comparing the index
     * with HEAD skips every subtree they share (see {@code WorkTreeChanges.staged}). An index with
     * unmerged entries has no trees; the commit refuses it.
     */
    private static void cacheTrees(DirCache dc, Inserters inserters) throws IOException {
        for (int i = 0; i < dc.getEntryCount(); i++) {
            if (dc.getEntry(i).getStage() != 0) {
                return;
            }
        }
        dc.writeTree(inserters.next());
    }

    /**
     * Where new blobs go: loose objects for the first few, as git add makes them, then one pack for
     * the rest, so a sharded checkpoint of thousands of files costs one file in .git/objects, not
     * one each (creating those files was a fifth of such a commit's time).
     */
    private static final class Inserters implements AutoCloseable {
        private static final int LOOSE = 64;
        private final MlvGitRepository repo;
        private final ObjectInserter loose;
        private ObjectInserter packed;
        private int count;

        Inserters(MlvGitRepository repo) {
            this.repo = repo;
            this.loose = repo.newObjectInserter();
        }

        ObjectInserter next() {
            if (++count <= LOOSE) {
                return loose;
            }
            if (packed == null) {
                packed = repo.getObjectDatabase().newPackInserter();
            }
            return packed;
        }

        void flush() throws IOException {
            loose.flush();
            if (packed != null) {
                packed.flush();
            }
        }

        @Override
        public void close() {
            loose.close();
            if (packed != null) {
                packed.close();
            }
        }
    }

    /**
     * Stores large files on {@link #WORKERS} threads; their pointers go into Git on the calling
     * thread in the order the files were found (Git's inserters are not thread-safe). At most a
     * few files are in flight, so memory stays bounded by the store's read buffers. The store's
     * batch (and with it the store and its lock) is opened by the first file to store.
     */
    private static final class LargeFiles implements AutoCloseable {
        private record Pending(DirCacheEntry entry, java.util.concurrent.Future<byte[]> blob) {
        }

        private final ContentStore store;
        private final Inserters inserters;
        private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
        private ContentStore.Batch batch;
        private java.util.concurrent.ExecutorService pool;

        LargeFiles(ContentStore store, Inserters inserters) {
            this.store = store;
            this.inserters = inserters;
        }

        void store(java.nio.file.Path file, DirCacheEntry entry) throws IOException {
            if (batch == null) {
                batch = store.batch();
            }
            ContentStore.Batch target = batch;
            if (pool == null) {
                pool = java.util.concurrent.Executors.newFixedThreadPool(WORKERS, r -> {
                    Thread t = new Thread(r, "mlv-stage");
                    t.setDaemon(true);
                    return t;
                });
            }
            pending.add(new Pending(entry, pool.submit(() -> {
                try (InputStream in = FileReadStream.open(file)) {
                    return CleanRule.clean(in, target).blob();
                }
            })));
            while (pending.size() > 2 * WORKERS) {
                insertNext();
            }
        }

        /** Makes what was stored durable (see {@link ContentStore.Batch#flush}); nothing when nothing was. */
        void flush() throws IOException {
            if (batch != null) {
                batch.flush();
            }
        }

        /** Waits for every file submitted: their pointers are in Git's inserters on return. */
        void finish() throws IOException {
            while (!pending.isEmpty()) {
                insertNext();
            }
        }

        private void insertNext() throws IOException {
            Pending p = pending.poll();
            byte[] blob;
            try {
                blob = p.blob().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while storing " + p.entry().getPathString());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IOException("storing " + p.entry().getPathString() + " failed: " + e.getCause(), e.getCause());
            }
            p.entry().setObjectId(inserters.next().insert(OBJ_BLOB, blob));
        }

        /** Stops the workers; after a failure, waits for the running ones, then closes the batch. */
        @Override
        public void close() throws IOException {
            try {
                stopWorkers();
            } finally {
                if (batch != null) {
                    batch.close();
                }
            }
        }

        private void stopWorkers() {
            if (pool == null) {
                return;
            }
            for (Pending p : pending) {
                p.blob().cancel(true);
            }
            pending.clear();
            pool.shutdownNow();
            boolean interrupted = false;
            while (true) {
                try {
                    if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isLarge(NameConflictTreeWalk tw) {
        Attribute filter = tw.getAttributes().get("filter");
        return filter != null && LargeFileFilters.DRIVER.equals(filter.getValue());
    }

    /** An ordinary file, through whatever other filters and conversions its attributes ask for. */
    private static ObjectId insertFiltered(WorkingTreeIterator f, ObjectInserter inserter) throws IOException {
        long len = f.getEntryContentLength();
        try (InputStream in = f.openEntryStream()) {
            return inserter.insert(OBJ_BLOB, len, in);
        }
    }
}
