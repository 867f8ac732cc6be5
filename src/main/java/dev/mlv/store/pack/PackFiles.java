package dev.mlv.store.pack;

import dev.mlv.store.CorruptContentException;
import dev.mlv.store.backend.Backend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** Reading pack footers and encoding/decoding pack index files. */
public final class PackFiles {
    private PackFiles() {
    }

    /**
     * Reads a pack's footer (the authoritative list of its entries) through the backend, checks
     * its checksum and that the pack's name matches the footer's hash.
     */
    public static PackRecords readFooter(Backend backend, String key, byte[] expectedPackId) throws IOException {
        return readFooter(key, backend.size(key), (offset, length) -> backend.read(key, offset, length), expectedPackId);
    }

    /** As {@link #readFooter(Backend, String, byte[])}, for pack {@code key} open as a local file. */
    public static PackRecords readFooter(java.nio.channels.FileChannel pack, String key, byte[] expectedPackId) throws IOException {
        return readFooter(key, pack.size(), (offset, length) -> {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (pack.read(b, offset + b.position()) < 0) {
                    throw new CorruptContentException("pack " + key + " ends early");
                }
            }
            return b.array();
        }, expectedPackId);
    }

    private interface Ranges {
        byte[] read(long offset, int length) throws IOException;
    }

    private static PackRecords readFooter(String key, long size, Ranges backend, byte[] expectedPackId) throws IOException {
        if (size < PackFormat.PACK_HEADER_SIZE + PackFormat.TRAILER_SIZE) {
            throw new CorruptContentException("pack " + key + " is truncated (" + size + " bytes)");
        }
        byte[] header = backend.read(0, PackFormat.PACK_HEADER_SIZE);
        if (!Arrays.equals(header, 0, 4, PackFormat.PACK_MAGIC, 0, 4)) {
            throw new CorruptContentException("pack " + key + " does not start with the pack magic");
        }
        checkVersion(key, ByteBuffer.wrap(header).getShort(4) & 0xffff);
        byte[] trailer = backend.read(size - PackFormat.TRAILER_SIZE, PackFormat.TRAILER_SIZE);
        ByteBuffer t = ByteBuffer.wrap(trailer);
        long footerOffset = t.getLong();
        int count = t.getInt();
        int crc = t.getInt();
        if (!Arrays.equals(trailer, 16, 20, PackFormat.TRAILER_MAGIC, 0, 4)) {
            throw new CorruptContentException("pack " + key + " has no valid trailer (truncated or damaged)");
        }
        checkVersion(key, ByteBuffer.wrap(trailer).getShort(20) & 0xffff);
        long footerLength = (long) count * PackFormat.RECORD_SIZE;
        if (count < 0 || footerOffset < PackFormat.PACK_HEADER_SIZE
                || footerOffset + footerLength + PackFormat.TRAILER_SIZE != size) {
            throw new CorruptContentException("pack " + key + " has an inconsistent trailer");
        }
        byte[] records = backend.read(footerOffset, (int) footerLength);
        CRC32C c = new CRC32C();
        c.update(records);
        if ((int) c.getValue() != crc) {
            throw new CorruptContentException("pack " + key + " footer checksum mismatch");
        }
        MessageDigest sha = PackWriter.sha256();
        sha.update(records);
        sha.update(trailer);
        byte[] packId = sha.digest();
        if (expectedPackId != null && !Arrays.equals(packId, expectedPackId)) {
            throw new CorruptContentException("pack " + key + " footer does not hash to the pack's name");
        }
        return new PackRecords(packId, size, records, count);
    }

    private static void checkVersion(String what, int version) throws CorruptContentException {
        if (version != PackFormat.VERSION) {
            throw new CorruptContentException(what + " has format version " + version
                    + "; this mlv reads version " + PackFormat.VERSION + " (upgrade mlv)");
        }
    }

    /** Encodes an index file for a pack: header, records sorted by id, CRC32C. */
    public static byte[] encodeIndex(PackRecords pack) {
        PackRecords sorted = pack.sortedById();
        int len = PackFormat.INDEX_HEADER_SIZE + sorted.count() * PackFormat.RECORD_SIZE + 4;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put(PackFormat.INDEX_MAGIC).putShort((short) PackFormat.VERSION).putShort((short) 0)
                .put(sorted.packId()).putLong(sorted.packSize()).putInt(sorted.count()).putInt(0)
                .put(sorted.records(), 0, sorted.count() * PackFormat.RECORD_SIZE);
        CRC32C c = new CRC32C();
        c.update(b.array(), 0, len - 4);
        b.putInt((int) c.getValue());
        return b.array();
    }

    /** Decodes and checks an index file. */
    public static PackRecords decodeIndex(String key, byte[] data) throws CorruptContentException {
        if (data.length < PackFormat.INDEX_HEADER_SIZE + 4
                || !Arrays.equals(data, 0, 4, PackFormat.INDEX_MAGIC, 0, 4)) {
            throw new CorruptContentException("index " + key + " is not a pack index (bad magic or truncated)");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        checkVersion("index " + key, b.getShort(4) & 0xffff);
        CRC32C c = new CRC32C();
        c.update(data, 0, data.length - 4);
        if ((int) c.getValue() != b.getInt(data.length - 4)) {
            throw new CorruptContentException("index " + key + " checksum mismatch");
        }
        byte[] packId = Arrays.copyOfRange(data, 8, 40);
        long packSize = b.getLong(40);
        int count = b.getInt(48);
        if (count < 0 || PackFormat.INDEX_HEADER_SIZE + (long) count * PackFormat.RECORD_SIZE + 4 != data.length) {
            throw new CorruptContentException("index " + key + " has an inconsistent length");
        }
        byte[] records = Arrays.copyOfRange(data, PackFormat.INDEX_HEADER_SIZE,
                PackFormat.INDEX_HEADER_SIZE + count * PackFormat.RECORD_SIZE);
        return new PackRecords(packId, packSize, records, count);
    }
}
