package dev.mlv.store;

/** The id of a chunk: the SHA-256 of the chunk's uncompressed bytes. */
public final class ChunkId extends Sha256Id implements Comparable<ChunkId> {
    private ChunkId(byte[] bytes) {
        super(bytes);
    }

    /** Copies 32 bytes starting at {@code off}. */
    public static ChunkId of(byte[] src, int off) {
        return new ChunkId(copy(src, off));
    }

    /** Wraps a copy of a 32-byte digest. */
    public static ChunkId of(byte[] digest) {
        return new ChunkId(checkedCopy(digest));
    }

    /** Parses 64 lowercase hex digits. */
    public static ChunkId fromHex(String hex) {
        return new ChunkId(parseHex(hex));
    }

    @Override
    public int compareTo(ChunkId o) {
        return compareBytes(o);
    }
}
