package dev.mlv.store.manifest;

import dev.mlv.store.ChunkId;
import dev.mlv.store.CorruptContentException;
import dev.mlv.store.Oid;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The ordered chunks of one file version: enough to rebuild it, read any byte range (binary
 * search over cumulative offsets), or compare it with another version. Held as a byte slab of
 * ids and an array of cumulative end offsets.
 */
public final class Manifest {
    private final Oid oid;
    private final long size;
    private final byte[] ids;
    private final long[] ends;

    private Manifest(Oid oid, long size, byte[] ids, long[] ends) {
        this.oid = oid;
        this.size = size;
        this.ids = ids;
        this.ends = ends;
    }

    /** Parses and checks an encoded manifest; {@code what} names it in error messages. */
    public static Manifest decode(String what, byte[] data) throws CorruptContentException {
        int min = ManifestFormat.HEADER_SIZE + ManifestFormat.TRAILER_SIZE;
        if (data.length < min || !Arrays.equals(data, 0, 4, ManifestFormat.MAGIC, 0, 4)) {
            throw new CorruptContentException("manifest " + what + " is not a manifest (bad magic or truncated)");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int version = b.getShort(4) & 0xffff;
        if (version != ManifestFormat.VERSION) {
            throw new CorruptContentException("manifest " + what + " has format version " + version
                    + "; this mlv reads version " + ManifestFormat.VERSION + " (upgrade mlv)");
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        if ((int) crc.getValue() != b.getInt(data.length - 4)) {
            throw new CorruptContentException("manifest " + what + " checksum mismatch");
        }
        int t = data.length - ManifestFormat.TRAILER_SIZE;
        if (!Arrays.equals(data, t + 48, t + 52, ManifestFormat.END_MAGIC, 0, 4)) {
            throw new CorruptContentException("manifest " + what + " has no valid trailer");
        }
        Oid oid = Oid.of(data, t);
        long size = b.getLong(t + 32);
        long count = b.getLong(t + 40);
        long entryBytes = (long) t - ManifestFormat.HEADER_SIZE;
        if (count < 0 || count * ManifestFormat.ENTRY_SIZE != entryBytes) {
            throw new CorruptContentException("manifest " + what + " has an inconsistent chunk count");
        }
        int n = (int) count;
        byte[] ids = new byte[n * 32];
        long[] ends = new long[n];
        long pos = 0;
        for (int i = 0; i < n; i++) {
            int e = ManifestFormat.HEADER_SIZE + i * ManifestFormat.ENTRY_SIZE;
            System.arraycopy(data, e, ids, i * 32, 32);
            int len = b.getInt(e + 32);
            if (len <= 0) {
                throw new CorruptContentException("manifest " + what + " has a chunk of length " + len);
            }
            pos += len;
            ends[i] = pos;
        }
        if (pos != size) {
            throw new CorruptContentException("manifest " + what + " chunk lengths sum to " + pos
                    + " but the file size is " + size);
        }
        return new Manifest(oid, size, ids, ends);
    }

    public Oid oid() {
        return oid;
    }

    public long size() {
        return size;
    }

    public int chunkCount() {
        return ends.length;
    }

    public ChunkId chunkId(int i) {
        return ChunkId.of(ids, i * 32);
    }

    /** The raw id bytes of all chunks, 32 per chunk, in file order (shared, do not modify). */
    public byte[] idBytes() {
        return ids;
    }

    public long chunkStart(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    public int chunkLength(int i) {
        return (int) (ends[i] - chunkStart(i));
    }

    /** Index of the chunk containing byte {@code position} (0 <= position < size). */
    public int chunkAt(long position) {
        if (position < 0 || position >= size) {
            throw new IndexOutOfBoundsException("position " + position + " outside file of size " + size);
        }
        int i = Arrays.binarySearch(ends, position);
        // ends[i] == position means the chunk ending there is done: the byte starts the next one.
        return i >= 0 ? i + 1 : -i - 1;
    }
}
