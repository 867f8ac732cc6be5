package dev.mlv.core.internal;

import dev.mlv.git.ContentStore;
import dev.mlv.store.ChunkStore;
import dev.mlv.store.Oid;
import dev.mlv.store.Pointer;
import dev.mlv.store.ProgressListener;
import dev.mlv.store.PutResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The repository's local chunk store as the filters see it. Opens the store on first use and
 * counts what puts stored, so a command can report new versus reused bytes.
 */
public final class RepoContent implements ContentStore, AutoCloseable {
    /** How long a writer waits for a running gc before giving up. */
    public static final java.time.Duration WRITER_WAIT = java.time.Duration.ofMinutes(5);

    private final Path dir;
    private final Path lockFile;
    private ChunkStore store;
    /** Taken shared at the first put and held until close, so gc never sees stored but uncommitted content. */
    private dev.mlv.store.StoreLock writeLock;
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong logicalBytes = new AtomicLong();
    private final AtomicLong newBytes = new AtomicLong();
    private final AtomicLong reusedBytes = new AtomicLong();

    /** Fetches file versions missing from the local store; false when there is nowhere to fetch from. */
    public interface Fetcher {
        boolean fetch(java.util.Collection<Oid> oids) throws IOException;
    }

    private Fetcher fetcher;
    private volatile ProgressListener progress = ProgressListener.NONE;
    /** Where puts report: {@link #progress}, except while only reads are reported. */
    private volatile ProgressListener putProgress = ProgressListener.NONE;

    /** Ends an operation's reporting (see {@link #reportTo}). */
    public interface Reporting extends AutoCloseable {
        @Override
        void close();
    }

    public RepoContent(Path dir, Path lockFile) {
        this.dir = dir;
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }

    /** Takes the store lock shared (once; held until {@link #close}) before anything is stored. */
    public synchronized void lockForWriting() throws IOException {
        if (writeLock == null) {
            writeLock = dev.mlv.store.StoreLock.acquire(lockFile, dev.mlv.store.StoreLock.Mode.SHARED, WRITER_WAIT, "write");
            maintainIndexes(); // a store many packs past its multi-pack index is slow to search: fold them in first
        }
    }

    /** Consolidates the store's multi-pack index when enough packs were added; a failure only costs speed. */
    private void maintainIndexes() throws IOException {
        store().maintainIndexes();
    }

    /** Lets {@link #open} fetch a missing file from a remote store first (lazy content). */
    public synchronized void setFetcher(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    public Path dir() {
        return dir;
    }

    /** Creates the store if it does not exist; true when it was created. */
    public synchronized boolean initialize() throws IOException {
        boolean existed = Files.exists(dir.resolve("config.json"));
        if (store == null) {
            store = ChunkStore.init(dir);
        }
        return !existed;
    }

    /** The store, opened (and created if missing) on first use. */
    public synchronized ChunkStore store() throws IOException {
        if (store == null) {
            store = ChunkStore.init(dir);
        }
        return store;
    }

    /**
     * Closes the store and opens it afresh: a new view of its packs, after a repair has set some
     * aside (an open store keeps the locations it loaded).
     */
    public synchronized ChunkStore reopen() throws IOException {
        if (store != null) {
            store.close();
            store = null;
        }
        return store();
    }

    /**
     * Until the returned handle is closed, reports to {@code listener} the bytes every put stores
     * and every read of content returns: one operation's progress, whether the content moves
     * through the filters (train-commit, switch, clone's checkout) or is read directly (cat, export).
     */
    public Reporting reportTo(ProgressListener listener) {
        ProgressListener previous = progress;
        ProgressListener previousPuts = putProgress;
        progress = listener;
        putProgress = listener;
        return () -> {
            progress = previous;
            putProgress = previousPuts;
        };
    }

    /**
     * As {@link #reportTo}, for reads only: a checkout's progress is the content it writes out,
     * not the files Git cleans again to see whether they changed (a racily clean file is cleaned
     * by each of JGit's checks, which counted it twice).
     */
    public Reporting reportReadsTo(ProgressListener listener) {
        ProgressListener previous = progress;
        ProgressListener previousPuts = putProgress;
        progress = listener;
        putProgress = ProgressListener.NONE;
        return () -> {
            progress = previous;
            putProgress = previousPuts;
        };
    }

    @Override
    public Pointer put(InputStream content) throws IOException {
        lockForWriting();
        return count(store().put(content, putProgress));
    }

    /** As {@link #put}, keeping what a later {@link #append} resumes from (see {@link ChunkStore#putAppendable}). */
    public Pointer putAppendable(InputStream content) throws IOException {
        lockForWriting();
        return count(store().putAppendable(content));
    }

    /**
     * Stores {@code base}'s content followed by {@code tail}, reading only the base's last chunk
     * ({@link ChunkStore#append}); the base is fetched first when missing, like {@link #open}.
     */
    public Pointer append(Pointer base, InputStream tail) throws IOException {
        prefetch(java.util.List.of(base.oid()));
        lockForWriting();
        return count(store().append(base.oid(), base.size(), tail));
    }

    /** Puts into shared packs, durable at {@link ContentStore.Batch#flush} (see {@link ChunkStore#batch}). */
    @Override
    public ContentStore.Batch batch() throws IOException {
        lockForWriting();
        dev.mlv.store.PutBatch batch = store().batch(putProgress);
        return new ContentStore.Batch() {
            @Override
            public Pointer put(InputStream content) throws IOException {
                return count(batch.put(content));
            }

            @Override
            public boolean has(Oid oid) throws IOException {
                return RepoContent.this.has(oid);
            }

            @Override
            public InputStream open(Oid oid) throws IOException {
                return RepoContent.this.open(oid);
            }

            @Override
            public void flush() throws IOException {
                batch.flush();
            }

            @Override
            public void close() throws IOException {
                batch.close();
            }
        };
    }

    /** This store with puts that are appendable, for cleaning files that grow by appends. */
    public ContentStore appendable() {
        return new ContentStore() {
            @Override
            public Pointer put(InputStream content) throws IOException {
                return putAppendable(content);
            }

            @Override
            public boolean has(Oid oid) throws IOException {
                return RepoContent.this.has(oid);
            }

            @Override
            public InputStream open(Oid oid) throws IOException {
                return RepoContent.this.open(oid);
            }
        };
    }

    private Pointer count(PutResult result) {
        files.incrementAndGet();
        logicalBytes.addAndGet(result.logicalBytes());
        newBytes.addAndGet(result.newBytes());
        reusedBytes.addAndGet(result.reusedBytes());
        return result.pointer();
    }

    @Override
    public boolean has(Oid oid) throws IOException {
        return store().has(oid);
    }

    @Override
    public InputStream open(Oid oid) throws IOException {
        return reported(fetchedStore(oid).open(oid));
    }

    @Override
    public InputStream open(Pointer pointer) throws IOException {
        return reported(fetchedStore(pointer.oid()).open(pointer.oid(), pointer.size()));
    }

    /**
     * A work-tree file that holds version {@code oid} as far as its size, modification time and
     * file key (inode) say, the rule by which status and commit trust a work tree. Offered to the
     * checkout that replaces it ({@link #offerPrevious}), so the chunks the new version shares
     * with it are copied from it instead of read from packs.
     */
    public record PreviousFile(Path file, Oid oid, long size, java.nio.file.attribute.FileTime modified, Object fileKey) {
        /** The file as it is now, claimed to hold {@code oid}; null when it is not a regular file. */
        public static PreviousFile of(Path file, Oid oid) throws IOException {
            java.nio.file.attribute.BasicFileAttributes a;
            try {
                a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                return null;
            }
            return a.isRegularFile() ? new PreviousFile(file, oid, a.size(), a.lastModifiedTime(), a.fileKey()) : null;
        }

        /** Whether the file is still the one described (a file replaced since then, or touched, is not). */
        public boolean unchanged() throws IOException {
            PreviousFile now = of(file, oid);
            return now != null && now.size == size && now.modified.equals(modified) && java.util.Objects.equals(now.fileKey, fileKey);
        }
    }

    /** The files a running checkout may copy shared chunks from, by the oid of the version that replaces them. */
    private final java.util.Map<Oid, PreviousFile> previous = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Until the handle is closed, a checkout writing version {@code k} of a file may copy what it
     * shares with {@code previous.get(k)} from that file. Each offer is used at most once: a file
     * replaced by the checkout no longer holds its old version.
     */
    public Reporting offerPrevious(java.util.Map<Oid, PreviousFile> offers) {
        previous.putAll(offers);
        return () -> offers.keySet().forEach(previous::remove);
    }

    /** Files a download may write out whole for the running checkout (see {@link #writeOnDownload}); null for none. */
    private volatile java.util.Set<Oid> writeOnDownload;
    /** Those it wrote, checked against their oids, not yet taken by the checkout. */
    private final java.util.Map<Oid, Path> downloaded = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Until the handle is closed, a download into this store ({@link ContentRemote#download}) also
     * writes each of {@code files} that a checkout stages (under {@link CheckoutFile#WORTH_IT}) and
     * whose chunks it all fetches into a temp file of the store, checked against its oid as the
     * chunks arrive, and a checkout writing one of them into the work tree ({@link #takeDownloaded})
     * moves that file instead of writing it from the store again. Nothing is asked when the store is
     * on another file system than {@code workTree} (a rename could not move the file). Closing
     * removes the files not taken.
     */
    public Reporting writeOnDownload(java.util.Collection<Pointer> files, Path workTree) throws IOException {
        java.util.Set<Oid> oids = new java.util.HashSet<>();
        files.stream().filter(p -> p.size() < CheckoutFile.WORTH_IT).forEach(p -> oids.add(p.oid()));
        if (oids.isEmpty()) {
            return () -> { };
        }
        Path tmp = Files.createDirectories(dir.resolve(dev.mlv.store.backend.LocalBackend.TMP_DIR));
        if (!Files.getFileStore(tmp).equals(Files.getFileStore(workTree))) {
            return () -> { };
        }
        writeOnDownload = oids;
        return () -> {
            writeOnDownload = null;
            for (Path p : downloaded.values()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    org.slf4j.LoggerFactory.getLogger(RepoContent.class).warn("cannot remove the temp file {}: {}", p, e.getMessage());
                }
            }
            downloaded.clear();
        };
    }

    /** The files a download should write out whole (see {@link #writeOnDownload}); null for none. */
    java.util.Set<Oid> downloadWanted() {
        return writeOnDownload;
    }

    /** Takes over the files a download wrote out whole and checked. */
    void downloaded(java.util.Map<Oid, Path> files) {
        downloaded.putAll(files);
    }

    /**
     * A temp file of the store holding version {@code oid}, written whole by the download and
     * checked against the oid (see {@link #writeOnDownload}), now the caller's to move or remove;
     * null when there is none. Each is taken at most once.
     */
    public Path takeDownloaded(Pointer pointer) {
        Path file = downloaded.remove(pointer.oid());
        if (file != null) {
            progress.bytesDone(pointer.size()); // as a checkout's write from the store reports it
        }
        return file;
    }

    /**
     * Writes the content into a checkout's new file with large writes, every chunk read from a pack
     * checked against its id; chunks shared with the file this one replaces, when it was offered
     * ({@link #offerPrevious}) and is unchanged, are copied from it inside the kernel. When that
     * file (of {@link CheckoutFile#WORTH_IT} or more) differs from the new version in a few ranges
     * only, is linked nowhere else, open in no other process, and the checkout writes beside it, it is rewritten in those ranges instead and becomes the
     * checkout's file ({@link CheckoutFile#mayRewriteInPlace}). Any other stream gets the content
     * as {@link #open(Pointer)} streams it.
     */
    @Override
    public void writeTo(Pointer pointer, java.io.OutputStream out) throws IOException {
        PreviousFile offer = previous.remove(pointer.oid());
        if (!(out instanceof java.io.FileOutputStream file)) {
            ContentStore.super.writeTo(pointer, out);
            return;
        }
        java.nio.channels.FileChannel channel = file.getChannel();
        if (channel.position() != 0 || channel.size() != 0) {
            ContentStore.super.writeTo(pointer, out);
            return;
        }
        ChunkStore s = fetchedStore(pointer.oid());
        // small files neither: finding the file and /proc's look at other processes (mayRewriteInPlace)
        // would cost more per file than they save, in a switch of thousands of shards
        Path written = pointer.size() >= CheckoutFile.WORTH_IT ? CheckoutFile.of(file) : null;
        if (written != null) {
            CheckoutFile.settle(written);
        }
        boolean inPlace = written != null && CheckoutFile.mayRewriteInPlace(written, offer);
        java.nio.channels.FileChannel old = inPlace ? openUnchanged(offer, true) : null;
        if (old == null && offer != null) { // not to be rewritten, or not writable: its chunks are still worth copying
            inPlace = false;
            old = openUnchanged(offer, false);
        }
        try (java.nio.channels.FileChannel previousFile = old) {
            if (inPlace && previousFile != null && rewriteInPlace(s, pointer, channel, written, offer, previousFile)) {
                return;
            }
            s.writeTo(pointer.oid(), pointer.size(), channel, offer == null ? null : offer.oid(), previousFile, progress);
            if (written != null && previousFile != null) {
                CheckoutFile.releaseReplaced(written, offer);
            }
        }
    }

    /**
     * Writes the content into {@code out}, an empty file of the caller's (not a checkout's), with
     * large writes, every chunk read from a pack checked against its id; fetched first like
     * {@link #open(Pointer)}. Chunks shared with the file it replaces, when that was offered
     * ({@link #offerPrevious}) and is unchanged, are copied from it instead. Safe to call from many
     * threads at once, each with its own file.
     */
    public void writeTo(Pointer pointer, java.nio.channels.FileChannel out) throws IOException {
        ChunkStore s = fetchedStore(pointer.oid());
        PreviousFile offer = previous.remove(pointer.oid());
        try (java.nio.channels.FileChannel previousFile = offer == null ? null : openUnchanged(offer, false)) {
            s.writeTo(pointer.oid(), pointer.size(), out, previousFile == null ? null : offer.oid(), previousFile, progress);
        }
    }

    /**
     * Makes the offered file the new version by rewriting only the ranges where the versions differ
     * ({@link ChunkStore#rewriteInPlace}, staging the checked chunks in the checkout's file
     * {@code written}), then puts it where the checkout will rename its file from. False, with
     * nothing changed, when the versions differ too much for that to pay.
     */
    private boolean rewriteInPlace(ChunkStore s, Pointer pointer, java.nio.channels.FileChannel staging, Path written,
                                   PreviousFile offer, java.nio.channels.FileChannel previousFile) throws IOException {
        try (java.nio.channels.FileChannel stagingIn = java.nio.channels.FileChannel.open(written, java.nio.file.StandardOpenOption.READ)) {
            if (!s.rewriteInPlace(pointer.oid(), pointer.size(), staging, stagingIn, offer.oid(), previousFile, progress)) {
                return false;
            }
        }
        CheckoutFile.takeOver(written, offer);
        return true;
    }

    /**
     * The offered file, opened (for writing too when it is to be rewritten in place), when it is
     * still as offered; null (the content then comes from packs) otherwise.
     */
    private static java.nio.channels.FileChannel openUnchanged(PreviousFile offer, boolean forWriting) {
        java.nio.channels.FileChannel channel = null;
        try {
            channel = forWriting
                    ? java.nio.channels.FileChannel.open(offer.file(), java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)
                    : java.nio.channels.FileChannel.open(offer.file(), java.nio.file.StandardOpenOption.READ);
            if (offer.size() > 0 && offer.unchanged()) { // checked after opening: the open file is the one checked
                return channel;
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(RepoContent.class).debug("not copying from {}: {}", offer.file(), e.getMessage());
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // opened for reading only: nothing to lose
            }
        }
        return null;
    }

    private InputStream reported(InputStream in) {
        ProgressListener listener = progress;
        return listener == ProgressListener.NONE ? in : new ReportingStream(in, listener);
    }

    /** Content as read, each read reported to the listener that was current when it was opened. */
    private static final class ReportingStream extends java.io.FilterInputStream {
        private final ProgressListener listener;

        ReportingStream(InputStream in, ProgressListener listener) {
            super(in);
            this.listener = listener;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                listener.bytesDone(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                listener.bytesDone(n);
            }
            return n;
        }

        /** The wrapped stream's own transfer (large writes), counted as it goes. */
        @Override
        public long transferTo(java.io.OutputStream out) throws IOException {
            return in.transferTo(new java.io.FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    listener.bytesDone(len);
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    listener.bytesDone(1);
                }
            });
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            if (skipped > 0) {
                listener.bytesDone(skipped);
            }
            return skipped;
        }
    }

    /** The size of the content stored under {@code oid} (its manifest's), fetched first like {@link #open(Oid)}. */
    public long storedSize(Oid oid) throws IOException {
        return fetchedStore(oid).manifest(oid).size();
    }

    /** Fetches in one batch what of {@code oids} the local store lacks, when a fetcher is set. */
    @Override
    public void prefetch(java.util.Collection<Oid> oids) throws IOException {
        Fetcher f;
        synchronized (this) {
            f = fetcher;
        }
        if (f == null) {
            return;
        }
        ChunkStore s = store();
        java.util.List<Oid> missing = new java.util.ArrayList<>();
        for (Oid oid : oids) {
            if (!s.has(oid)) {
                missing.add(oid);
            }
        }
        if (!missing.isEmpty()) {
            f.fetch(missing);
        }
    }

    /** Random access to a file's content, fetched first like {@link #open(Oid)}. */
    public java.nio.channels.SeekableByteChannel openChannel(Oid oid) throws IOException {
        return fetchedStore(oid).openChannel(oid);
    }

    /** The store, after fetching the oid from the remote when it is missing and a fetcher is set. */
    private ChunkStore fetchedStore(Oid oid) throws IOException {
        prefetch(java.util.List.of(oid));
        return store();
    }

    /** What the puts since the last call stored; resets the counters. */
    public synchronized PutTotals takeTotals() {
        return new PutTotals(files.getAndSet(0), logicalBytes.getAndSet(0), newBytes.getAndSet(0), reusedBytes.getAndSet(0));
    }

    /** Sums of put results. */
    public record PutTotals(long files, long logicalBytes, long newBytes, long reusedBytes) {
    }

    @Override
    public synchronized void close() {
        if (writeLock != null) {
            if (store != null) {
                store.maintainIndexes(); // still under the lock
            }
            try {
                writeLock.close();
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(RepoContent.class).warn("releasing the store lock: {}", e.getMessage());
            }
            writeLock = null;
        }
        if (store != null) {
            try {
                store.close();
            } catch (IOException e) {
                // nothing was being written: closing only releases read handles
                org.slf4j.LoggerFactory.getLogger(RepoContent.class).warn("closing the store: {}", e.getMessage());
            }
            store = null;
        }
    }
}
