package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.pack.ChunkCompressor;
import dev.mlv.store.backend.LocalBackend;
import dev.mlv.store.pack.MultiPackIndex;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackIndexFile;
import dev.mlv.store.pack.Slab;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packs this process knows of, where their chunks are ({@link ChunkLookup}), and verified
 * chunk reads. Nothing is read until the first lookup: commands that never look a chunk up never
 * open an index. The lookup then maps the multi-pack index ({@code index/multi-pack.midx}) and the
 * pack indexes it does not cover (packs written since it was last consolidated), and searches
 * them in place: memory is the page cache, not the heap, and opening costs the same at a million
 * chunks or a hundred million. A store remote's indexes are mapped from their local cache
 * ({@link IndexFiles}). A damaged multi-pack index is ignored with a warning (the pack indexes
 * stay the source of truth) and rebuilt by the next {@link #consolidate}.
 *
 * <p>Writers only ever add packs, so a miss is answered by listing {@code index/} again and
 * adding indexes not seen before. Only gc removes packs (after repacking their live chunks into
 * new ones): a reader that finds a pack gone {@linkplain #reload reloads} from what is there now
 * and reads again, so a long-running reader (serve, export --watch, the Java API) survives a gc.
 * A pack the multi-pack index names but whose index is gone counts as removed.
 */
final class PackCatalog {
    private static final Logger log = LoggerFactory.getLogger(PackCatalog.class);

    private final java.util.concurrent.atomic.AtomicLong chunkReads = new java.util.concurrent.atomic.AtomicLong();
    /**
     * Packs this instance wrote through the page cache (a download's): their pages are likely still
     * cached, so reading them back (a checkout right after a pull) goes through the cache instead of
     * {@code O_DIRECT}, which would fetch from the disk what memory already holds. A few keys per GiB.
     */
    private final java.util.Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Backend backend;
    /** Where index files are mapped from (the store's directory, a store remote's cache); null: read into the heap. */
    private final IndexFiles files;
    /** The store's directory when it is local, else null. */
    private final Path root;
    private volatile ChunkLookup lookup;
    private final List<byte[]> packIds = new ArrayList<>();
    private final List<Long> packSizes = new ArrayList<>();
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final Map<String, String> unreadableIndexes = new HashMap<>();
    /** Why the multi-pack index was ignored at the last load, or null. */
    private String midxProblem;
    /** Set when the mapped multi-pack index failed its checksum: this process no longer uses it. */
    private String midxDamaged;
    /** Packs the multi-pack index names whose index is gone, at the last load. */
    private int midxGonePacks;

    PackCatalog(Backend backend) {
        this.backend = backend;
        LocalBackend local = ManifestBundles.localOf(backend);
        this.root = local != null ? local.root() : null;
        this.files = local != null ? IndexFiles.of(local)
                : backend instanceof IndexFiles cached ? cached : null;
    }

    /** Where chunks are; opens the indexes on first use. */
    ChunkLookup index() throws IOException {
        ChunkLookup l = lookup;
        if (l == null) {
            synchronized (this) {
                if (lookup == null) {
                    lookup = load();
                }
                l = lookup;
            }
        }
        return l;
    }

    /** True once an index has been opened (diagnostics: commands that look up no chunk open none). */
    boolean opened() {
        return lookup != null;
    }

    /** Adds indexes written since the last call (by this or any other writer). */
    synchronized void refresh() throws IOException {
        if (lookup == null) {
            lookup = load();
            return;
        }
        for (String key : backend.list(StoreLayout.INDEX)) {
            byte[] id = StoreLayout.packIdOf(key);
            if (id != null && !ordinals.containsKey(Hex.encode(id)) && !unreadableIndexes.containsKey(key)) {
                addIndex(lookup, key, id);
            }
        }
    }

    /**
     * Rebuilds the lookup from the indexes the store holds now, dropping packs gc removed. A pack
     * keeps its ordinal, so a reader still holding the previous lookup names the same pack (and
     * finds it gone, and reloads too).
     */
    synchronized void reload() throws IOException {
        lookup = load();
    }

    private ChunkLookup load() throws IOException {
        List<String> keys = backend.list(StoreLayout.INDEX);
        Map<String, String> present = new HashMap<>();
        for (String key : keys) {
            byte[] id = StoreLayout.packIdOf(key);
            if (id != null) {
                present.put(Hex.encode(id), key);
            }
        }
        MultiPackIndex midx = openMultiPackIndex(keys);
        int[] midxOrdinals = null;
        java.util.Set<String> covered = new java.util.HashSet<>();
        midxGonePacks = 0;
        if (midx != null) {
            midxOrdinals = new int[midx.packCount()];
            for (int p = 0; p < midx.packCount(); p++) {
                byte[] id = midx.packId(p);
                String hex = Hex.encode(id);
                if (present.containsKey(hex)) {
                    midxOrdinals[p] = ordinalFor(id, midx.packSize(p));
                    covered.add(hex);
                } else {
                    midxOrdinals[p] = -1; // removed by gc (or set aside by a repair) since it was written
                    midxGonePacks++;
                }
            }
        }
        ChunkLookup fresh = new ChunkLookup(midx, midxOrdinals);
        if (midxGonePacks > 0) {
            // A chunk it places in a removed pack may be in another pack it covers: those are
            // searched through their own indexes, opened only if such a lookup happens.
            List<String> coveredKeys = new ArrayList<>();
            covered.forEach(hex -> coveredKeys.add(present.get(hex)));
            fresh.setCoveredIndexes(() -> {
                ChunkLookup each = new ChunkLookup(null, null);
                synchronized (this) {
                    for (String key : coveredKeys) {
                        try {
                            addIndex(each, key, StoreLayout.packIdOf(key));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }
                return each.parts();
            });
        }
        for (String key : keys) {
            byte[] id = StoreLayout.packIdOf(key);
            if (id != null && !covered.contains(Hex.encode(id)) && !unreadableIndexes.containsKey(key)) {
                addIndex(fresh, key, id);
            }
        }
        for (Map.Entry<String, Integer> e : ordinals.entrySet()) {
            if (!present.containsKey(e.getKey())) {
                packSizes.set(e.getValue(), 0L); // gone: counts for nothing in totals
            }
        }
        return fresh;
    }

    private MultiPackIndex openMultiPackIndex(List<String> indexKeys) throws IOException {
        midxProblem = midxDamaged;
        if (files == null || midxDamaged != null || !indexKeys.contains(StoreLayout.MULTI_PACK_INDEX)) {
            return null;
        }
        try {
            Path file = files.multiPackIndex();
            return file == null ? null : MultiPackIndex.open(file, StoreLayout.MULTI_PACK_INDEX);
        } catch (java.nio.file.NoSuchFileException e) {
            return null; // replaced or removed meanwhile: the pack indexes serve
        } catch (CorruptContentException e) {
            midxProblem = e.getMessage();
            if (root == null) {
                midxDamaged = e.getMessage(); // a remote one: not downloaded again by this process
            }
            log.warn("ignoring the multi-pack index: {}; the pack indexes are read instead, and the next writer"
                    + " or 'mlv gc' rebuilds it", e.getMessage());
            return null;
        }
    }

    /** Opens one pack index and adds it to {@code to}; an unreadable one is recorded and skipped. */
    private void addIndex(ChunkLookup to, String key, byte[] id) throws IOException {
        PackIndexFile index;
        try {
            Path file = files == null ? null : files.index(key);
            Slab bytes = file != null ? Slab.map(file) : Slab.wrap(backend.readAll(key));
            index = PackIndexFile.open(key, bytes);
            if (!java.util.Arrays.equals(index.packId(), id)) {
                throw new CorruptContentException("index " + key + " describes another pack");
            }
        } catch (ContentNotFoundException | java.nio.file.NoSuchFileException e) {
            log.debug("index {} vanished while loading", key);
            return;
        } catch (CorruptContentException e) {
            log.warn("skipping unreadable pack index: {}", e.getMessage());
            unreadableIndexes.put(key, e.getMessage());
            return;
        }
        to.add(index, ordinalFor(id, index.packSize()));
    }

    private int ordinalFor(byte[] packId, long packSize) {
        String hex = Hex.encode(packId);
        Integer ordinal = ordinals.get(hex);
        if (ordinal == null) {
            ordinal = packIds.size();
            packIds.add(packId);
            packSizes.add(packSize);
            ordinals.put(hex, ordinal);
        } else {
            packSizes.set(ordinal, packSize);
        }
        return ordinal;
    }

    /** Makes a durable, indexed pack's chunks findable; returns its ordinal. */
    synchronized int register(PackRecords pack) throws IOException {
        String hex = Hex.encode(pack.packId());
        Integer existing = ordinals.get(hex);
        if (existing != null) {
            return existing;
        }
        int ordinal = ordinalFor(pack.packId(), pack.packSize());
        if (lookup != null) {
            Path file = files == null ? null : files.indexIfLocal(StoreLayout.indexKey(pack.packId()));
            Slab bytes = file != null ? Slab.map(file) : Slab.wrap(PackFiles.encodeIndex(pack));
            lookup.add(PackIndexFile.open(StoreLayout.indexKey(pack.packId()), bytes), ordinal);
        }
        return ordinal;
    }

    /** What a consolidation did: the new multi-pack index's packs and chunks, and how many pack indexes it took in. */
    record Consolidation(int packs, long chunks, long bytes, int indexesMerged) {
    }

    /**
     * Writes a new multi-pack index when at least {@code minChanges} packs are not covered by the
     * current one or are named by it but gone, or when it is damaged; null when none was needed
     * or its indexes cannot be mapped. Streams: a merge of sorted files, memory independent of
     * the chunk count. The caller holds the store lock (shared suffices: two writers consolidating
     * at once each write a valid index, and the pack indexes serve whatever one lacks); for a
     * store remote, {@code gc --remote} writes it under its lock, staged in the index cache and
     * uploaded whole.
     */
    synchronized Consolidation consolidate(int minChanges) throws IOException {
        if (files == null) {
            return null;
        }
        reload(); // midxDamaged keeps a checksum failure seen by this process in midxProblem
        ChunkLookup now = lookup;
        int changes = now.separateIndexes() + midxGonePacks;
        if (midxProblem == null && (changes == 0 || changes < minChanges)) {
            return null;
        }
        List<MultiPackIndex.Source> sources = new ArrayList<>();
        MultiPackIndex base = now.multiPackIndex();
        if (base != null && midxGonePacks > 0) {
            // Its records naming a removed pack may have copies that only other packs' indexes list.
            base = null;
        } else if (base != null) {
            try {
                base.verify();
                byte[][] ids = new byte[base.packCount()][];
                long[] sizes = new long[base.packCount()];
                for (int p = 0; p < ids.length; p++) {
                    ids[p] = base.packId(p);
                    sizes[p] = base.packSize(p);
                }
                sources.add(new MultiPackIndex.Source(base, ids, sizes));
            } catch (CorruptContentException e) {
                log.warn("rebuilding the multi-pack index from the pack indexes: {}", e.getMessage());
                base = null;
            }
        }
        if (base == null && now.multiPackIndex() != null) {
            // Every pack it covered is read from its own index again.
            ChunkLookup all = new ChunkLookup(null, null);
            for (String key : backend.list(StoreLayout.INDEX)) {
                byte[] id = StoreLayout.packIdOf(key);
                if (id != null && !unreadableIndexes.containsKey(key)) {
                    addIndex(all, key, id);
                }
            }
            now = all;
        }
        int merged = 0;
        for (ChunkLookup.Part part : now.parts()) {
            byte[] id = packIds.get(part.ordinal());
            sources.add(new MultiPackIndex.Source(part.table(), new byte[][] {id},
                    new long[] {packSizes.get(part.ordinal())}));
            merged++;
        }
        Path staging = files.newTempFile(StoreLayout.MULTI_PACK_INDEX);
        MultiPackIndex.Written w;
        try {
            w = MultiPackIndex.write(staging, sources);
            files.publishMultiPackIndex(staging);
        } finally {
            Files.deleteIfExists(staging);
        }
        log.debug("multi-pack index written: {} packs, {} chunks, {} pack indexes merged", w.packs(), w.chunks(), merged);
        midxDamaged = null;
        reload();
        return new Consolidation(w.packs(), w.chunks(), w.bytes(), merged);
    }

    /**
     * After a lookup missed or a chunk failed its check: true when the multi-pack index in use
     * fails its checksum, in which case it is dropped (with a warning) and the pack indexes are
     * searched instead, so the caller should look again. The next consolidation rebuilds it.
     */
    synchronized boolean distrustMultiPackIndex(ChunkLookup used) throws IOException {
        MultiPackIndex midx = used.multiPackIndex();
        if (midx == null) {
            return false;
        }
        if (lookup != null && lookup != used && lookup.multiPackIndex() == null) {
            return true; // another thread dropped it already
        }
        try {
            midx.verify();
            return false;
        } catch (CorruptContentException e) {
            log.warn("ignoring the multi-pack index: {}; the pack indexes are read instead, and the next writer"
                    + " or 'mlv gc' rebuilds it", e.getMessage());
            midxDamaged = e.getMessage();
            reload();
            return true;
        }
    }

    /** What is wrong with the store's multi-pack index, checking every byte; null when it is sound or absent. */
    String multiPackIndexDamage() throws IOException {
        if (root == null) {
            return null;
        }
        try {
            MultiPackIndex.open(root.resolve(StoreLayout.MULTI_PACK_INDEX), StoreLayout.MULTI_PACK_INDEX).verify();
            return null;
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (CorruptContentException e) {
            return e.getMessage();
        }
    }

    /** How many pack indexes are searched on their own (not yet in the multi-pack index). */
    synchronized int separateIndexes() throws IOException {
        return index().separateIndexes();
    }

    synchronized int packCount() {
        return packIds.size();
    }

    synchronized long totalPackBytes() {
        return packSizes.stream().mapToLong(Long::longValue).sum();
    }

    synchronized boolean knowsPack(byte[] packId) {
        return ordinals.containsKey(Hex.encode(packId));
    }

    synchronized Map<String, String> unreadableIndexes() {
        return Map.copyOf(unreadableIndexes);
    }

    synchronized String packKey(int ordinal) {
        return StoreLayout.packKey(packIds.get(ordinal));
    }

    Backend backend() {
        return backend;
    }

    /** Notes that pack {@code packKey} was just written through the page cache (see {@link #readThroughCache}). */
    void wroteThroughCache(String packKey) {
        written.add(packKey);
    }

    /** Whether pack {@code packKey} was written through the page cache by this instance, so is best read through it. */
    boolean readThroughCache(String packKey) {
        return written.contains(packKey);
    }

    void countChunkReads(int n) {
        chunkReads.addAndGet(n);
    }

    /** How many chunks were read since this catalog was created (diagnostics: range reads touch few). */
    long chunkReads() {
        return chunkReads.get();
    }

    /** True if the chunk is in an indexed pack, reloading indexes once on a miss. */
    boolean hasChunk(byte[] id, int off) throws IOException {
        if (index().find(id, off) >= 0) {
            return true;
        }
        refresh();
        return index().find(id, off) >= 0;
    }

    /** Reads a chunk and checks it against its id. */
    byte[] readChunk(byte[] id, int off) throws IOException {
        chunkReads.incrementAndGet();
        ChunkLookup at = index();
        long slot = at.find(id, off);
        if (slot < 0) {
            refresh();
            at = index();
            slot = at.find(id, off);
            if (slot < 0 && distrustMultiPackIndex(at)) {
                at = index();
                slot = at.find(id, off);
            }
            if (slot < 0) {
                // A manifest is written only after its chunks are indexed: a missing chunk is damage.
                throw new CorruptContentException("chunk " + ChunkId.of(id, off) + " is not in any indexed pack of the"
                        + " store (a lost pack or index); 'mlv fsck --repair' rebuilds lost indexes");
            }
        }
        try {
            return readEntry(packKey(at.pack(slot)), at.offset(slot), at.rawLength(slot), at.storedLength(slot),
                    at.compression(slot), id, off);
        } catch (PackGoneException e) {
            if (distrustMultiPackIndex(at)) {
                return readChunk(id, off);
            }
            reload(); // a concurrent gc repacked it: the chunk is in a new pack now, or gone for good
            at = index();
            slot = at.find(id, off);
            if (slot < 0) {
                throw new CorruptContentException("chunk " + ChunkId.of(id, off) + " is not in any indexed pack of the"
                        + " store (a lost pack or index); 'mlv fsck --repair' rebuilds lost indexes");
            }
            return readEntry(packKey(at.pack(slot)), at.offset(slot), at.rawLength(slot), at.storedLength(slot),
                    at.compression(slot), id, off);
        } catch (CorruptContentException e) {
            if (distrustMultiPackIndex(at)) {
                return readChunk(id, off); // the record was damaged, not the pack
            }
            throw e;
        }
    }

    /** A pack the index listed is not in the store: lost, or removed by a concurrent gc. */
    static final class PackGoneException extends CorruptContentException {
        private static final long serialVersionUID = 1L;

        PackGoneException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Reads one pack entry (header and data), decodes it and checks its hash. */
    byte[] readEntry(String packKey, long offset, int raw, int stored, int compression, byte[] id, int idOff)
            throws IOException {
        String where = "chunk " + ChunkId.of(id, idOff) + " in " + packKey + " at offset " + offset;
        byte[] entry;
        try {
            entry = new byte[PackFormat.ENTRY_HEADER_SIZE + stored];
            backend.readInto(packKey, offset, entry, 0, entry.length);
        } catch (ContentNotFoundException e) {
            // The index promised this pack: its absence is damage (or a concurrent gc repacked it).
            throw new PackGoneException(where + ": the pack is missing although its index lists it"
                    + " (lost, or removed by a concurrent 'mlv gc'); run the command again, then 'mlv fsck'", e);
        } catch (java.io.EOFException e) {
            throw new CorruptContentException(where + ": the pack is truncated (" + e.getMessage() + ")", e);
        }
        return checkEntry(entry, 0, raw, stored, compression, id, idOff, packKey + " at offset " + offset);
    }

    /**
     * Checks one pack entry held at {@code entry[at, at + 44 + stored)} against the index record
     * (id, lengths, compression), decodes it and checks its SHA-256; returns the raw chunk.
     */
    static byte[] checkEntry(byte[] entry, int at, int raw, int stored, int compression, byte[] id, int idOff,
                             String location) throws CorruptContentException {
        byte[] data = decodeEntry(entry, at, raw, stored, compression, id, idOff, location, -1, Sha256.newDigest());
        int dataAt = at + PackFormat.ENTRY_HEADER_SIZE;
        return data == entry ? java.util.Arrays.copyOfRange(entry, dataAt, dataAt + raw) : data;
    }

    /**
     * As {@link #checkEntry}, without copying a chunk stored raw: returns {@code entry} itself
     * when the raw bytes are those at {@code entry[at + 44, at + 44 + raw)}, or a new array of
     * {@code raw} bytes for a compressed chunk. {@code sha} is reset and used for the check (null:
     * no hash, the caller hashes the bytes itself). The entry's place for messages is {@code where} and, unless negative, {@code offset} in it; the
     * message is built only on failure (this runs once per chunk read).
     */
    static byte[] decodeEntry(byte[] entry, int at, int raw, int stored, int compression, byte[] id, int idOff,
                              String where, long offset, MessageDigest sha) throws CorruptContentException {
        if (!java.util.Arrays.equals(entry, at, at + 32, id, idOff, idOff + 32) || getInt(entry, at + 32) != raw
                || getInt(entry, at + 36) != stored || (entry[at + 40] & 0xff) != compression) {
            throw corrupt(id, idOff, where, offset, ": entry header does not match the index", null);
        }
        int dataAt = at + PackFormat.ENTRY_HEADER_SIZE;
        byte[] data;
        int off;
        if (compression == PackFormat.COMPRESSION_ZSTD) {
            try {
                data = ChunkCompressor.decompress(entry, dataAt, stored, raw);
            } catch (RuntimeException e) {
                throw corrupt(id, idOff, where, offset, ": cannot decompress (" + e.getMessage() + ")", e);
            }
            off = 0;
        } else if (compression == PackFormat.COMPRESSION_NONE && raw == stored) {
            data = entry;
            off = dataAt;
        } else {
            throw corrupt(id, idOff, where, offset, ": unknown compression " + compression, null);
        }
        if (sha == null) {
            return data; // the caller checks a hash over these bytes itself (ContentInputStream#fileCheckOnly)
        }
        sha.reset();
        sha.update(data, off, raw);
        byte[] actual = sha.digest();
        if (!java.util.Arrays.equals(actual, 0, 32, id, idOff, idOff + 32)) {
            throw corrupt(id, idOff, where, offset, " is corrupt: its content hashes to " + Hex.encode(actual), null);
        }
        return data;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static CorruptContentException corrupt(byte[] id, int idOff, String where, long offset, String what,
                                                   Throwable cause) {
        String location = offset < 0 ? where : where + " at offset " + offset;
        String message = "chunk " + ChunkId.of(id, idOff) + " in " + location + what;
        return cause == null ? new CorruptContentException(message) : new CorruptContentException(message, cause);
    }

    /** Location of a chunk in an indexed pack, as stored (for copying entries between stores). */
    record Location(String packKey, long offset, int raw, int stored, int compression) {
        int entryLength() {
            return PackFormat.ENTRY_HEADER_SIZE + stored;
        }
    }

    /** Where a chunk is stored, or null when no indexed pack holds it (no reload on a miss). */
    Location locate(byte[] id, int off) throws IOException {
        ChunkLookup at = index();
        long slot = at.find(id, off);
        if (slot < 0) {
            return null;
        }
        return new Location(packKey(at.pack(slot)), at.offset(slot), at.rawLength(slot),
                at.storedLength(slot), at.compression(slot));
    }
}
