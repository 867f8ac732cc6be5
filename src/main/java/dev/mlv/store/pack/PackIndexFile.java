package dev.mlv.store.pack;

import dev.mlv.store.CorruptContentException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One pack index ({@code index/<packid>.idx}, {@code docs/format.md} section 5) read in place:
 * its records are sorted by chunk id, so a lookup is a binary search on the file's bytes (mapped,
 * or in the heap for a remote store) and nothing is copied into a table.
 */
public final class PackIndexFile implements RecordTable {
    private final Slab slab;
    private final byte[] packId;
    private final long packSize;
    private final int count;

    private PackIndexFile(Slab slab, byte[] packId, long packSize, int count) {
        this.slab = slab;
        this.packId = packId;
        this.packSize = packSize;
        this.count = count;
    }

    /** Checks an index's header, length and checksum (a pass over its bytes) and opens it. */
    public static PackIndexFile open(String key, Slab slab) throws CorruptContentException {
        long length = slab.size();
        byte[] magic = new byte[4];
        if (length >= 4) {
            slab.get(0, magic, 0, 4);
        }
        if (length < PackFormat.INDEX_HEADER_SIZE + 4 || !Arrays.equals(magic, PackFormat.INDEX_MAGIC)) {
            throw new CorruptContentException("index " + key + " is not a pack index (bad magic or truncated)");
        }
        int version = slab.getInt(4) >>> 16;
        if (version != PackFormat.VERSION) {
            throw new CorruptContentException("index " + key + " has format version " + version
                    + "; this mlv reads version " + PackFormat.VERSION + " (upgrade mlv)");
        }
        CRC32C crc = new CRC32C();
        slab.update(crc, 0, length - 4);
        if ((int) crc.getValue() != slab.getInt(length - 4)) {
            throw new CorruptContentException("index " + key + " checksum mismatch");
        }
        byte[] packId = new byte[PackFormat.ID_LENGTH];
        slab.get(8, packId, 0, PackFormat.ID_LENGTH);
        long packSize = slab.getLong(40);
        int count = slab.getInt(48);
        if (count < 0 || PackFormat.INDEX_HEADER_SIZE + (long) count * PackFormat.RECORD_SIZE + 4 != length) {
            throw new CorruptContentException("index " + key + " has an inconsistent length");
        }
        return new PackIndexFile(slab, packId, packSize, count);
    }

    public byte[] packId() {
        return packId.clone();
    }

    public long packSize() {
        return packSize;
    }

    @Override
    public long count() {
        return count;
    }

    private static long at(long i) {
        return PackFormat.INDEX_HEADER_SIZE + i * PackFormat.RECORD_SIZE;
    }

    @Override
    public long find(byte[] id, int off) {
        return search(id, off, 0, count - 1L);
    }

    @Override
    public void id(long i, byte[] dst, int off) {
        slab.get(at(i), dst, off, PackFormat.ID_LENGTH);
    }

    @Override
    public int compareId(long i, byte[] id, int off) {
        return slab.compareId(at(i), id, off);
    }

    /** Always 0: an index describes one pack. */
    @Override
    public int pack(long i) {
        return 0;
    }

    @Override
    public long offset(long i) {
        return slab.getLong(at(i) + 32);
    }

    @Override
    public int rawLength(long i) {
        return slab.getInt(at(i) + 40);
    }

    @Override
    public int storedLength(long i) {
        return slab.getInt(at(i) + 44);
    }

    @Override
    public int compression(long i) {
        return slab.get(at(i) + 48) & 0xff;
    }
}
