package dev.mlv.store;

import java.util.Arrays;

/** The id of a chunk: the SHA-256 of the chunk's uncompressed bytes. Holds the raw 32 bytes; hex is only for display. */
public final class ChunkId implements Comparable<ChunkId> {
    /** Length of the raw id in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private ChunkId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies 32 bytes starting at {@code off}. */
    public static ChunkId of(byte[] src, int off) {
        return new ChunkId(Arrays.copyOfRange(src, off, off + LENGTH));
    }

    /** Wraps a copy of a 32-byte digest. */
    public static ChunkId of(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("expected " + LENGTH + " bytes, got " + digest.length);
        }
        return new ChunkId(digest.clone());
    }

    /** Parses 64 lowercase hex digits. */
    public static ChunkId fromHex(String hex) {
        byte[] b = Hex.decodeLowercase(hex, LENGTH);
        if (b == null) {
            throw new IllegalArgumentException("not a sha256 id (64 lowercase hex digits): '" + hex + "'");
        }
        return new ChunkId(b);
    }

    /** A copy of the raw 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Writes the raw 32 bytes into {@code dst} at {@code off}. */
    public void copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, LENGTH);
    }

    /** True if the 32 bytes at {@code off} in {@code other} equal this id. */
    public boolean matches(byte[] other, int off) {
        return Arrays.equals(bytes, 0, LENGTH, other, off, off + LENGTH);
    }

    public String hex() {
        return Hex.encode(bytes);
    }

    @Override
    public int compareTo(ChunkId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public String toString() {
        return hex();
    }
}
