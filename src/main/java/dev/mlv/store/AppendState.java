package dev.mlv.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The object {@code append/<o2>/<oid>}: the SHA-256 state of a stored file at the start of its
 * last chunk, kept so that an append hashes that chunk and the new bytes only. Written by
 * appendable puts and appends, local to a store (never pushed), and only a hint: it names the
 * file and offset it is for, carries a checksum, and one that does not match is ignored (the
 * state is then computed again from the file). The layout is in {@code docs/format.md}.
 */
final class AppendState {
    static final byte[] MAGIC = {'M', 'L', 'V', 'A'};
    static final int VERSION = 1;
    /** magic, version, reserved, oid, size, offset, 8 words, 64 partial-block bytes, CRC32C. */
    static final int SIZE = 4 + 2 + 2 + 32 + 8 + 8 + 32 + 64 + 4;

    private AppendState() {
    }

    static byte[] encode(Oid oid, long fileSize, ResumableSha256.State state) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(MAGIC).putShort((short) VERSION).putShort((short) 0);
        b.put(oid.toBytes()).putLong(fileSize).putLong(state.count());
        for (int word : state.h()) {
            b.putInt(word);
        }
        b.put(Arrays.copyOf(state.partial(), 64));
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, SIZE - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * The state in {@code data} if it is well formed and is the state of file {@code oid} of
     * {@code fileSize} bytes at {@code offset}; null otherwise.
     */
    static ResumableSha256.State decode(byte[] data, Oid oid, long fileSize, long offset) {
        if (data.length != SIZE || !Arrays.equals(data, 0, 4, MAGIC, 0, 4)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        CRC32C crc = new CRC32C();
        crc.update(data, 0, SIZE - 4);
        if (b.getInt(SIZE - 4) != (int) crc.getValue() || (b.getShort(4) & 0xffff) != VERSION) {
            return null;
        }
        if (!oid.matches(data, 8) || b.getLong(40) != fileSize || b.getLong(48) != offset) {
            return null;
        }
        int[] h = new int[8];
        for (int i = 0; i < 8; i++) {
            h[i] = b.getInt(56 + 4 * i);
        }
        return new ResumableSha256.State(h, offset, Arrays.copyOfRange(data, 88, 88 + (int) (offset & 63)));
    }
}
