package dev.mlv.store;

import dev.mlv.store.backend.Backend;
import dev.mlv.store.pack.ChunkCompressor;
import dev.mlv.store.pack.ChunkIndex;
import dev.mlv.store.pack.PackFiles;
import dev.mlv.store.pack.PackFormat;
import dev.mlv.store.pack.PackRecords;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The packs this process knows of, their merged in-memory {@link ChunkIndex}, and verified chunk
 * reads. Writers only ever add packs, so a miss is answered by listing {@code index/} again and
 * loading indexes not seen before. Only gc removes packs (after repacking their live chunks into
 * new ones): a reader that finds a pack gone {@linkplain #reload reloads} the index from what is
 * there now and reads again, so a long-running reader (serve, export --watch, the Java API)
 * survives a gc.
 */
final class PackCatalog {
    private static final Logger log = LoggerFactory.getLogger(PackCatalog.class);

    private final java.util.concurrent.atomic.AtomicLong chunkReads = new java.util.concurrent.atomic.AtomicLong();

    private final Backend backend;
    private volatile ChunkIndex index = new ChunkIndex(4096);
    private final List<byte[]> packIds = new ArrayList<>();
    private final List<Long> packSizes = new ArrayList<>();
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final Map<String, String> unreadableIndexes = new HashMap<>();

    PackCatalog(Backend backend) {
        this.backend = backend;
    }

    ChunkIndex index() {
        return index;
    }

    /** Loads indexes written since the last call (by this or any other writer). */
    synchronized void refresh() throws IOException {
        for (String key : backend.list(StoreLayout.INDEX)) {
            byte[] id = StoreLayout.packIdOf(key);
            if (id == null || ordinals.containsKey(Hex.encode(id)) || unreadableIndexes.containsKey(key)) {
                continue;
            }
            try {
                PackRecords records = PackFiles.decodeIndex(key, backend.readAll(key));
                if (!java.util.Arrays.equals(records.packId(), id)) {
                    throw new CorruptContentException("index " + key + " describes another pack");
                }
                register(records);
            } catch (ContentNotFoundException e) {
                log.debug("index {} vanished while loading", key);
            } catch (CorruptContentException e) {
                log.warn("skipping unreadable pack index: {}", e.getMessage());
                unreadableIndexes.put(key, e.getMessage());
            }
        }
    }

    /**
     * Rebuilds the index from the indexes the store holds now, dropping packs gc removed. A pack
     * keeps its ordinal, so a reader still holding the previous index names the same pack (and
     * finds it gone, and reloads too).
     */
    synchronized void reload() throws IOException {
        ChunkIndex fresh = new ChunkIndex(Math.max(4096, index.size()));
        java.util.Set<String> present = new java.util.HashSet<>();
        for (String key : backend.list(StoreLayout.INDEX)) {
            byte[] id = StoreLayout.packIdOf(key);
            if (id == null || unreadableIndexes.containsKey(key)) {
                continue;
            }
            try {
                PackRecords records = PackFiles.decodeIndex(key, backend.readAll(key));
                if (!java.util.Arrays.equals(records.packId(), id)) {
                    throw new CorruptContentException("index " + key + " describes another pack");
                }
                String hex = Hex.encode(id);
                Integer ordinal = ordinals.get(hex);
                if (ordinal == null) {
                    ordinal = packIds.size();
                    packIds.add(id);
                    packSizes.add(records.packSize());
                    ordinals.put(hex, ordinal);
                }
                present.add(hex);
                fresh.addAll(records, ordinal);
            } catch (ContentNotFoundException e) {
                log.debug("index {} vanished while reloading", key);
            } catch (CorruptContentException e) {
                log.warn("skipping unreadable pack index: {}", e.getMessage());
                unreadableIndexes.put(key, e.getMessage());
            }
        }
        for (Map.Entry<String, Integer> e : ordinals.entrySet()) {
            if (!present.contains(e.getKey())) {
                packSizes.set(e.getValue(), 0L); // gone: counts for nothing in totals
            }
        }
        index = fresh;
    }

    /** Makes a durable, indexed pack's chunks findable; returns its ordinal. */
    synchronized int register(PackRecords pack) {
        String hex = Hex.encode(pack.packId());
        Integer existing = ordinals.get(hex);
        if (existing != null) {
            return existing;
        }
        int ordinal = packIds.size();
        packIds.add(pack.packId());
        packSizes.add(pack.packSize());
        ordinals.put(hex, ordinal);
        index.addAll(pack, ordinal);
        return ordinal;
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

    void countChunkReads(int n) {
        chunkReads.addAndGet(n);
    }

    /** How many chunks were read since this catalog was created (diagnostics: range reads touch few). */
    long chunkReads() {
        return chunkReads.get();
    }

    /** True if the chunk is in an indexed pack, reloading indexes once on a miss. */
    boolean hasChunk(byte[] id, int off) throws IOException {
        if (index.find(id, off) >= 0) {
            return true;
        }
        refresh();
        return index.find(id, off) >= 0;
    }

    /** Reads a chunk and checks it against its id. */
    byte[] readChunk(byte[] id, int off) throws IOException {
        chunkReads.incrementAndGet();
        int slot = index.find(id, off);
        if (slot < 0) {
            refresh();
            slot = index.find(id, off);
            if (slot < 0) {
                // A manifest is written only after its chunks are indexed: a missing chunk is damage.
                throw new CorruptContentException("chunk " + ChunkId.of(id, off) + " is not in any indexed pack of the"
                        + " store (a lost pack or index); 'mlv fsck --repair' rebuilds lost indexes");
            }
        }
        ChunkIndex at = index;
        try {
            return readEntry(packKey(at.pack(slot)), at.offset(slot), at.rawLength(slot), at.storedLength(slot),
                    at.compression(slot), id, off);
        } catch (PackGoneException e) {
            reload(); // a concurrent gc repacked it: the chunk is in a new pack now, or gone for good
            at = index;
            slot = at.find(id, off);
            if (slot < 0) {
                throw new CorruptContentException("chunk " + ChunkId.of(id, off) + " is not in any indexed pack of the"
                        + " store (a lost pack or index); 'mlv fsck --repair' rebuilds lost indexes");
            }
            return readEntry(packKey(at.pack(slot)), at.offset(slot), at.rawLength(slot), at.storedLength(slot),
                    at.compression(slot), id, off);
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
     * {@code raw} bytes for a compressed chunk. {@code sha} is reset and used for the check. The
     * entry's place for messages is {@code where} and, unless negative, {@code offset} in it; the
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
    Location locate(byte[] id, int off) {
        int slot = index.find(id, off);
        if (slot < 0) {
            return null;
        }
        return new Location(packKey(index.pack(slot)), index.offset(slot), index.rawLength(slot),
                index.storedLength(slot), index.compression(slot));
    }
}
