package dev.mlv.store;

/** The id of a whole file: the SHA-256 of its content, as in a Git LFS pointer. */
public final class Oid extends Sha256Id implements Comparable<Oid> {
    private Oid(byte[] bytes) {
        super(bytes);
    }

    /** Copies 32 bytes starting at {@code off}. */
    public static Oid of(byte[] src, int off) {
        return new Oid(copy(src, off));
    }

    /** Wraps a copy of a 32-byte digest. */
    public static Oid of(byte[] digest) {
        return new Oid(checkedCopy(digest));
    }

    /** Parses 64 lowercase hex digits. */
    public static Oid fromHex(String hex) {
        return new Oid(parseHex(hex));
    }

    @Override
    public int compareTo(Oid o) {
        return compareBytes(o);
    }
}
