package dev.mlv.store;

import java.util.Arrays;

/**
 * A SHA-256 digest used as an id: the raw 32 bytes, hex only for display and object names. Its
 * two kinds, {@link Oid} (a whole file) and {@link ChunkId} (one chunk), are distinct types so
 * one is never passed where the other is meant; ids of different kinds are never equal.
 */
public abstract sealed class Sha256Id permits Oid, ChunkId {
    /** Length of the raw id in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    Sha256Id(byte[] bytes) {
        this.bytes = bytes;
    }

    static byte[] copy(byte[] src, int off) {
        return Arrays.copyOfRange(src, off, off + LENGTH);
    }

    static byte[] checkedCopy(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("expected " + LENGTH + " bytes, got " + digest.length);
        }
        return digest.clone();
    }

    static byte[] parseHex(String hex) {
        byte[] b = Hex.decodeLowercase(hex, LENGTH);
        if (b == null) {
            throw new IllegalArgumentException("not a sha256 id (64 lowercase hex digits): '" + hex + "'");
        }
        return b;
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

    int compareBytes(Sha256Id o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((Sha256Id) o).bytes);
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
