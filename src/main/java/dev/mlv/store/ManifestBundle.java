package dev.mlv.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.SortedMap;
import java.util.zip.CRC32C;

/**
 * One manifest bundle (format.md 6.2): many manifests back to back, then a table sorted by oid
 * and a trailer. Reads a bundle's table (checked: checksum, order, bounds) and writes bundles.
 * The local store keeps batches of manifests in bundles ({@link ManifestBundles}); a push also
 * leaves one beside the manifests it sent, so a pull fetches them in a few requests.
 */
final class ManifestBundle {
    static final byte[] MAGIC = "MLVB".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_SIZE = 8;
    static final int ENTRY_SIZE = 32 + 8 + 4;
    static final int TRAILER_SIZE = 8 + 8 + 4 + 4;

    final String key;
    final long size;
    final Instant modified;
    final int count;
    private final ByteBuffer table;

    private ManifestBundle(String key, long size, Instant modified, int count, ByteBuffer table) {
        this.key = key;
        this.size = size;
        this.modified = modified;
        this.count = count;
        this.table = table;
    }

    /**
     * Where the table of a bundle of {@code size} bytes starts, from its trailer (its last
     * {@value #TRAILER_SIZE} bytes); {@link CorruptContentException} if the trailer cannot be this
     * bundle's.
     */
    static long tableOffset(String key, long size, ByteBuffer trailer) throws CorruptContentException {
        if (size < HEADER_SIZE + TRAILER_SIZE || trailer.remaining() != TRAILER_SIZE) {
            throw new CorruptContentException(key + ": " + size + " bytes is too short for a manifest bundle");
        }
        long count = trailer.getLong(0);
        long tableOffset = trailer.getLong(8);
        byte[] magic = new byte[4];
        trailer.get(16, magic);
        if (count < 0 || count > Integer.MAX_VALUE / ENTRY_SIZE || tableOffset < HEADER_SIZE
                || tableOffset + count * ENTRY_SIZE + TRAILER_SIZE != size || !Arrays.equals(magic, MAGIC)) {
            throw new CorruptContentException(key + ": the trailer does not describe a manifest bundle of "
                    + size + " bytes");
        }
        return tableOffset;
    }

    /** Checks the table (from {@link #tableOffset} to the trailer) and the trailer; the table is kept, not copied. */
    static ManifestBundle of(String key, long size, Instant modified, ByteBuffer trailer, ByteBuffer table)
            throws CorruptContentException {
        long tableOffset = tableOffset(key, size, trailer);
        int count = (int) trailer.getLong(0);
        if (table.remaining() != count * ENTRY_SIZE) {
            throw new CorruptContentException(key + ": the table is not " + count + " entries long");
        }
        CRC32C crc = new CRC32C();
        crc.update(table.duplicate());
        byte[] t = new byte[TRAILER_SIZE - 4];
        trailer.get(0, t);
        crc.update(t);
        if ((int) crc.getValue() != trailer.getInt(TRAILER_SIZE - 4)) {
            throw new CorruptContentException(key + ": table checksum mismatch");
        }
        ManifestBundle b = new ManifestBundle(key, size, modified, count, table.slice());
        byte[] previous = null;
        byte[] oid = new byte[32];
        for (int i = 0; i < count; i++) {
            b.table.get(i * ENTRY_SIZE, oid);
            if (previous != null && Arrays.compareUnsigned(previous, oid) >= 0) {
                throw new CorruptContentException(key + ": table entries out of order at entry " + i);
            }
            if (b.offset(i) < HEADER_SIZE || b.length(i) < 0 || b.offset(i) + b.length(i) > tableOffset) {
                throw new CorruptContentException(key + ": entry " + i + " lies outside the manifests");
            }
            previous = oid.clone();
        }
        return b;
    }

    /** Tables larger than this are refused when read from a backend: no push writes one. */
    static final long MAX_TABLE_BYTES = 64L << 20;

    /** A bundle's table from a backend (a store remote), by two range reads: the trailer, then the table. */
    static ManifestBundle read(dev.mlv.store.backend.Backend backend, dev.mlv.store.backend.Backend.ObjectInfo info)
            throws IOException {
        String key = info.key();
        long size = info.size();
        if (size < HEADER_SIZE + TRAILER_SIZE) {
            throw new CorruptContentException(key + ": " + size + " bytes is too short for a manifest bundle");
        }
        ByteBuffer trailer = ByteBuffer.wrap(backend.read(key, size - TRAILER_SIZE, TRAILER_SIZE));
        long tableOffset = tableOffset(key, size, trailer);
        long tableBytes = size - TRAILER_SIZE - tableOffset;
        if (tableBytes > MAX_TABLE_BYTES) {
            throw new CorruptContentException(key + ": a table of " + tableBytes + " bytes is larger than any push writes");
        }
        ByteBuffer table = ByteBuffer.wrap(backend.read(key, tableOffset, (int) tableBytes));
        return of(key, size, info.lastModified(), trailer, table);
    }

    /** The entry index of {@code oid}, or -1. */
    int find(byte[] oid) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(mid, oid);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private int compare(int entry, byte[] oid) {
        int base = entry * ENTRY_SIZE;
        for (int i = 0; i < 32; i++) {
            int c = Integer.compare(table.get(base + i) & 0xff, oid[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    Oid oid(int entry) {
        byte[] raw = new byte[32];
        table.get(entry * ENTRY_SIZE, raw);
        return Oid.of(raw);
    }

    long offset(int entry) {
        return table.getLong(entry * ENTRY_SIZE + 32);
    }

    int length(int entry) {
        return table.getInt(entry * ENTRY_SIZE + 40);
    }

    /** A manifest to bundle: writes its bytes to the channel and says how many. */
    interface Source {
        long writeTo(WritableByteChannel ch) throws IOException;
    }

    static Source of(byte[] manifest) {
        return ch -> write(ch, ByteBuffer.wrap(manifest));
    }

    /** Writes a bundle of {@code manifests} (in their oid order) to {@code ch}, from its first byte. */
    static void write(WritableByteChannel ch, SortedMap<Oid, Source> manifests) throws IOException {
        ByteBuffer table = ByteBuffer.allocate(manifests.size() * ENTRY_SIZE + TRAILER_SIZE);
        long pos = write(ch, ByteBuffer.allocate(HEADER_SIZE).put(MAGIC).putShort((short) VERSION)
                .putShort((short) 0).flip());
        for (var m : manifests.entrySet()) {
            long length = m.getValue().writeTo(ch);
            if (length > Integer.MAX_VALUE) {
                throw new IOException("the manifest of " + m.getKey() + " is too large to bundle");
            }
            table.put(m.getKey().toBytes()).putLong(pos).putInt((int) length);
            pos += length;
        }
        table.putLong(manifests.size()).putLong(pos).put(MAGIC);
        CRC32C crc = new CRC32C();
        crc.update(table.array(), 0, table.position());
        write(ch, table.putInt((int) crc.getValue()).flip());
    }

    static long write(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        long n = buf.remaining();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        return n;
    }
}
