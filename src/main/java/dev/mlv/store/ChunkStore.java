package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.backend.LocalBackend;
import dev.mlv.store.manifest.Manifest;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackRecords;
import dev.mlv.store.pack.WriteBehind;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The chunked, content-addressed store: files are cut into content-defined chunks, chunks are
 * deduplicated and packed, and each file version is described by a manifest keyed by its oid.
 * Safe for concurrent use by several threads, instances and processes on one store: every writer
 * writes its own immutable, content-named objects and publishes them by atomic rename, data
 * before the objects that reference it. Never prints; reports progress through
 * {@link ProgressListener}.
 */
public final class ChunkStore implements Closeable {
    /**
     * Pack indexes written since the multi-pack index was last consolidated (or packs it names
     * that are gone) before a writer holding the store lock consolidates it
     * ({@link #maintainIndexes()}): lookups search each of those indexes on its own until then.
     */
    public static final int CONSOLIDATE_AFTER = 64;

    private final Backend backend;
    private final Path tmpDir;
    private final StoreOptions options;
    private final StoreConfig config;
    private final PackCatalog catalog;
    /** 0 until probed, then the direct I/O alignment or -1 (see {@link #directAlignment()}). */
    private volatile int directAlignment;

    private ChunkStore(Backend backend, Path tmpDir, StoreOptions options, StoreConfig config) throws IOException {
        this.backend = backend;
        this.tmpDir = tmpDir;
        this.options = options;
        this.config = config;
        this.catalog = new PackCatalog(backend); // opened on the first chunk lookup
    }

    /** Creates a store in {@code dir} (or opens it if it exists with the same parameters). */
    public static ChunkStore init(Path dir) throws IOException {
        return init(dir, StoreOptions.defaults());
    }

    public static ChunkStore init(Path dir, StoreOptions options) throws IOException {
        LocalBackend backend = new LocalBackend(dir);
        return init(new ManifestBundles(backend), backend.tmpDir(), options);
    }

    /**
     * Creates a store on a backend (or opens an existing one). {@code tmpDir} is a local directory
     * for staging packs and manifests before they are handed to the backend.
     */
    public static ChunkStore init(Backend backend, Path tmpDir, StoreOptions options) throws IOException {
        if (!backend.exists(StoreConfig.KEY)) {
            backend.write(StoreConfig.KEY, new StoreConfig(StoreConfig.FORMAT_VERSION, options.chunkerParams()).encode());
        }
        return open(backend, tmpDir, options);
    }

    /** Opens an existing store in {@code dir}. */
    public static ChunkStore open(Path dir) throws IOException {
        return open(dir, StoreOptions.defaults());
    }

    public static ChunkStore open(Path dir, StoreOptions options) throws IOException {
        if (!Files.isRegularFile(dir.resolve(StoreConfig.KEY))) {
            throw new ContentNotFoundException("no mlv store at " + dir + " (" + StoreConfig.KEY
                    + " is missing); initialise one first");
        }
        LocalBackend backend = new LocalBackend(dir);
        return open(new ManifestBundles(backend), backend.tmpDir(), options);
    }

    /**
     * Opens an existing store on a backend. Refuses a store whose format version or chunker
     * parameters differ from {@code options}.
     */
    public static ChunkStore open(Backend backend, Path tmpDir, StoreOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        if (!backend.exists(StoreConfig.KEY)) {
            throw new ContentNotFoundException("no mlv store at " + backend + " (" + StoreConfig.KEY
                    + " is missing); initialise one first");
        }
        StoreConfig config = StoreConfig.decode(backend + "/" + StoreConfig.KEY, backend.readAll(StoreConfig.KEY));
        if (!config.chunkerParams().equals(options.chunkerParams())) {
            throw new StoreConfigException("store at " + backend + " was created with chunker parameters '"
                    + config.chunkerParams().describe() + "' but this mlv uses '"
                    + options.chunkerParams().describe() + "'; a store never mixes the two: open it with the"
                    + " mlv version that created it, or create a new store");
        }
        Files.createDirectories(tmpDir);
        return new ChunkStore(backend, tmpDir, options, config);
    }

    public StoreConfig config() {
        return config;
    }

    public StoreOptions options() {
        return options;
    }

    /** Stores the content of {@code in} (read to its end, not closed). */
    public PutResult put(InputStream in) throws IOException {
        return put(in, ProgressListener.NONE);
    }

    public PutResult put(InputStream in, ProgressListener listener) throws IOException {
        return newIngest(listener).run(in);
    }

    /**
     * A batch of puts that share packs (about {@link StoreOptions#packSize} each) and the put
     * pipeline's buffers and threads; its content becomes durable at {@link PutBatch#flush}.
     */
    public PutBatch batch(ProgressListener listener) {
        return new PutBatch(newIngest(listener));
    }

    private Ingest newIngest(ProgressListener listener) {
        return new Ingest(backend, tmpDir, catalog, options, listener, directAlignment());
    }

    /**
     * Stores the content as {@link #put} does and keeps what an {@link #append} to it resumes
     * from. The whole-file hash is then computed by {@link ResumableSha256}, slower than the JDK's:
     * for files that grow by appends (monitoring, logs), not for models.
     */
    public PutResult putAppendable(InputStream in) throws IOException {
        return newIngest(ProgressListener.NONE).appendable().run(in);
    }

    /**
     * Stores file {@code base} followed by {@code tail}, at a cost that grows with the tail, not
     * with the base: only the base's last chunk and the tail are read, chunked and hashed (chunk
     * boundaries before the last chunk cannot move, since the chunker starts afresh at each one),
     * and the base's other chunks are referenced by id (36 bytes of manifest each). The hash goes
     * on from the state kept beside the base ({@link AppendState}); a base stored without one
     * (by {@link #put}) is hashed once up to its last chunk to recover it. The result is
     * appendable in turn. Refuses ({@link CorruptContentException}) a base whose stored size is not
     * {@code expectedSize}, the size its pointer claims.
     */
    public PutResult append(Oid base, long expectedSize, InputStream tail) throws IOException {
        Manifest m = manifest(base);
        if (m.size() != expectedSize) {
            throw new CorruptContentException("the pointer says " + expectedSize + " bytes but file " + base
                    + " has " + m.size() + " bytes in the store");
        }
        int last = m.chunkCount() - 1;
        if (last < 0) {
            return putAppendable(tail);
        }
        long start = m.chunkStart(last);
        ResumableSha256.State state = appendState(m, start);
        byte[] lastChunk = new byte[m.chunkLength(last)];
        try (SeekableByteChannel ch = new ContentChannel(m, catalog)) {
            ch.position(start);
            java.nio.ByteBuffer into = java.nio.ByteBuffer.wrap(lastChunk);
            while (into.hasRemaining()) {
                if (ch.read(into) < 0) {
                    throw new CorruptContentException("file " + base + " ends before its last chunk does");
                }
            }
        }
        return newIngest(ProgressListener.NONE).appendingTo(m, last, state)
                .run(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(lastChunk), tail));
    }

    /** The hash state of file {@code m} after {@code offset} bytes: kept, or computed from the file. */
    private ResumableSha256.State appendState(Manifest m, long offset) throws IOException {
        try {
            ResumableSha256.State kept = AppendState.decode(backend.readAll(StoreLayout.appendStateKey(m.oid())),
                    m.oid(), m.size(), offset);
            if (kept != null) {
                return kept;
            }
        } catch (ContentNotFoundException e) {
            // stored by a plain put: computed below
        }
        ResumableSha256 sha = new ResumableSha256();
        try (InputStream in = new ContentInputStream(m, catalog, false)) {
            byte[] buf = new byte[IoPieces.PIECE];
            long left = offset;
            while (left > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    throw new CorruptContentException("file " + m.oid() + " ends before byte " + offset);
                }
                sha.update(buf, 0, r);
                left -= r;
            }
        }
        return sha.state();
    }

    /**
     * The O_DIRECT alignment for pack staging files, or -1 to write through the page cache
     * (direct I/O is off in the options or the file system refuses it). Probed once per store.
     */
    private int directAlignment() {
        int a = directAlignment;
        if (a == 0) {
            a = options.directIo() ? WriteBehind.probeDirect(tmpDir) : -1;
            directAlignment = a;
        }
        return a;
    }

    public PutResult put(Path file) throws IOException {
        return put(file, ProgressListener.NONE);
    }

    public PutResult put(Path file, ProgressListener listener) throws IOException {
        try (InputStream in = FileReadStream.open(file)) {
            return put(in, listener);
        }
    }

    /** True if the file is stored (its manifest exists; its chunks were made durable before it). */
    public boolean has(Oid oid) throws IOException {
        return backend.exists(StoreLayout.manifestKey(oid));
    }

    /** The file's manifest: its ordered chunks, for range reads or comparing versions. */
    public Manifest manifest(Oid oid) throws IOException {
        String key = StoreLayout.manifestKey(oid);
        if (!backend.exists(key)) {
            throw new ContentNotFoundException("file " + oid + " is not in the store at " + backend);
        }
        Manifest m = Manifest.decode(key, backend.readAll(key));
        if (!m.oid().equals(oid)) {
            throw new CorruptContentException("manifest " + key + " describes file " + m.oid());
        }
        return m;
    }

    /**
     * Streams the file; fails with {@link CorruptContentException} on any mismatch. Each chunk is
     * checked against its id before its bytes are returned, and the chunks against the manifest's
     * order and lengths; the manifest itself is checked by its CRC32C. The whole content is not
     * hashed again: every manifest in a store was checked against its file's oid when it entered
     * the store (a put computes the oid from the bytes; a download rebuilds and hashes the file
     * before it writes the manifest), so verified chunks in the manifest's order are that content.
     * {@link #verify(Oid)} re-hashes the whole file.
     */
    public InputStream open(Oid oid) throws IOException {
        return new ContentInputStream(manifest(oid), catalog, false);
    }

    /**
     * Rebuilds a file from this store's chunks and checks it against its oid; for a manifest about
     * to be admitted (see {@link #open(Oid)}). Throws {@link CorruptContentException} on mismatch.
     */
    void checkRebuilds(Manifest m) throws IOException {
        // the chunks were just written through the page cache: read them from there; each was
        // checked against its id as it arrived, and the file's hash covers them all again
        try (InputStream in = new ContentInputStream(m, catalog, true).cachedReads().fileCheckOnly()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * Streams the file as {@link #open(Oid)}, refusing it ({@link CorruptContentException}) when
     * its stored size differs from {@code expectedSize}, the size its pointer claims.
     */
    public InputStream open(Oid oid, long expectedSize) throws IOException {
        Manifest m = manifest(oid);
        if (m.size() != expectedSize) {
            throw new CorruptContentException("the pointer says " + expectedSize + " bytes but file " + oid
                    + " has " + m.size() + " bytes in the store");
        }
        return new ContentInputStream(m, catalog, false);
    }

    /**
     * Writes the file into {@code out}, an empty file, as {@link #open(Oid, long)} would stream it
     * (refused when the stored size is not {@code expectedSize}; every chunk read from a pack is
     * checked against its id), with large writes. When {@code previousFile} is given, it holds file
     * {@code previous}'s content (the version this one replaces, as trusted by the caller): the chunks
     * both versions share are copied from it inside the kernel instead of being read from packs.
     * Returns the bytes copied from the previous file.
     */
    public long writeTo(Oid oid, long expectedSize, FileChannel out, Oid previous, FileChannel previousFile,
                        ProgressListener listener) throws IOException {
        Manifest m = manifest(oid);
        if (m.size() != expectedSize) {
            throw new CorruptContentException("the pointer says " + expectedSize + " bytes but file " + oid
                    + " has " + m.size() + " bytes in the store");
        }
        Manifest before = null;
        if (previousFile != null && previous != null && has(previous)) {
            before = manifest(previous);
            if (before.size() != previousFile.size()) {
                before = null; // not the version the caller thought: read everything from packs
            }
        }
        return FileRebuild.write(m, catalog, out, before, before == null ? null : previousFile, listener);
    }

    /**
     * Turns {@code file}, which holds file {@code previous} (as trusted by the caller), into file
     * {@code oid} by rewriting only the ranges where they differ, when those are a small part of it
     * ({@link InPlaceRewrite}): the chunks it needs are read from packs, checked, and staged in
     * {@code stagingOut}/{@code stagingIn} (one empty file) before {@code file} changes at all.
     * Returns false, having written nothing, when the rewrite would not pay or the previous version
     * is not as claimed; the caller then writes the file with {@link #writeTo}.
     */
    public boolean rewriteInPlace(Oid oid, long expectedSize, FileChannel stagingOut, FileChannel stagingIn, Oid previous,
                                  FileChannel file, ProgressListener listener) throws IOException {
        Manifest m = manifest(oid);
        if (m.size() != expectedSize) {
            throw new CorruptContentException("the pointer says " + expectedSize + " bytes but file " + oid
                    + " has " + m.size() + " bytes in the store");
        }
        if (!has(previous)) {
            return false;
        }
        Manifest before = manifest(previous);
        if (before.size() != file.size() || stagingOut.size() != 0) {
            return false;
        }
        return InPlaceRewrite.rewrite(m, catalog, stagingOut, stagingIn, before, file, listener);
    }

    /** Random access to the file; reads touch only the chunks they cover. */
    public SeekableByteChannel openChannel(Oid oid) throws IOException {
        return new ContentChannel(manifest(oid), catalog);
    }

    /**
     * How many chunks this instance has read from packs so far. A diagnostic: it shows that a
     * range read touched only the chunks it covers.
     */
    public long chunkReads() {
        return catalog.chunkReads();
    }

    /** Oids of all stored files, sorted. */
    public List<Oid> list() throws IOException {
        List<Oid> oids = new ArrayList<>();
        for (String key : backend.list(StoreLayout.MANIFESTS)) {
            Oid oid = StoreLayout.oidOf(key);
            if (oid != null) {
                oids.add(oid);
            }
        }
        oids.sort(null);
        return oids;
    }

    /** Re-hashes every chunk of every pack and checks every manifest's chunks exist. */
    public VerifyReport verify() throws IOException {
        return new StoreVerifier(backend, catalog).verifyAll();
    }

    /** Rebuilds one file from its chunks and checks it against its oid. */
    public VerifyReport verify(Oid oid) throws IOException {
        return new StoreVerifier(backend, catalog).verifyFile(oid, manifest(oid));
    }

    /**
     * Writes an index for every pack that has none (for example after a crash between a pack's
     * rename and its index's), from the pack's footer. Returns how many were written.
     */
    public int rebuildIndexes() throws IOException {
        int rebuilt = 0;
        for (String key : backend.list(StoreLayout.PACKS)) {
            byte[] packId = StoreLayout.packIdOf(key);
            if (packId == null || backend.exists(StoreLayout.indexKey(packId))) {
                continue;
            }
            PackRecords footer = PackFiles.readFooter(backend, key, packId);
            backend.write(StoreLayout.indexKey(packId), PackFiles.encodeIndex(footer));
            catalog.register(footer);
            rebuilt++;
        }
        return rebuilt;
    }

    /**
     * Checks that each of {@code files} can be rebuilt: packs against their indexes, each file's
     * manifest and chunks, and with {@code readDataPercent} > 0 that share of the packs re-hashed
     * (100 = all). With {@code repair}, lost or damaged indexes are rebuilt from pack footers first.
     */
    public CheckReport check(java.util.Collection<Oid> files, int readDataPercent, boolean repair) throws IOException {
        return new StoreCheck(backend, catalog).run(files, readDataPercent, repair);
    }

    /** Temp files of writes that have not finished, or never will (a killed writer's); see {@link StoreGc}. */
    public java.util.List<dev.mlv.store.backend.Backend.IncompleteWrite> incompleteWrites() throws IOException {
        return backend.listIncompleteWrites();
    }

    /**
     * Removes what {@code live} files do not need: unreachable manifests, packs without live
     * chunks, stale temp files; rewrites packs whose unused share exceeds {@code maxUnusedShare}
     * (0..1), and merges packs smaller than a quarter of the pack size into packs of about that size. Objects modified at or after {@code cutoff} are kept whatever they hold. The caller
     * must hold the store lock exclusively.
     */
    public GcReport gc(java.util.Set<Oid> live, java.time.Instant cutoff, double maxUnusedShare, boolean dryRun)
            throws IOException {
        return new StoreGc(backend, catalog, tmpDir, StoreGc.Guard.NONE, cutoff, cutoff, maxUnusedShare, dryRun, options)
                .run(live);
    }

    /**
     * Merges the pack indexes the multi-pack index does not cover into a new multi-pack index
     * (and drops packs it names that are gone), when at least {@code minChanges} such packs exist
     * or it is damaged; rebuilds it from the pack indexes when its checksum fails. Local stores
     * only; memory does not grow with the store. The caller holds the store lock.
     *
     * @return how many chunks the new multi-pack index holds, or -1 when none was written
     */
    public long consolidateIndexes(int minChanges) throws IOException {
        PackCatalog.Consolidation c = catalog.consolidate(Math.max(1, minChanges));
        return c == null ? -1 : c.chunks();
    }

    /**
     * {@link #consolidateIndexes} after {@value #CONSOLIDATE_AFTER} new packs: what a writer
     * holding the lock calls. A failure is logged, not thrown: it costs lookup speed, not data.
     */
    public long maintainIndexes() {
        try {
            return consolidateIndexes(CONSOLIDATE_AFTER);
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ChunkStore.class).warn("the multi-pack index was not updated: {}",
                    e.getMessage());
            return -1;
        }
    }

    /**
     * True once this instance has opened a pack index (a diagnostic: commands that never look a
     * chunk up, such as {@code status} or {@code ls-files}, never do).
     */
    public boolean indexOpened() {
        return catalog.opened();
    }

    public StoreStats stats() throws IOException {
        catalog.refresh();
        long files = 0;
        long logical = 0;
        for (String key : backend.list(StoreLayout.MANIFESTS)) {
            if (StoreLayout.oidOf(key) != null) {
                files++;
                logical += Manifest.decode(key, backend.readAll(key)).size();
            }
        }
        long[] chunks = catalog.index().countAndRawBytes();
        return new StoreStats(catalog.packCount(), chunks[0], files, logical, chunks[1], catalog.totalPackBytes());
    }

    Backend backend() {
        return backend;
    }

    PackCatalog catalog() {
        return catalog;
    }

    Path tmpDir() {
        return tmpDir;
    }

    @Override
    public void close() throws IOException {
        backend.close();
    }

    @Override
    public String toString() {
        return "ChunkStore[" + backend + "]";
    }
}
