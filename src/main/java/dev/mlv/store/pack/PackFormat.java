package dev.mlv.store.pack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte layout of packs and pack indexes (specified in {@code docs/format.md}). All integers are
 * big-endian and unsigned. An entry header is {@value #ENTRY_HEADER_SIZE} bytes: chunk id (32),
 * raw length (u32), stored length (u32), compression (u8), 3 reserved zero bytes. A footer/index
 * record is {@value #RECORD_SIZE} bytes: chunk id (32), entry offset (u64), raw length (u32),
 * stored length (u32), compression (u8), 7 reserved zero bytes.
 */
public final class PackFormat {
    public static final int VERSION = 1;
    public static final byte[] PACK_MAGIC = ascii("MLVP");
    public static final byte[] TRAILER_MAGIC = ascii("MLVF");
    public static final byte[] INDEX_MAGIC = ascii("MLVI");

    public static final int ID_LENGTH = 32;
    public static final int PACK_HEADER_SIZE = 8;
    public static final int ENTRY_HEADER_SIZE = 44;
    public static final int RECORD_SIZE = 56;
    public static final int TRAILER_SIZE = 24;
    public static final int INDEX_HEADER_SIZE = 56;

    public static final int COMPRESSION_NONE = 0;
    public static final int COMPRESSION_ZSTD = 1;

    private PackFormat() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] packHeader() {
        return ByteBuffer.allocate(PACK_HEADER_SIZE).put(PACK_MAGIC).putShort((short) VERSION).putShort((short) 0).array();
    }

    /**
     * Writes all {@value #RECORD_SIZE} bytes of one footer/index record into {@code dst} at
     * {@code off}, the reserved ones as zero whatever {@code dst} held (they count in the pack id).
     */
    static void putRecord(byte[] dst, int off, byte[] id, int idOff, long entryOffset, int raw, int stored, int comp) {
        System.arraycopy(id, idOff, dst, off, ID_LENGTH);
        ByteBuffer.wrap(dst, off + ID_LENGTH, RECORD_SIZE - ID_LENGTH)
                .putLong(entryOffset).putInt(raw).putInt(stored).put((byte) comp)
                .put((byte) 0).putShort((short) 0).putInt(0); // reserved: bytes 49 to 55
    }

    public static long recordOffset(byte[] records, int i) {
        return ByteBuffer.wrap(records).getLong(i * RECORD_SIZE + ID_LENGTH);
    }

    public static int recordRaw(byte[] records, int i) {
        return ByteBuffer.wrap(records).getInt(i * RECORD_SIZE + ID_LENGTH + 8);
    }

    public static int recordStored(byte[] records, int i) {
        return ByteBuffer.wrap(records).getInt(i * RECORD_SIZE + ID_LENGTH + 12);
    }

    public static int recordCompression(byte[] records, int i) {
        return records[i * RECORD_SIZE + ID_LENGTH + 16] & 0xff;
    }
}
