package dev.mlv.store;

import java.util.Arrays;

/** The id of a whole file: the SHA-256 of its content, as in a Git LFS pointer. Holds the raw 32 bytes; hex is only for display and object names. */
public final class Oid implements Comparable<Oid> {
    /** Length of the raw id in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Oid(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies 32 bytes starting at {@code off}. */
    public static Oid of(byte[] src, int off) {
        return new Oid(Arrays.copyOfRange(src, off, off + LENGTH));
    }

    /** Wraps a copy of a 32-byte digest. */
    public static Oid of(byte[] digest) {
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("expected " + LENGTH + " bytes, got " + digest.length);
        }
        return new Oid(digest.clone());
    }

    /** Parses 64 lowercase hex digits. */
    public static Oid fromHex(String hex) {
        byte[] b = Hex.decodeLowercase(hex, LENGTH);
        if (b == null) {
            throw new IllegalArgumentException("not a sha256 id (64 lowercase hex digits): '" + hex + "'");
        }
        return new Oid(b);
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
    public int compareTo(Oid o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Oid other && Arrays.equals(bytes, other.bytes);
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
